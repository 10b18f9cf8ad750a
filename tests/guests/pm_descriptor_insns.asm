; LAR, LSL, VERR, VERW and ARPL (Intel SDM Vol. 2): the access rights and byte-granular limit of
; visible descriptors with ZF = 1, ZF = 0 (destination unchanged) for null selectors, selectors
; beyond the table, descriptors not visible at CPL/RPL and types the instruction does not
; accept; VERR/VERW by readability and writability; ARPL raises the RPL of its destination.
; tern-boot: kernel
; tern-expect: descriptor instructions ok
%include "guest.inc"
%include "pm.inc"
%define SEL_XONLY  (SEL_FREE)
%define SEL_RODATA (SEL_FREE + 8)
%define SEL_GATE   (SEL_FREE + 16)
%define SEL_INTG   (SEL_FREE + 24)

; zf EXPECTED, EXIT: checks ZF.
%macro zf 2
    pushfd
    pop eax
    and eax, 1 << 6
    check eax, (%1) << 6, %2
%endmacro

pm_kernel_begin
test_main:
    gdt_set SEL_XONLY, 0x1000, 0x2345, 0x98, 0x4        ; execute-only code, byte limit
    gdt_set SEL_RODATA, 0, 0xFFFFF, 0x90, FLAGS_32       ; read-only data
    gdt_gate SEL_GATE, 0, SEL_CODE0, ACC_CALL32, 0
    gdt_gate SEL_INTG, 0, SEL_CODE0, ACC_INT32, 0        ; not allowed in the GDT for LAR

    lar ebx, [selector_code0]
    zf 1, 1
    check ebx, 0x00CF9B00 & 0x00F0FF00, 2
    lsl ebx, [selector_code0]
    zf 1, 3
    check ebx, 0xFFFFFFFF, 4
    mov ecx, SEL_XONLY
    lsl ebx, ecx
    check ebx, 0x2345, 5
    mov ecx, SEL_TSS
    lsl ebx, ecx
    zf 1, 6
    check ebx, PM_TSS_LIMIT, 7
    mov ecx, SEL_GATE
    lar ebx, ecx
    zf 1, 8
    check ebx, 0x00008C00, 9
    mov ebx, 0x5555
    lsl ebx, ecx                    ; gates have no limit
    zf 0, 10
    check ebx, 0x5555, 11
    mov ecx, SEL_INTG
    lar ebx, ecx
    zf 0, 12
    xor ecx, ecx
    lar ebx, ecx                    ; null
    zf 0, 13
    mov ecx, PM_GDT_ENTRIES * 8
    lsl ebx, ecx                    ; beyond the GDT
    zf 0, 14

    mov cx, SEL_XONLY
    verr cx
    zf 0, 15
    mov cx, SEL_CODE0
    verr cx
    zf 1, 16
    verw cx
    zf 0, 17
    mov cx, SEL_RODATA
    verr cx
    zf 1, 18
    verw cx
    zf 0, 19
    mov cx, SEL_DATA3
    verw cx
    zf 1, 20

    ; From ring 3: DPL 0 descriptors are invisible.
    ring0_at .back
    enter_ring3 .r3, 0x202
.r3:
    mov ecx, SEL_DATA0
    lar ebx, ecx
    pushfd
    pop dword [test_var(0)]
    mov ecx, SEL_DATA3
    lsl ebx, ecx
    pushfd
    pop dword [test_var(1)]
    mov cx, SEL_DATA0 | 3
    verr cx
    pushfd
    pop dword [test_var(2)]
    int VEC_RING0
.back:
    mov eax, [test_var(0)]
    and eax, 1 << 6
    check eax, 0, 21
    mov eax, [test_var(1)]
    and eax, 1 << 6
    check eax, 1 << 6, 22
    mov eax, [test_var(2)]
    and eax, 1 << 6
    check eax, 0, 23

    mov ax, 0x0010
    mov cx, 0x0003
    arpl ax, cx
    movzx edx, ax
    zf 1, 24
    check edx, 0x0013, 25
    mov ax, 0x0013
    mov cx, 0x0001
    arpl ax, cx
    zf 0, 26
    print `descriptor instructions ok\n`
    exit 0

selector_code0: dw SEL_CODE0
pm_end
