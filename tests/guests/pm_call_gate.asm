; Call gates (Intel SDM Vol. 3 §5.8.3-5.8.6): a far CALL from ring 3 through a DPL 3 32-bit call
; gate to ring 0 switches to the TSS's ring-0 stack, pushes the caller's SS:ESP, copies the
; gate's parameter count of dwords from the caller's stack, then CS:EIP; RETF n returns to ring 3
; releasing the parameters on both stacks and nulls data segment registers the outer level may
; not use. A 16-bit gate copies words and pushes 16-bit values. JMP through a gate stays at the
; same level. Gate DPL below CPL or below the selector's RPL is #GP(gate selector).
; tern-boot: kernel
; tern-expect: call gates ok
%include "guest.inc"
%include "pm.inc"
%define SEL_GATE32    (SEL_FREE | 3)
%define SEL_GATE16    (SEL_FREE + 8 | 3)
%define SEL_GATE0     (SEL_FREE + 16)
%define SEL_JMPGATE   (SEL_FREE + 24)
%define SEL_CODE3_IMG (SEL_FREE + 32 | 3)
%define SEL_STACK3_16 (SEL_FREE + 40 | 3)
pm_kernel_begin
test_main:
    gdt_gate SEL_GATE32, LIN(inner32), SEL_CODE0, ACC_CALL32 | DPL3, 2
    gdt_gate SEL_GATE16, IMG_OFF(inner16), SEL_CODE_IMAGE, ACC_CALL16 | DPL3, 1
    gdt_gate SEL_GATE0, LIN(inner32), SEL_CODE0, ACC_CALL32, 0
    gdt_gate SEL_JMPGATE, LIN(.jumped), SEL_CODE0, ACC_CALL32, 0
    gdt_set SEL_CODE3_IMG, LIN($$), 0xFFFF, ACC_CODE3, 0x4
    gdt_set SEL_STACK3_16, 0x70000, 0xFFFF, ACC_DATA3, 0

    ; 32-bit gate, two parameters.
    ring0_at .back1
    enter_ring3 .r1, 0x202
.r1:
    mov ax, SEL_DATA3
    mov fs, ax
    push dword 0x1111
    push dword 0x2222
    mov ebx, esp
.call1: call SEL_GATE32:0
.ret1:
    mov [es:test_var(10)], esp      ; DS is null now: use ES
    mov [es:test_var(11)], ds
    mov [es:test_var(12)], fs
    int VEC_RING0
.back1:
    check dword [test_var(0)], LIN(.ret1), 1    ; pushed EIP
    check dword [test_var(1)], SEL_CODE3, 2     ; pushed CS
    check dword [test_var(2)], 0x2222, 3        ; copied parameters, same order
    check dword [test_var(3)], 0x1111, 4
    check dword [test_var(4)], STACK3_TOP - 8, 5   ; pushed ESP
    check dword [test_var(5)], SEL_DATA3, 6     ; pushed SS
    check dword [test_var(6)], STACK0_TOP, 7    ; the frame fills the top of the ring-0 stack
    check dword [test_var(7)], SEL_CODE0, 8     ; CS in ring 0
    check dword [test_var(10)], STACK3_TOP, 9   ; RETF 8 released the parameters
    check dword [test_var(11)], 0, 10           ; DS (DPL 0 after the callee loaded it): null
    check dword [test_var(12)], SEL_DATA3, 11   ; FS (DPL 3): kept

    ; 16-bit gate, one word parameter, from 16-bit-offset ring-3 code with a 16-bit stack.
    ring0_at .back2
    push dword SEL_STACK3_16
    push dword 0xFFF0
    push dword 0x202
    push dword SEL_CODE3_IMG
    push dword IMG_OFF(.r2)
    mov ax, SEL_DATA3
    mov ds, ax
    mov es, ax
    iretd
.r2:
    push word 0x3333
.call2: call SEL_GATE16:0
.ret2:
    mov [es:test_var(10)], esp
    int VEC_RING0
.back2:
    check dword [test_var(0)], IMG_OFF(.ret2), 12
    check dword [test_var(1)], SEL_CODE3_IMG, 13
    check dword [test_var(2)], 0x3333, 14
    check dword [test_var(3)], 0xFFEE, 15       ; pushed SP
    check dword [test_var(4)], SEL_STACK3_16, 16
    movzx eax, word [test_var(10)]  ; only SP: a 16-bit stack keeps ESP[31:16] of ring 0
    check eax, 0xFFF0, 17

    ; JMP through a gate at the same level.
    jmp SEL_JMPGATE:0
    fail 18, "JMP through a call gate fell through"
.jumped:
    ; Gate DPL 0 from ring 3, and RPL 3 on a DPL 0 gate from ring 0.
    expect_fault .a19
    enter_ring3 .r19, 0x202
.r19:
.i19: call SEL_GATE0:0
.a19: check_exc 13, SEL_GATE0, LIN(.i19), 19
    expect_fault .a20
.i20: call (SEL_GATE0 | 3):0
.a20: check_exc 13, SEL_GATE0, LIN(.i20), 20
    print `call gates ok\n`
    exit 0

inner32:
    mov ax, SEL_DATA0
    mov ds, ax
    mov eax, [esp]
    mov [test_var(0)], eax
    mov eax, [esp + 4]
    mov [test_var(1)], eax
    mov eax, [esp + 8]
    mov [test_var(2)], eax
    mov eax, [esp + 12]
    mov [test_var(3)], eax
    mov eax, [esp + 16]
    mov [test_var(4)], eax
    mov eax, [esp + 20]
    mov [test_var(5)], eax
    lea eax, [esp + 24]
    mov [test_var(6)], eax
    mov [test_var(7)], cs
    retf 8

inner16:
    mov ax, SEL_DATA0
    mov ds, ax
    movzx eax, word [esp]
    mov [test_var(0)], eax
    movzx eax, word [esp + 2]
    mov [test_var(1)], eax
    movzx eax, word [esp + 4]
    mov [test_var(2)], eax
    movzx eax, word [esp + 6]
    mov [test_var(3)], eax
    movzx eax, word [esp + 8]
    mov [test_var(4)], eax
    o16 retf 2
pm_end
