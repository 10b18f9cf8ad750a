; #TS (vector 10) with the selector as error code: a task switch to a TSS whose limit is below
; 0x67, an interrupt to ring 0 when the TSS names an unusable ring-0 stack (null: #TS(0), or a
; code segment), and IRET with NT set whose back link names a TSS that is not busy. The
; ring-0 stack faults reach the #TS handler through a task gate (a gate to ring 0 would need the
; same broken stack), which finds the error code on its own stack.
; tern-boot: kernel
; tern-expect: #TS ok
%include "guest.inc"
%include "pm.inc"
%define SEL_SHORT_TSS (SEL_FREE)
%define SEL_TS_TSS    (SEL_FREE + 8)
%define SHORT_TSS (PM_FREE)
%define TS_TSS    (PM_FREE + 0x1000)
%define ts_error  test_var(0)
pm_kernel_begin
test_main:
    gdt_set SEL_SHORT_TSS, SHORT_TSS, 0x50, ACC_TSS32, 0
    gdt_set SEL_TS_TSS, TS_TSS, 0x67, ACC_TSS32, 0

    expect_fault .a1
.i1: jmp SEL_SHORT_TSS:0
.a1: check_exc 10, SEL_SHORT_TSS, LIN(.i1), 1

    idt_set 10, 0, SEL_TS_TSS, ACC_TASK
    ; SS0 null: #TS(0) (INT n is a software interrupt: EXT = 0).
    mov dword [PM_TSS + 8], 0
    call setup_ts_task
    mov dword [ring0_cont], LIN(.a2)
    enter_ring3 .r2, 0x202
.r2:
.i2: int VEC_RING0
    jmp $
.a2: call back_to_first_task
    check dword [ts_error], 0, 2
    check dword [PM_TSS + 0x20], LIN(.i2), 3

    ; SS0 is a code segment: #TS(SS0 selector).
    mov dword [PM_TSS + 8], SEL_CODE0
    call setup_ts_task
    mov dword [ring0_cont], LIN(.a3)
    enter_ring3 .r3, 0x202
.r3:
.i3: int VEC_RING0
    jmp $
.a3: call back_to_first_task
    check dword [ts_error], SEL_CODE0, 4
    check dword [PM_TSS + 0x20], LIN(.i3), 5
    idt_set 10, LIN(pm_exc_stubs) + 10 * 16, SEL_CODE0, ACC_INT32

    ; IRET with NT: the back link must name a busy TSS.
    mov word [PM_TSS], SEL_TS_TSS
    expect_fault .a4
    pushfd
    or dword [esp], EFL_NT
    popfd
.i4: iretd
.a4: check_exc 10, SEL_TS_TSS, LIN(.i4), 6
    print `#TS ok\n`
    exit 0

; The #TS task starts at ts_task in ring 0 with its own stack.
setup_ts_task:
    mov edi, TS_TSS
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TS_TSS + 0x20], LIN(ts_task)
    mov dword [TS_TSS + 0x24], 0x2
    mov dword [TS_TSS + 0x38], STACK2_TOP
    mov word [TS_TSS + 0x48], SEL_DATA0
    mov word [TS_TSS + 0x4C], SEL_CODE0
    mov word [TS_TSS + 0x50], SEL_DATA0
    mov word [TS_TSS + 0x54], SEL_DATA0
    mov word [TS_TSS + 0x58], SEL_DATA0
    mov word [TS_TSS + 0x5C], SEL_DATA0
    mov word [TS_TSS + 0x66], 0x68
    ret

ts_task:
    pop dword [ts_error]
    mov dword [PM_TSS + 8], SEL_DATA0          ; repair SS0
    ; The task gate nested this task: NT set, back link to the first task.
    pushfd
    test dword [esp], EFL_NT
    jnz .nested
    fail 10, "task gate did not set NT"
.nested:
    and dword [esp], ~EFL_NT
    popfd
    movzx eax, word [TS_TSS]
    check eax, SEL_TSS, 11
    jmp [ring0_cont]

; Continues with the first TSS as the current task (both busy bits cleared, then LTR).
back_to_first_task:
    and byte [PM_GDT + (SEL_TS_TSS & 0xFFF8) + 5], ~2
    and byte [PM_GDT + (SEL_TSS & 0xFFF8) + 5], ~2
    mov ax, SEL_TSS
    ltr ax
    ret
pm_end
