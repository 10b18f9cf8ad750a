; MMX: arithmetic with wrap-around and saturation, packs, unpacks, shifts, MOVD/MOVQ, and the
; aliasing with the x87 registers: MMX instructions set TOP = 0 and mark every register in use,
; a written register gets exponent 0xFFFF; EMMS empties the tag word.
; tern-boot: kernel
; tern-expect: MMX ok
%include "guest.inc"
%include "pm.inc"
%define Q(n)        (PM_FREE + 8 * (n))
%define ENV         (PM_FREE + 0x100)
%define SAVE        (PM_FREE + 0x200)
%macro check_q 3                    ; check_q QWORD_ADDR, LOW, HIGH
    check dword [%1], %2, 90
    check dword [%1 + 4], %3, 91
%endmacro
pm_kernel_begin
test_main:
    mov eax, cr0
    and eax, ~((1 << 2) | (1 << 3))
    mov cr0, eax
    fninit
    mov dword [Q(0)], 0x7FFF8000
    mov dword [Q(0) + 4], 0x0001FFFF
    mov dword [Q(1)], 0x00017FFF
    mov dword [Q(1) + 4], 0xFFFF0001
    movq mm0, [Q(0)]
    movq mm1, mm0
    paddw mm1, [Q(1)]               ; wrap-around words
    movq [Q(2)], mm1
    check_q Q(2), 0x8000FFFF, 0x00000000
    movq mm2, mm0
    paddsw mm2, [Q(1)]              ; signed saturation
    movq [Q(2)], mm2
    check_q Q(2), 0x7FFFFFFF, 0x00000000
    movq mm3, mm0
    psubusb mm3, [Q(1)]             ; unsigned saturation at 0
    movq [Q(2)], mm3
    check_q Q(2), 0x7FFE0100, 0x0000FFFE
    movq mm4, mm0
    packsswb mm4, [Q(1)]
    movq [Q(2)], mm4
    check_q Q(2), 0x01FF7F80, 0xFF01017F
    movq mm5, mm0
    punpcklwd mm5, [Q(1)]
    movq [Q(2)], mm5
    check_q Q(2), 0x7FFF8000, 0x00017FFF
    movq mm6, mm0
    psraw mm6, 15
    movq [Q(2)], mm6
    check_q Q(2), 0x0000FFFF, 0x0000FFFF
    movq mm7, mm0
    pmaddwd mm7, [Q(1)]
    movq [Q(2)], mm7
    check_q Q(2), 0xC000FFFF, 0xFFFFFFFE
    mov eax, 0x12345678
    movd mm1, eax
    movd ebx, mm1
    check ebx, 0x12345678, 10

    ; Aliasing: every register in use and TOP 0. FNSTENV derives the two-bit tags from the
    ; contents: the MMX values (exponent 0xFFFF) read as special (10), as on x86 hardware.
    fnstenv [ENV]
    check dword [ENV + 8], 0xFFFFAAAA, 11
    mov eax, [ENV + 4]
    and eax, 0x3800
    check eax, 0, 12                            ; TOP
    emms
    fnsave [SAVE]
    check dword [SAVE + 8], 0xFFFFFFFF, 13      ; tag word after EMMS: all empty
    check dword [SAVE + 28 + 10], 0x12345678, 14    ; ST1 = R1 (TOP 0): MM1's low dword
    check dword [SAVE + 28 + 14], 0, 15
    mov eax, [SAVE + 28 + 18]
    and eax, 0xFFFF
    check eax, 0xFFFF, 16                       ; its sign/exponent word
    print `MMX ok\n`
    exit 0
pm_end
