; #BP and #OF are traps: INT3 and INTO (with OF set) save the EIP of the next instruction; INTO
; with OF clear does nothing; INT3 from ring 3 through a DPL 0 gate is #GP(3*8+2).
; tern-boot: kernel
; tern-expect: #BP #OF ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    expect_return
    int3
.after_int3:
    check dword [exc_count], 1, 1
    check_exc 3, NOERR, LIN(.after_int3), 2

    mov al, 0x7F
    add al, 1                       ; OF = 1
    into
.after_into:
    check dword [exc_count], 2, 3
    check_exc 4, NOERR, LIN(.after_into), 4
    xor eax, eax                    ; OF = 0
    into
    check dword [exc_count], 2, 5

    ; The #BP gate has DPL 0: INT3 at CPL 3 is a #GP on the gate.
    expect_fault .after_ring3
    enter_ring3 .ring3, 0x202
.ring3:
.int3_ring3:
    int3
    jmp $
.after_ring3:
    check_exc 13, 3 * 8 + 2, LIN(.int3_ring3), 6
    check dword [exc_cs], SEL_CODE3, 7
    print `#BP #OF ok\n`
    exit 0
pm_end
