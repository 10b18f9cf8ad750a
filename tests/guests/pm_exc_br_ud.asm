; #BR (BOUND out of range) and #UD (UD2, LOCK on a non-lockable instruction or a register
; destination, MOV to CS) are faults with no error code and the saved EIP at the instruction.
; tern-boot: kernel
; tern-expect: #BR #UD ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    mov dword [PM_FREE], 10
    mov dword [PM_FREE + 4], 20
    mov eax, 15
    bound eax, [PM_FREE]            ; in range: nothing
    expect_fault .after_bound
    mov eax, 21
.bound:
    bound eax, [PM_FREE]
    fail 1, "BOUND out of range did not fault"
.after_bound:
    check_exc 5, NOERR, LIN(.bound), 2

    expect_fault .after_ud2
.ud2:
    ud2
.after_ud2:
    check_exc 6, NOERR, LIN(.ud2), 3

    expect_fault .after_lock
.lock:
    db 0xF0, 0x90                   ; lock nop
.after_lock:
    check_exc 6, NOERR, LIN(.lock), 4

    expect_fault .after_lock_reg
.lock_reg:
    db 0xF0, 0x01, 0xD8             ; lock add eax, ebx: LOCK needs a memory destination
.after_lock_reg:
    check_exc 6, NOERR, LIN(.lock_reg), 5

    expect_fault .after_mov_cs
.mov_cs:
    db 0x8E, 0xC8                   ; mov cs, ax
.after_mov_cs:
    check_exc 6, NOERR, LIN(.mov_cs), 6
    print `#BR #UD ok\n`
    exit 0
pm_end
