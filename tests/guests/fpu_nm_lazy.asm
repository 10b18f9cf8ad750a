; Lazy FPU switching as an OS does it: CR0.TS is set at a "task switch"; the next x87 or MMX
; instruction raises #NM (vector 7) at that instruction; the handler clears TS with CLTS, saves
; the old owner's state with FNSAVE and loads the new owner's with FRSTOR, and IRETD re-runs the
; instruction, which now works on the new state.
; tern-boot: kernel
; tern-expect: lazy FPU ok
%include "guest.inc"
%include "pm.inc"
%define STATE_A     (PM_FREE + 0x000)   ; 108-byte FNSAVE images
%define STATE_B     (PM_FREE + 0x100)
%define NM_COUNT    test_var(0)
%define RESULT      test_var(1)
pm_kernel_begin
test_main:
    idt_set 7, LIN(nm_handler), SEL_CODE0, ACC_INT32
    mov eax, cr0
    or eax, (1 << 1) | (1 << 5)     ; MP, NE
    and eax, ~(1 << 2)
    mov cr0, eax
    ; Task B's saved state: FLDPI pushed (built by running it once and saving).
    fninit
    fldpi
    fnsave [STATE_B]
    ; Task A runs with 2.0 on its stack.
    fld1
    fld1
    faddp st1, st0
    ; "Switch" to task B: set TS; the state stays A's until B touches the FPU.
    mov eax, cr0
    or eax, 1 << 3
    mov cr0, eax
    mov dword [NM_COUNT], 0
.b_uses_fpu:
    fld1                            ; #NM, then runs on B's state: ST0 = 1, ST1 = pi
    faddp st1, st0                  ; pi + 1, no second #NM
    fstp dword [RESULT]
    check dword [NM_COUNT], 1, 1
    check dword [RESULT], 0x408487ED, 2   ; (float)(pi + 1)
    ; Task A's state was saved by the handler: 2.0 on its stack.
    frstor [STATE_A]
    fstp dword [RESULT]
    check dword [RESULT], 0x40000000, 3
    ; MMX instructions fault the same way.
    mov eax, cr0
    or eax, 1 << 3
    mov cr0, eax
    mov dword [NM_COUNT], 0
    pxor mm0, mm0
    emms
    check dword [NM_COUNT], 1, 4
    print `lazy FPU ok\n`
    exit 0

nm_handler:
    inc dword [NM_COUNT]
    clts
    fnsave [STATE_A]
    frstor [STATE_B]
    iretd
pm_end
