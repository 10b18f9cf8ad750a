; #GP (vector 13) with its error code and the saved EIP at the instruction: accesses through a
; null selector, writes to code, offsets beyond a limit, bad segment-register loads (system
; descriptor, wrong privilege, beyond the GDT limit), far jumps to data and beyond the CS limit,
; privileged instructions in ring 3, INT n through a DPL 0 gate and beyond the IDT limit.
; tern-boot: kernel
; tern-expect: #GP ok
%include "guest.inc"
%include "pm.inc"
%define SEL_SMALL_DATA (SEL_FREE)
%define SEL_SMALL_CODE (SEL_FREE + 8)


pm_kernel_begin
test_main:
    gdt_set SEL_SMALL_DATA, 0, 0xFFF, ACC_DATA0, FLAGS_16 | 0x4
    gdt_set SEL_SMALL_CODE, 0, 0x1000, ACC_CODE0, 0x4

    xor eax, eax
    mov es, ax
    expect_fault .a1
.i1: mov eax, [es:0x1000]           ; null ES
.a1: check_exc 13, 0, LIN(.i1), 1

    expect_fault .a2
.i2: mov [cs:PM_FREE], eax          ; code segments are not writable
.a2: check_exc 13, 0, LIN(.i2), 2

    mov ax, SEL_SMALL_DATA
    mov fs, ax
    mov eax, [fs:0xFFC]             ; last dword inside the limit
    expect_fault .a3
.i3: mov eax, [fs:0xFFD]            ; straddles the limit
.a3: check_exc 13, 0, LIN(.i3), 3

    expect_fault .a4
    mov ax, SEL_TSS
.i4: mov ds, ax                     ; a system descriptor
.a4: check_exc 13, SEL_TSS, LIN(.i4), 4

    expect_fault .a5
    mov ax, SEL_DATA3
.i5: mov ss, ax                     ; RPL and DPL 3 at CPL 0
.a5: check_exc 13, SEL_DATA3 & 0xFFFC, LIN(.i5), 5

    expect_fault .a6
    mov ax, PM_GDT_ENTRIES * 8 + 3
.i6: mov gs, ax                     ; beyond the GDT limit
.a6: check_exc 13, PM_GDT_ENTRIES * 8, LIN(.i6), 6

    expect_fault .a7
.i7: jmp SEL_DATA0:0                ; far jump to a data segment
.a7: check_exc 13, SEL_DATA0, LIN(.i7), 7

    expect_fault .a8
.i8: jmp SEL_SMALL_CODE:0x1001      ; beyond the CS limit
.a8: check_exc 13, 0, LIN(.i8), 8

    ; Ring 3: privileged and IOPL-sensitive instructions.
    expect_fault .a9
    enter_ring3 .r9, 0x202
.r9:
.i9: hlt
.a9: check_exc 13, 0, LIN(.i9), 9
    check dword [exc_cs], SEL_CODE3, 10

    expect_fault .a10
    enter_ring3 .r10, 0x202
.r10:
.i10: mov cr0, eax
.a10: check_exc 13, 0, LIN(.i10), 11

    expect_fault .a11
    enter_ring3 .r11, 0x202
.r11:
.i11: cli                           ; IOPL 0 < CPL 3
.a11: check_exc 13, 0, LIN(.i11), 12

    expect_fault .a12
    enter_ring3 .r12, 0x202
.r12:
.i12: lidt [PM_FREE]
.a12: check_exc 13, 0, LIN(.i12), 13

    expect_fault .a13
    enter_ring3 .r13, 0x202
.r13:
.i13: int 0x21                      ; vector 0x21 has no DPL 3 gate
.a13: check_exc 13, 0x21 * 8 + 2, LIN(.i13), 14

    ; An IDT that ends before vector 0x41.
    mov word [PM_FREE], 0x41 * 8 - 1
    mov dword [PM_FREE + 2], PM_IDT
    lidt [PM_FREE]
    expect_fault .a14
.i14: int 0x41
.a14: check_exc 13, 0x41 * 8 + 2, LIN(.i14), 15
    print `#GP ok\n`
    exit 0
pm_end
