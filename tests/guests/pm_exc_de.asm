; #DE (vector 0): DIV by zero and an IDIV quotient overflow fault with no error code and the
; saved EIP at the dividing instruction; the handler sees the registers unchanged.
; tern-boot: kernel
; tern-expect: #DE ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    expect_fault .after_div
    mov eax, 0x1234
    xor edx, edx
    xor ecx, ecx
.div:
    div ecx
    fail 1, "DIV by zero did not fault"
.after_div:
    check_exc 0, NOERR, LIN(.div), 2
    check dword [exc_cs], SEL_CODE0, 3
    check eax, 0x1234, 4

    expect_fault .after_idiv
    mov ax, 0x8000
    mov cl, -1
.idiv:
    idiv cl                         ; -32768 / -1 does not fit in AL
    fail 5, "IDIV overflow did not fault"
.after_idiv:
    check_exc 0, NOERR, LIN(.idiv), 6
    print `#DE ok\n`
    exit 0
pm_end
