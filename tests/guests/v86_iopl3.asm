; Virtual-8086 mode with IOPL 3 (Intel SDM Vol. 3 §20.2): CLI, STI, PUSHF and POPF act on the
; real IF (POPF cannot change IOPL), INT n goes to the protected-mode handler through a DPL 3
; IDT gate with the 9-dword v86 frame (EIP CS EFLAGS ESP SS ES DS FS GS), the handler runs in
; ring 0 with DS ES FS GS null and returns with IRETD; segment loads use real-mode addressing;
; IN/OUT still consult the I/O permission bitmap.
; tern-boot: bios
; tern-expect: v86 IOPL 3 ok
%include "guest.inc"
%include "pm.inc"
pm_bios_begin
test_main:
    idt_set 0x40, LIN(pm_handler), SEL_CODE0, ACC_INT32 | DPL3
    ring0_at .back
    enter_v86 0xF000, v86_code, 0x202 | EFL_IOPL3
.back:
    mov eax, [ring0_eflags]
    and eax, EFL_VM | EFL_IOPL3 | EFL_IF
    check eax, EFL_VM | EFL_IOPL3, 1            ; INT VEC_RING0 came after CLI
    check dword [test_var(0)], 0, 2             ; IF after CLI
    check dword [test_var(1)], EFL_IF, 3        ; IF after STI
    check dword [test_var(2)], 0x3000, 4        ; IOPL after POPF tried to clear it
    check dword [test_var(3)], 0x1234, 5        ; DS:[0] through real-mode addressing
    ; The INT 0x40 frame seen by the ring-0 handler.
    check dword [test_var(10)], v86_code.after_int, 6
    check dword [test_var(11)], 0xF000, 7
    mov eax, [test_var(12)]
    and eax, EFL_VM | EFL_IOPL3
    check eax, EFL_VM | EFL_IOPL3, 8
    check dword [test_var(13)], V86_SP - 2, 9   ; one word pushed before INT
    check dword [test_var(14)], V86_SS, 10
    check dword [test_var(15)], 0x0123, 11      ; pushed ES
    check dword [test_var(16)], 0x0200, 12      ; pushed DS
    check dword [test_var(17)], 0, 13           ; DS in the handler: null
    check dword [test_var(18)], 0x55AA, 14      ; AX survived the round trip

    ; IN/OUT use the bitmap even at IOPL 3.
    expect_fault .a15
    enter_v86 0xF000, v86_out, 0x202 | EFL_IOPL3
.a15:
    check_exc 13, 0, v86_out, 15
    check dword [exc_cs], 0xF000, 16
    print `v86 IOPL 3 ok\n`
    exit 0

pm_handler:
    push eax
    mov eax, [esp + 4]
    mov [ss:test_var(10)], eax
    mov eax, [esp + 8]
    mov [ss:test_var(11)], eax
    mov eax, [esp + 12]
    mov [ss:test_var(12)], eax
    mov eax, [esp + 16]
    mov [ss:test_var(13)], eax
    mov eax, [esp + 20]
    mov [ss:test_var(14)], eax
    mov eax, [esp + 24]
    mov [ss:test_var(15)], eax
    mov eax, [esp + 28]
    mov [ss:test_var(16)], eax
    mov [ss:test_var(17)], ds
    pop eax
    iretd

    bits 16
v86_code:
    xor ax, ax
    mov ds, ax
    cli
    pushf
    pop ax
    and ax, EFL_IF
    mov [test_var(0)], ax
    sti
    pushf
    pop ax
    and ax, EFL_IF
    mov [test_var(1)], ax
    pushf
    pop ax
    and ax, ~EFL_IOPL3
    push ax
    popf
    pushf
    pop ax
    and ax, EFL_IOPL3
    mov [test_var(2)], ax
    mov word [0x2000], 0x1234       ; linear 0x2000 ...
    mov ax, 0x0200
    mov ds, ax
    mov ax, [0]                     ; ... is 0200:0000
    xor bx, bx
    mov es, bx
    mov [es:test_var(3)], ax
    mov ax, 0x0123
    mov es, ax
    mov ax, 0x55AA
    push ax
    int 0x40
.after_int:
    xor bx, bx
    mov ds, bx
    mov [test_var(18)], ax
    cli
    pushf
    pop ax
    int VEC_RING0

v86_out:
    out 0x80, al
    bits 32
pm_end
