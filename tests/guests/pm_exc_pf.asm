; #PF (vector 14): the error code (P, W/R, U/S bits), CR2 (the faulting linear address) and the
; saved EIP at the instruction, for reads of a not-present page, supervisor writes to a
; read-only page with and without CR0.WP, user writes to read-only pages, user reads of
; supervisor pages, instruction fetches from a not-present page, and an access that straddles
; into a not-present page (CR2 at the first byte of that page).
; tern-boot: kernel
; tern-expect: #PF ok
%include "guest.inc"
%include "pm.inc"
%define ABSENT   0x200000
%define READONLY 0x201000
%define SUPER    0x202000

%macro check_cr2 2
    mov eax, cr2
    check eax, %1, %2
%endmacro

pm_kernel_begin
test_main:
    paging_on
    and dword [PTE(ABSENT)], ~1
    and dword [PTE(READONLY)], ~2
    and dword [PTE(SUPER)], ~4
    mov eax, cr3
    mov cr3, eax

    expect_fault .a1
.i1: mov eax, [ABSENT + 0x10]
.a1: check_exc 14, 0, LIN(.i1), 1
    check_cr2 ABSENT + 0x10, 2

    mov dword [READONLY], 0x11      ; WP = 0: supervisor writes ignore R/W
    check dword [READONLY], 0x11, 3
    mov eax, cr0
    or eax, 1 << 16
    mov cr0, eax
    expect_fault .a2
.i2: mov dword [READONLY + 4], 0x22
.a2: check_exc 14, 3, LIN(.i2), 4
    check_cr2 READONLY + 4, 5

    expect_fault .a3
    enter_ring3 .r3, 0x202
.r3:
    mov eax, [READONLY]             ; user reads of a user read-only page are fine
.i3: mov [READONLY + 8], eax
.a3: check_exc 14, 7, LIN(.i3), 6
    check_cr2 READONLY + 8, 7

    expect_fault .a4
    enter_ring3 .r4, 0x202
.r4:
.i4: mov eax, [SUPER + 0xFFC]
.a4: check_exc 14, 5, LIN(.i4), 8
    check_cr2 SUPER + 0xFFC, 9

    expect_fault .a5
.i5: jmp ABSENT
.a5: check_exc 14, 0, ABSENT, 10
    check_cr2 ABSENT, 11

    expect_fault .a6
.i6: mov eax, [ABSENT - 2]          ; straddles into the absent page
.a6: check_exc 14, 0, LIN(.i6), 12
    check_cr2 ABSENT, 13
    print `#PF ok\n`
    exit 0
pm_end
