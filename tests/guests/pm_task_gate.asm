; Interrupts through an IDT task gate: INT n switches to the gate's TSS with NT set and the back
; link, saving the EIP after INT in the old TSS; the handler task returns with IRET. A TSS with
; the debug trap bit (T) set raises #DB before the new task's first instruction, with BT in DR6.
; Software INT n through a task gate checks the gate's DPL (#GP(vector*8+2) from ring 3).
; tern-boot: kernel
; tern-expect: task gate ok
%include "guest.inc"
%include "pm.inc"
%define SEL_T2 (SEL_FREE)
%define T2 (PM_FREE)
pm_kernel_begin
test_main:
    gdt_set SEL_T2, T2, 0x67, ACC_TSS32, 0
    idt_set 0x40, 0, SEL_T2, ACC_TASK

    make_tss T2, LIN(t2_handler), STACK2_TOP
    mov dword [test_var(0)], 0
.int: int 0x40
.back:
    check dword [test_var(0)], 1, 1
    check dword [PM_TSS + 0x20], LIN(.back), 2
    str eax
    check eax, SEL_TSS, 3

    ; The same with the T bit: #DB (trap) at the handler task's first instruction.
    install_db_recorder
    make_tss T2, LIN(t2_handler), STACK2_TOP
    mov byte [T2 + 0x64], 1
    int 0x40
    check dword [test_var(0)], 2, 4
    check dword [db_count], 1, 5
    check dword [db_eip(0)], LIN(t2_handler), 6
    mov eax, [db_dr6]
    and eax, 0xE00F
    check eax, 1 << 15, 7           ; BT

    ; Gate DPL 0: INT 0x40 from ring 3 is #GP.
    expect_fault .a8
    enter_ring3 .r8, 0x202
.r8:
.i8: int 0x40
.a8: check_exc 13, 0x40 * 8 + 2, LIN(.i8), 8
    print `task gate ok\n`
    exit 0

t2_handler:
    pushfd
    pop eax
    and eax, EFL_NT
    check eax, EFL_NT, 20
    movzx eax, word [T2]
    check eax, SEL_TSS, 21
    str eax
    check eax, SEL_T2, 22
    inc dword [test_var(0)]
    iretd
pm_end
