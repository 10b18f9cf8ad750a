; LLDT/SLDT, LTR/STR, SGDT/SIDT (Intel SDM Vol. 2): LLDT loads an LDT from the GDT and segment
; selectors with TI = 1 then use it; after a null LLDT, LDT selectors are #GP and LAR finds
; nothing; LLDT of a non-LDT descriptor is #GP(selector); LTR marks the TSS busy and refuses a
; busy one; LLDT, LTR, LGDT and LIDT are #GP(0) in ring 3 while SLDT, STR, SGDT and SIDT are not.
; tern-boot: kernel
; tern-expect: table registers ok
%include "guest.inc"
%include "pm.inc"
%define SEL_LDT  (SEL_FREE)
%define SEL_TSS2 (SEL_FREE + 8)
%define LDT_BASE (PM_FREE)
%define TSS2 (PM_FREE + 0x1000)
%define LDT_DATA 0x000C          ; index 1 of the LDT, TI = 1, RPL 0
pm_kernel_begin
test_main:
    ; An LDT with a data segment at base 0x5000 in entry 1.
    mov dword [LDT_BASE], 0
    mov dword [LDT_BASE + 4], 0
    mov dword [LDT_BASE + 8], 0x5000FFFF
    mov dword [LDT_BASE + 12], 0x00409200
    mov dword [0x5010], 0xCAFEBABE
    gdt_set SEL_LDT, LDT_BASE, 15, ACC_LDT, 0
    mov ax, SEL_LDT
    lldt ax
    sldt ebx
    check ebx, SEL_LDT, 1
    mov ax, LDT_DATA
    mov fs, ax
    check dword [fs:0x10], 0xCAFEBABE, 2

    expect_fault .a3
    mov ax, SEL_CODE0
.i3: lldt ax
.a3: check_exc 13, SEL_CODE0, LIN(.i3), 3

    xor eax, eax
    lldt ax
    expect_fault .a4
    mov ax, LDT_DATA
.i4: mov gs, ax
.a4: check_exc 13, LDT_DATA, LIN(.i4), 4
    mov dword [8], 0x0000FFFF       ; a data descriptor where a stale LDT base of 0 would look
    mov dword [12], 0x00CF9200
    mov ecx, LDT_DATA
    lar ebx, ecx                    ; no LDT: ZF = 0
    pushfd
    pop eax
    and eax, 1 << 6
    check eax, 0, 16

    ; LTR.
    make_tss TSS2, 0, 0
    gdt_set SEL_TSS2, TSS2, 0x67, ACC_TSS32, 0
    mov ax, SEL_TSS2
    ltr ax
    str ebx
    check ebx, SEL_TSS2, 5
    movzx eax, byte [PM_GDT + SEL_TSS2 + 5]
    check eax, ACC_TSS32 | 2, 6
    expect_fault .a7
    mov ax, SEL_TSS2
.i7: ltr ax
.a7: check_exc 13, SEL_TSS2, LIN(.i7), 7
    ; Back to the main TSS (rings need its stacks).
    and byte [PM_GDT + SEL_TSS + 5], ~2
    mov ax, SEL_TSS
    ltr ax

    ; SGDT/SIDT.
    sgdt [test_var(0)]
    movzx eax, word [test_var(0)]
    check eax, PM_GDT_ENTRIES * 8 - 1, 8
    check dword [test_var(0) + 2], PM_GDT, 9
    sidt [test_var(2)]
    check dword [test_var(2) + 2], PM_IDT, 10

    ; Ring 3: the stores work, the loads fault.
    ring0_at .back
    enter_ring3 .r3, 0x202
.r3:
    str eax
    mov [test_var(4)], eax
    sgdt [test_var(5)]
    int VEC_RING0
.back:
    check dword [test_var(4)], SEL_TSS, 11
    check dword [test_var(5) + 2], PM_GDT, 12
    expect_fault .a13
    enter_ring3 .r13, 0x202
.r13:
    xor eax, eax
.i13: lldt ax
.a13: check_exc 13, 0, LIN(.i13), 13
    expect_fault .a14
    enter_ring3 .r14, 0x202
.r14:
    mov ax, SEL_TSS
.i14: ltr ax
.a14: check_exc 13, 0, LIN(.i14), 14
    expect_fault .a15
    enter_ring3 .r15, 0x202
.r15:
.i15: lgdt [test_var(0)]
.a15: check_exc 13, 0, LIN(.i15), 15
    print `table registers ok\n`
    exit 0
pm_end
