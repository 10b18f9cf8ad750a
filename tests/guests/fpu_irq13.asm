; FERR#/IRQ 13 (CR0.NE = 0, the PC/AT convention DOS software relies on): an unmasked x87
; exception pending at a waiting instruction asserts FERR#, which the board routes to IRQ 13 of
; the slave 8259 (vector 0x75 under the BIOS layout; here the PICs are programmed for 0x20/0x28,
; so vector 0x2D). The handler writes port 0xF0 to clear the latch, FNCLEX, and sends EOIs.
; tern-boot: kernel
; tern-expect: IRQ13 ok
%include "guest.inc"
%include "pm.inc"
%define CW          test_var(0)
%define IRQ_COUNT   test_var(1)
pm_kernel_begin
test_main:
    ; 8259 pair: ICW1-4, master at 0x20, slave at 0x28; only IRQ 2 (cascade) and IRQ 13 unmasked.
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xA1, al
    mov al, 1
    out 0x21, al
    out 0xA1, al
    mov al, 0xFB
    out 0x21, al
    mov al, 0xDF
    out 0xA1, al
    idt_set 0x2D, LIN(irq13_handler), SEL_CODE0, ACC_INT32
    mov eax, cr0
    and eax, ~((1 << 5) | (1 << 2) | (1 << 3))  ; NE = 0
    mov cr0, eax
    mov dword [IRQ_COUNT], 0
    fninit
    mov word [CW], 0x037B           ; ZE unmasked
    fldcw [CW]
    sti
    fld1
    fldz
    fdivp st1, st0                  ; ZE pending
    fld1                            ; waiting: FERR# -> IRQ 13
    nop
    nop
    cli
    check dword [IRQ_COUNT], 1, 1
    fnstsw ax
    test al, 0x80
    jz .clear
    fail 2, "the IRQ 13 handler's FNCLEX did not clear ES"
.clear:
    print `IRQ13 ok\n`
    exit 0

irq13_handler:
    push eax
    inc dword [IRQ_COUNT]
    xor al, al
    out 0xF0, al                    ; clear the FERR# latch
    fnclex
    mov al, 0x20
    out 0xA0, al
    out 0x20, al
    pop eax
    iretd
pm_end
