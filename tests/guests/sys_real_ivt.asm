; Real-mode interrupts through the IVT (Intel SDM Vol. 3 §20.1.4): INT n pushes FLAGS, CS, IP,
; clears IF and TF and jumps to the IVT entry's CS:IP; IRET returns. Faults (#DE, #UD) push the
; IP of the faulting instruction, traps (INT3) the next one. LIDT moves the IVT.
; tern-boot: bios
; tern-expect: real-mode IVT ok
%include "guest.inc"
%define RESULT 0x600

; check_w ADDRESS, VALUE, EXIT (16-bit compare of a word in segment 0)
%macro check_w 3
    cmp word [%1], %2
    je %%ok
    print "check failed"
    exit %3
%%ok:
%endmacro

; Sets IVT entry VECTOR of the table at BASE to F000:HANDLER.
%macro set_vector 3
    mov word [(%1) + (%2) * 4], %3
    mov word [(%1) + (%2) * 4 + 2], 0xF000
%endmacro

guest_bios_begin
start:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    set_vector 0, 0x40, handler
    set_vector 0, 0, handler
    set_vector 0, 6, handler
    set_vector 0, 3, handler

    sti
    mov ax, 0xAB
    int 0x40
.r1:
    check_w RESULT + 0, .r1, 1              ; pushed IP: after INT
    check_w RESULT + 2, 0xF000, 2           ; pushed CS
    mov ax, [RESULT + 4]
    and ax, 0x0200
    cmp ax, 0x0200
    je .if_pushed
    exit 3
.if_pushed:
    check_w RESULT + 6, 0, 4                ; IF inside the handler: clear
    pushf
    pop ax
    test ax, 0x0200
    jnz .if_back
    exit 5
.if_back:

    xor cx, cx
.div: div cl
    check_w RESULT + 0, .div, 6             ; #DE: IP of the DIV

.ud: ud2
    check_w RESULT + 0, .ud, 7

    int3
.r3:
    check_w RESULT + 0, .r3, 8

    ; The IVT moved to 0x1000.
    set_vector 0x1000, 0x40, handler2
    lidt [cs:ivt_1000]
    int 0x40
    check_w RESULT + 8, 0x2222, 9
    print `real-mode IVT ok\n`
    exit 0

; Records the pushed IP, CS, FLAGS and the live IF; returns past faulting instructions.
handler:
    push bp
    mov bp, sp
    mov ax, [bp + 2]
    mov [RESULT + 0], ax
    mov ax, [bp + 4]
    mov [RESULT + 2], ax
    mov ax, [bp + 6]
    mov [RESULT + 4], ax
    pushf
    pop ax
    and ax, 0x0200
    mov [RESULT + 6], ax
    ; Faults return to the instruction: skip DIV CL (2 bytes) and UD2 (2 bytes).
    mov ax, [bp + 2]
    cmp ax, start.div
    je .skip2
    cmp ax, start.ud
    jne .done
.skip2:
    add word [bp + 2], 2
.done:
    pop bp
    iret

handler2:
    mov word [RESULT + 8], 0x2222
    iret

ivt_1000:
    dw 0x3FF
    dd 0x1000
guest_bios_end
