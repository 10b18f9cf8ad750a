; Hardware task switches with JMP and CALL to a TSS (Intel SDM Vol. 3 §7.3): the old task's
; registers and EIP are saved in its TSS and the new task's loaded from its TSS; JMP clears the
; old task's busy bit, leaves NT and the back link alone; CALL keeps the old task busy, sets NT
; and the back link, and IRET returns through the back link (clearing the callee's busy bit);
; CR0.TS is set; a JMP to a busy TSS is #GP(selector); CALL through a task gate works alike.
; tern-boot: kernel
; tern-expect: task switch ok
%include "guest.inc"
%include "pm.inc"
%define SEL_T2    (SEL_FREE)
%define SEL_GATE  (SEL_FREE + 8)
%define T2 (PM_FREE)
%define busy(sel) byte [PM_GDT + ((sel) & 0xFFF8) + 5]
pm_kernel_begin
test_main:
    gdt_set SEL_T2, T2, 0x67, ACC_TSS32, 0
    gdt_gate SEL_GATE, 0, SEL_T2, ACC_TASK, 0

    ; JMP to task 2 and back.
    make_tss T2, LIN(t2_jmp), STACK2_TOP
    mov dword [T2 + 0x28], 0xAAAA0001           ; task 2's EAX
    mov word [T2], 0x5555                       ; back link: must stay untouched
    mov ebx, 0x12345678
    mov esi, 0x0BADF00D
    clts
.jmp: jmp SEL_T2:0
.back_from_jmp:
    check ebx, 0x12345678, 1                    ; restored from our TSS
    check esi, 0x0BADF00D, 2
    check dword [test_var(0)], 0xAAAA0002, 3    ; task 2 ran and jumped back
    check dword [PM_TSS + 0x20], LIN(.back_from_jmp), 4
    movzx eax, busy(SEL_T2)
    check eax, ACC_TSS32, 5                     ; task 2 no longer busy
    movzx eax, busy(SEL_TSS)
    check eax, ACC_TSS32 | 2, 6
    mov eax, cr0
    and eax, 1 << 3
    check eax, 1 << 3, 7                        ; CR0.TS

    ; CALL to task 2, which returns with IRET.
    make_tss T2, LIN(t2_call), STACK2_TOP
    mov ebx, 0x0C0FFEE0
.call: call SEL_T2:0
.back_from_call:
    check ebx, 0x0C0FFEE0, 8
    check dword [test_var(0)], 0xBBBB0001, 9
    movzx eax, busy(SEL_T2)
    check eax, ACC_TSS32, 10
    pushfd
    pop eax
    and eax, EFL_NT
    check eax, 0, 11

    ; CALL through a task gate.
    make_tss T2, LIN(t2_call), STACK2_TOP
    mov dword [test_var(0)], 0
    call SEL_GATE:0
    check dword [test_var(0)], 0xBBBB0001, 12

    ; A JMP to the running (busy) task.
    expect_fault .a13
.i13: jmp SEL_TSS:0
.a13: check_exc 13, SEL_TSS, LIN(.i13), 13
    print `task switch ok\n`
    exit 0

t2_jmp:
    check eax, 0xAAAA0001, 20
    str eax
    check eax, SEL_T2, 21
    pushfd
    pop eax
    and eax, EFL_NT
    check eax, 0, 22
    movzx eax, word [T2]
    check eax, 0x5555, 23
    movzx eax, busy(SEL_TSS)
    check eax, ACC_TSS32, 24                    ; JMP freed the old task
    movzx eax, busy(SEL_T2)
    check eax, ACC_TSS32 | 2, 25
    check dword [PM_TSS + 0x20], LIN(test_main.back_from_jmp), 26
    check dword [PM_TSS + 0x34], 0x12345678, 27 ; saved EBX
    mov dword [test_var(0)], 0xAAAA0002
    jmp SEL_TSS:0

t2_call:
    pushfd
    pop eax
    and eax, EFL_NT
    check eax, EFL_NT, 30
    movzx eax, word [T2]
    check eax, SEL_TSS, 31                      ; back link
    movzx eax, busy(SEL_TSS)
    check eax, ACC_TSS32 | 2, 32                ; the caller stays busy
    mov dword [test_var(0)], 0xBBBB0001
    iretd
pm_end
