; #NM (vector 7): with CR0.EM an x87 instruction faults; with CR0.TS an x87 instruction faults,
; and WAIT faults when MP is set too. No error code; the saved EIP is at the instruction. CLTS
; clears TS and the instruction then runs.
; tern-boot: kernel
; tern-expect: #NM ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    mov eax, cr0
    or eax, 1 << 2                  ; EM
    mov cr0, eax
    expect_fault .after_em
.fnop_em:
    fnop
    fail 1, "x87 instruction with CR0.EM did not fault"
.after_em:
    check_exc 7, NOERR, LIN(.fnop_em), 2

    mov eax, cr0
    and eax, ~(1 << 2)
    or eax, (1 << 3) | (1 << 1)     ; TS, MP
    mov cr0, eax
    expect_fault .after_ts
.fnop_ts:
    fnop
    fail 3, "x87 instruction with CR0.TS did not fault"
.after_ts:
    check_exc 7, NOERR, LIN(.fnop_ts), 4
    expect_fault .after_wait
.wait_ts:
    wait
    fail 5, "WAIT with CR0.TS and MP did not fault"
.after_wait:
    check_exc 7, NOERR, LIN(.wait_ts), 6

    clts
    mov eax, cr0
    test eax, 1 << 3
    jz .cleared
    fail 7, "CLTS left CR0.TS set"
.cleared:
    fnop
    wait
    print `#NM ok\n`
    exit 0
pm_end
