; PIT IRQ 0 through the I/O APIC (input 2, as the MADT's override says) to the local APIC with
; both 8259s masked; then IRQ 8 (RTC periodic interrupt) level-triggered through input 8: the
; remote IRR holds it until EOI, and it stops once register C is read.
; tern-boot: kernel
; tern-expect: ioapic ok
%include "guest.inc"
%include "pm.inc"
%define APIC 0xFEE00000
%define IOAPIC 0xFEC00000
%define pit_ticks test_var(0)
%define rtc_ticks test_var(1)

%macro outb 2
    mov al, %2
    out %1, al
%endmacro

; ioapic_route PIN, LOW: destination APIC 0, physical.
%macro ioapic_route 2
    mov dword [IOAPIC], 0x11 + 2 * %1
    mov dword [IOAPIC + 0x10], 0
    mov dword [IOAPIC], 0x10 + 2 * %1
    mov dword [IOAPIC + 0x10], %2
%endmacro

pm_kernel_begin
test_main:
    outb 0x21, 0xFF                         ; mask both 8259s
    outb 0xA1, 0xFF
    idt_set 0x41, LIN(pit_handler), SEL_CODE0, ACC_INT32
    idt_set 0x48, LIN(rtc_handler), SEL_CODE0, ACC_INT32
    mov dword [pit_ticks], 0
    mov dword [rtc_ticks], 0
    mov dword [APIC + 0xF0], 0x1FF
    mov dword [IOAPIC], 0x01
    mov eax, [IOAPIC + 0x10]
    check eax, 0x00170011, 1
    ioapic_route 2, 0x41                    ; edge, active high, fixed, vector 0x41
    outb 0x43, 0x34                         ; PIT counter 0, mode 2
    outb 0x40, 0xA9                         ; 1193: about 1 ms
    outb 0x40, 0x04
    sti
.wait_pit:
    hlt
    cmp dword [pit_ticks], 10
    jb .wait_pit
    cli
    ioapic_route 2, 0x10041                 ; mask the PIT again

    ; RTC periodic interrupt (1024 Hz), level-triggered on input 8.
    ioapic_route 8, 0x8048
    outb 0x70, 0x0B
    outb 0x71, 0x42                         ; PIE, 24-hour
    sti
.wait_rtc:
    hlt
    cmp dword [rtc_ticks], 5
    jb .wait_rtc
    cli
    outb 0x70, 0x0B
    outb 0x71, 0x02
    print `ioapic ok\n`
    exit 0

pit_handler:
    inc dword [pit_ticks]
    mov dword [APIC + 0xB0], 0
    iretd

rtc_handler:
    push eax
    inc dword [rtc_ticks]
    mov al, 0x0C                            ; reading register C deasserts IRQ 8
    out 0x70, al
    in al, 0x71
    mov dword [APIC + 0xB0], 0              ; EOI clears remote IRR
    pop eax
    iretd
pm_end
