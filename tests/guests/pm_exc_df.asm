; #DF (vector 8, error code 0) follows Intel SDM Vol. 3 Table 6-5: a contributory exception
; (#GP, #NP, #DE) whose delivery raises another contributory exception becomes #DF with the
; saved EIP at the first faulting instruction; a benign exception (#UD, #BP) whose delivery
; fails is handled as the second exception alone.
; tern-boot: kernel
; tern-expect: #DF ok
%include "guest.inc"
%include "pm.inc"
%define SEL_ABSENT (SEL_FREE)

; Marks the IDT gate of VECTOR present or not.
%macro gate_present 2
    %if %2
        or byte [PM_IDT + (%1) * 8 + 5], 0x80
    %else
        and byte [PM_IDT + (%1) * 8 + 5], 0x7F
    %endif
%endmacro

pm_kernel_begin
test_main:
    gdt_set SEL_ABSENT, 0, 0xFFFFF, ACC_DATA0 & 0x7F, FLAGS_32

    ; #GP, then #NP on the #GP gate: #DF.
    gate_present 13, 0
    expect_fault .a1
    mov ax, SEL_TSS
.i1: mov ds, ax
.a1: gate_present 13, 1
    check_exc 8, 0, LIN(.i1), 1
    check dword [exc_count], 1, 2

    ; #NP, then #NP on the #NP gate: #DF.
    gate_present 11, 0
    expect_fault .a2
    mov ax, SEL_ABSENT
.i2: mov es, ax
.a2: gate_present 11, 1
    check_exc 8, 0, LIN(.i2), 3

    ; #DE, then #NP on the #DE gate: #DF.
    gate_present 0, 0
    expect_fault .a3
    xor ecx, ecx
.i3: div ecx
.a3: gate_present 0, 1
    check_exc 8, 0, LIN(.i3), 4

    ; #UD is benign: #NP(gate 6, EXT) alone.
    gate_present 6, 0
    expect_fault .a4
.i4: ud2
.a4: gate_present 6, 1
    check_exc 11, 6 * 8 + 2 + 1, LIN(.i4), 5

    ; INT3 is a software interrupt: #NP(gate 3) without EXT.
    gate_present 3, 0
    expect_fault .a5
.i5: int3
.a5: gate_present 3, 1
    check_exc 11, 3 * 8 + 2, LIN(.i5), 6
    print `#DF ok\n`
    exit 0
pm_end
