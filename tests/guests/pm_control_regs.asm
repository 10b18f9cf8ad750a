; Control and debug register access (Intel SDM Vol. 2 "MOV to/from CRn/DRn", LMSW, SMSW, CLTS):
; SMSW returns the machine status word, LMSW sets PE MP EM TS but never clears PE, CLTS clears
; TS; invalid CR0 combinations and reserved CR4 bits are #GP(0), CR1/CR5-7 are #UD; DR4/DR5
; alias DR6/DR7 unless CR4.DE makes them #UD; DR6 and DR7 read back their fixed bits.
; tern-boot: kernel
; tern-expect: control registers ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    smsw eax
    and eax, 0xFFFF
    check eax, 0x0011, 1            ; PE, ET
    mov ax, 0x000E                  ; MP EM TS, PE clear
    lmsw ax
    mov eax, cr0
    and eax, 0xF
    check eax, 0xF, 2               ; PE stayed set
    clts
    mov eax, cr0
    and eax, 0xF
    check eax, 0x7, 3
    mov ax, 0x0001
    lmsw ax
    smsw ax
    and eax, 0xF
    check eax, 0x1, 4

    expect_fault .a5
    mov eax, cr0
    or eax, 1 << 29                 ; NW without CD
    and eax, ~(1 << 30)
.i5: mov cr0, eax
.a5: check_exc 13, 0, LIN(.i5), 5
    expect_fault .a6
    mov eax, 1 << 12                ; reserved in CR4 on a P6
.i6: mov cr4, eax
.a6: check_exc 13, 0, LIN(.i6), 6
    expect_fault .a7
.i7: db 0x0F, 0x20, 0xC8            ; mov eax, cr1
.a7: check_exc 6, NOERR, LIN(.i7), 7
    expect_fault .a8
.i8: db 0x0F, 0x22, 0xE8            ; mov cr5, eax
.a8: check_exc 6, NOERR, LIN(.i8), 8

    mov eax, dr6
    check eax, 0xFFFF0FF0, 9
    mov eax, dr7
    check eax, 0x00000400, 10
    xor eax, eax
    mov dr6, eax
    mov eax, dr6
    check eax, 0xFFFF0FF0, 11
    db 0x0F, 0x21, 0xE0             ; mov eax, dr4 (= DR6 without CR4.DE)
    check eax, 0xFFFF0FF0, 12
    mov eax, cr4
    or eax, 1 << 3
    mov cr4, eax
    expect_fault .a13
.i13: db 0x0F, 0x21, 0xE8           ; mov eax, dr5
.a13: check_exc 6, NOERR, LIN(.i13), 13
    print `control registers ok\n`
    exit 0
pm_end
