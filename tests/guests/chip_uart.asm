; The 16550A on COM1: scratch register, divisor latch, loopback with the FIFO, and the receive
; interrupt on IRQ 4 through the 8259 (gated by OUT2).
; tern-boot: kernel
; tern-expect: uart ok
%include "guest.inc"
%include "pm.inc"
%define COM1 0x3F8
%define irqs test_var(0)
%define got test_var(1)

%macro outb 2
    mov dx, %1
    mov al, %2
    out dx, al
%endmacro

%macro inb 1
    mov dx, %1
    in al, dx
    movzx eax, al
%endmacro

pm_kernel_begin
test_main:
    outb COM1 + 7, 0x5A
    inb COM1 + 7
    check eax, 0x5A, 1
    outb COM1 + 3, 0x80                     ; DLAB
    outb COM1 + 0, 0x01
    outb COM1 + 1, 0x00
    outb COM1 + 3, 0x03                     ; 8N1
    inb COM1 + 5
    check eax, 0x60, 2                      ; THR and transmitter empty
    outb COM1 + 2, 0x07                     ; FIFO on, both cleared
    inb COM1 + 2
    check eax, 0xC1, 3                      ; FIFOs enabled, no interrupt

    outb 0x20, 0x11
    outb 0x21, 0x20
    outb 0x21, 0x04
    outb 0x21, 0x01
    outb 0x21, 0xEF                         ; only IRQ 4
    idt_set 0x24, LIN(com1_handler), SEL_CODE0, ACC_INT32
    mov dword [irqs], 0
    outb COM1 + 4, 0x18                     ; loopback, OUT2
    outb COM1 + 1, 0x01                     ; receive interrupt
    outb COM1 + 0, 'Q'
.wait:
    cmp dword [irqs], 1                     ; checked with IF clear; STI's shadow covers HLT
    jae .received
    sti
    hlt
    cli
    jmp .wait
.received:
    check dword [got], 'Q', 4
    inb COM1 + 6
    and eax, 0xF0
    check eax, 0x80, 5                      ; loopback: DCD mirrors OUT2
    print `uart ok\n`
    exit 0

com1_handler:
    push eax
    push edx
    inc dword [irqs]
    mov dx, COM1 + 2
    in al, dx
    and al, 0x0F
    cmp al, 0x0C                            ; FIFO character timeout (below the trigger level)
    je .read
    cmp al, 0x04
    jne .done
.read:
    mov dx, COM1
    in al, dx
    movzx eax, al
    mov [got], eax
.done:
    mov al, 0x20
    out 0x20, al
    pop edx
    pop eax
    iretd
pm_end
