; Interrupt and trap gates, 32- and 16-bit: an interrupt gate clears IF, a trap gate keeps it;
; a 32-bit gate pushes EFLAGS, CS, EIP as dwords, a 16-bit gate FLAGS, CS, IP as words (IRET
; with a 16-bit operand size returns); from ring 3 a DPL 3 gate to ring 0 switches to the ring-0
; stack of the TSS and pushes the old SS:ESP first; TF and NT are cleared in the handler.
; tern-boot: kernel
; tern-expect: gates ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    idt_set 0x40, LIN(int32_handler), SEL_CODE0, ACC_INT32
    idt_set 0x41, LIN(trap32_handler), SEL_CODE0, ACC_TRAP32
    idt_set 0x42, IMG_OFF(int16_handler), SEL_CODE_IMAGE, ACC_INT16
    idt_set 0x43, LIN(trap32_handler), SEL_CODE0, ACC_TRAP32 | DPL3

    sti
    mov ebx, esp
.i1: int 0x40
.r1: check dword [test_var(0)], 0, 1            ; IF inside: clear
    check dword [test_var(1)], LIN(.r1), 2      ; pushed EIP
    check dword [test_var(2)], SEL_CODE0, 3     ; pushed CS
    check dword [test_var(3)], ebx, 4           ; same stack, no SS:ESP pushed
    pushfd
    pop eax
    and eax, EFL_IF
    check eax, EFL_IF, 5                        ; IRET restored IF

.i2: int 0x41
.r2: check dword [test_var(0)], EFL_IF, 6       ; trap gate: IF kept
    check dword [test_var(1)], LIN(.r2), 7

    ; A 16-bit gate pushes IP: run INT from code with small offsets.
    jmp SEL_CODE_IMAGE:IMG_OFF(.i3)
.i3: int 0x42
.r3: jmp SEL_CODE0:LIN(.back3)
.back3:
    check dword [test_var(1)], IMG_OFF(.r3), 8
    check dword [test_var(2)], SEL_CODE_IMAGE, 9
    check dword [test_var(3)], ebx, 10
    check dword [test_var(0)], 0, 11

    ; Ring 3 -> ring 0 through the DPL 3 trap gate, with TF and NT set: both clear inside.
    ring0_at .back
    enter_ring3 .r4, 0x202 | EFL_NT
.r4:
    mov esp, STACK3_TOP - 0x40
.i4: int 0x43
.r5: int VEC_RING0
.back:
    check dword [test_var(1)], LIN(.r5), 12
    check dword [test_var(2)], SEL_CODE3, 13
    check dword [test_var(3)], STACK0_TOP - 20, 14
    check dword [test_var(4)], STACK3_TOP - 0x40, 15   ; pushed ESP
    check dword [test_var(5)], SEL_DATA3, 16            ; pushed SS
    check dword [test_var(6)], 0, 17                    ; NT cleared in the handler
    print `gates ok\n`
    exit 0

; Record IF, EIP, CS and the stack pointer after the frame.
int32_handler:
    pushfd
    pop eax
    and eax, EFL_IF
    mov [test_var(0)], eax
    mov eax, [esp]
    mov [test_var(1)], eax
    mov eax, [esp + 4]
    mov [test_var(2)], eax
    lea eax, [esp + 12]
    mov [test_var(3)], eax
    iretd

trap32_handler:
    pushfd
    pop eax
    mov edx, eax
    and eax, EFL_IF
    mov [test_var(0)], eax
    and edx, EFL_NT | EFL_TF
    mov [test_var(6)], edx
    mov eax, [esp]
    mov [test_var(1)], eax
    mov eax, [esp + 4]
    mov [test_var(2)], eax
    mov [test_var(3)], esp
    mov eax, [esp + 12]
    mov [test_var(4)], eax
    mov eax, [esp + 16]
    mov [test_var(5)], eax
    iretd

int16_handler:
    pushfd
    pop eax
    and eax, EFL_IF
    mov [test_var(0)], eax
    movzx eax, word [esp]
    mov [test_var(1)], eax
    movzx eax, word [esp + 2]
    mov [test_var(2)], eax
    lea eax, [esp + 6]
    mov [test_var(3)], eax
    o16 iret
pm_end
