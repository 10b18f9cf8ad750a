; The local APIC timer on the virtual clock: periodic mode at bus clock / 16 raises its LVT
; vector through the APIC (INTR, INTA, EOI); the current-count register counts down between
; interrupts; one-shot mode fires once.
; tern-boot: kernel
; tern-expect: apic timer ok
%include "guest.inc"
%include "pm.inc"
%define APIC 0xFEE00000
%define ticks test_var(0)

pm_kernel_begin
test_main:
    idt_set 0x40, LIN(timer_handler), SEL_CODE0, ACC_INT32
    idt_set 0xFF, LIN(spurious_handler), SEL_CODE0, ACC_INT32
    mov dword [ticks], 0
    mov dword [APIC + 0xF0], 0x1FF          ; software enable, spurious vector 0xFF
    mov dword [APIC + 0x3E0], 0x3           ; divide by 16
    mov dword [APIC + 0x320], 0x20040       ; periodic, vector 0x40
    mov dword [APIC + 0x380], 62500         ; 1 ms at 1 GHz / 16
    mov eax, [APIC + 0x390]
    cmp eax, 62500
    jbe .counting
    fail 1, "current count above the initial count"
.counting:
    sti
.wait:
    hlt
    cmp dword [ticks], 5
    jb .wait
    cli
    mov dword [APIC + 0x380], 0             ; stop
    check dword [APIC + 0x390], 0, 2

    ; One-shot: exactly one interrupt.
    mov dword [ticks], 0
    mov dword [APIC + 0x320], 0x00040
    mov dword [APIC + 0x380], 1000
    sti
    mov ecx, 200000
.spin:
    dec ecx
    jnz .spin
    cli
    check dword [ticks], 1, 3
    print `apic timer ok\n`
    exit 0

timer_handler:
    inc dword [ticks]
    mov dword [APIC + 0xB0], 0              ; EOI
    iretd

spurious_handler:
    fail 4, "spurious APIC interrupt"
pm_end
