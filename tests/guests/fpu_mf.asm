; #MF (vector 16): with CR0.NE = 1 an unmasked x87 exception is reported at the next waiting
; instruction (FWAIT, an x87 instruction, an MMX instruction), not at the instruction that caused
; it; no-wait instructions (FNSTSW, FNSTENV, FNCLEX) do not fault. The faulting instruction
; left the stack alone, and FNSTENV's FIP/FOP name it. FNCLEX ends the pending state.
; tern-boot: kernel
; tern-expect: #MF ok
%include "guest.inc"
%include "pm.inc"
%define CW          test_var(0)
%define ENV         test_var(4)     ; 28 bytes
%define SAVED       test_var(16)
pm_kernel_begin
test_main:
    mov eax, cr0
    or eax, 1 << 5                  ; NE
    and eax, ~((1 << 2) | (1 << 3)) ; EM, TS
    mov cr0, eax
    fninit
    mov word [CW], 0x037B           ; ZE unmasked
    fldcw [CW]
    fld1
    fldz
.divide:
    fdivp st1, st0                  ; 1 / 0: ZE pending, nothing stored or popped
    fnstsw ax                       ; no-wait: no fault
    and eax, 0xFFFF
    check eax, 0xB084, 1            ; B ES ZE, TOP = 6
    expect_fault .after_wait
.wait:
    fwait
    fail 2, "FWAIT with an unmasked pending ZE did not fault"
.after_wait:
    check_exc 16, NOERR, LIN(.wait), 3
    fnstenv [ENV]
    check dword [ENV + 12], LIN(.divide), 4     ; FIP: the FDIVP
    mov eax, [ENV + 16]
    shr eax, 16
    check eax, 0x6F9, 5                         ; FOP: DE F9
    fnclex
    fldcw [CW]                      ; FNSTENV masked everything: unmask ZE again
    fwait                           ; nothing pending now
    fstp dword [SAVED]              ; ST0 = 0.0 (the divisor, still there)
    check dword [SAVED], 0, 6
    fstp dword [SAVED]              ; ST1 = 1.0
    check dword [SAVED], 0x3F800000, 7

    ; An MMX instruction reports a pending x87 exception too.
    fld1
    fldz
    fdivp st1, st0
    expect_fault .after_mmx
.mmx:
    emms
    fail 8, "EMMS with a pending x87 exception did not fault"
.after_mmx:
    check_exc 16, NOERR, LIN(.mmx), 9
    fnclex
    print `#MF ok\n`
    exit 0
pm_end
