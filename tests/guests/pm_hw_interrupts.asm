; Hardware interrupts at instruction boundaries (PIT IRQ 0 through the 8259): a pending interrupt
; waits while IF is clear; after STI it is taken only once the next instruction has run (the
; STI shadow); an interrupt that arrives during REP MOVSB is taken between iterations, with the
; saved EIP at the REP instruction, RF set in the saved EFLAGS, ECX part way down, and the copy
; completes after IRETD.
; tern-boot: kernel
; tern-expect: hardware interrupts ok
%include "guest.inc"
%include "pm.inc"
%define SRC (0x200000)
%define DST (0x300000)
%define COUNT 100000
%define marker test_var(0)
%define seen_marker test_var(1)
%define seen_eip test_var(2)
%define seen_eflags test_var(3)
%define seen_ecx test_var(4)
%define irq_count test_var(5)

%macro outb 2
    mov al, %2
    out %1, al
%endmacro

; Starts PIT channel 0 in mode 0 with a short count and waits, IF clear, until IRQ 0 is pending.
%macro irq0_pending 0
    outb 0x43, 0x30
    outb 0x40, 20
    outb 0x40, 0
%%wait:
    outb 0x20, 0x0A                 ; OCW3: read IRR
    in al, 0x20
    test al, 1
    jz %%wait
%endmacro

pm_kernel_begin
test_main:
    outb 0x20, 0x11                 ; ICW1
    outb 0x21, 0x20                 ; ICW2: vectors 0x20-0x27
    outb 0x21, 0x04
    outb 0x21, 0x01
    outb 0xA0, 0x11
    outb 0xA1, 0x28
    outb 0xA1, 0x02
    outb 0xA1, 0x01
    outb 0xA1, 0xFF                 ; slave: all masked
    outb 0x21, 0xFE                 ; master: only IRQ 0
    idt_set 0x20, LIN(irq0_handler), SEL_CODE0, ACC_INT32
    mov dword [irq_count], 0

    cli
    irq0_pending
    mov dword [marker], 0
    check dword [irq_count], 0, 1   ; IF clear: not taken
    sti
    mov dword [marker], 1           ; in the STI shadow
.after_shadow:
    nop
    check dword [irq_count], 1, 2
    check dword [seen_marker], 1, 3
    check dword [seen_eip], LIN(.after_shadow), 4

    ; REP MOVSB interrupted.
    cli
    mov esi, SRC
    mov edi, DST
    mov ecx, COUNT / 4
    mov eax, 0x5A5A5A5A
    push edi
    mov edi, esi
    rep stosd
    pop edi
    irq0_pending
    mov ecx, COUNT
    sti
.rep: rep movsb
    cli
    check dword [irq_count], 2, 5
    check dword [seen_eip], LIN(.rep), 6
    mov eax, [seen_eflags]
    and eax, EFL_RF
    check eax, EFL_RF, 7
    mov eax, [seen_ecx]
    cmp eax, 0
    je .bad_ecx
    cmp eax, COUNT
    jb .ecx_ok
.bad_ecx:
    fail 8, "interrupt not taken between iterations"
.ecx_ok:
    check ecx, 0, 9
    check dword [DST + COUNT - 4], 0x5A5A5A5A, 10
    print `hardware interrupts ok\n`
    exit 0

irq0_handler:
    push eax
    inc dword [irq_count]
    mov eax, [marker]
    mov [seen_marker], eax
    mov eax, [esp + 4]
    mov [seen_eip], eax
    mov eax, [esp + 12]
    mov [seen_eflags], eax
    mov [seen_ecx], ecx
    mov al, 0x20                    ; EOI
    out 0x20, al
    pop eax
    iretd
pm_end
