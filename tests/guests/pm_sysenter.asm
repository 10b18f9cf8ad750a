; SYSENTER/SYSEXIT (Intel SDM Vol. 2): SYSENTER loads CS = SYSENTER_CS, SS = SYSENTER_CS + 8,
; ESP and EIP from their MSRs, CPL 0, clears IF; SYSEXIT returns to CPL 3 with CS =
; SYSENTER_CS + 16 | 3, SS = SYSENTER_CS + 24 | 3, EIP = EDX, ESP = ECX. With SYSENTER_CS = 0
; SYSENTER is #GP(0); SYSEXIT in ring 3 is #GP(0). The MSRs read back what was written.
; tern-boot: kernel
; tern-expect: sysenter ok
%include "guest.inc"
%include "pm.inc"
%define SEL_SE_CODE0 (SEL_FREE)          ; then data0, code3, data3
%define MSR_CS  0x174
%define MSR_ESP 0x175
%define MSR_EIP 0x176

%macro wrmsr_value 2
    mov ecx, %1
    mov eax, %2
    xor edx, edx
    wrmsr
%endmacro

pm_kernel_begin
test_main:
    gdt_set SEL_SE_CODE0, 0, 0xFFFFF, ACC_CODE0, FLAGS_32
    gdt_set SEL_SE_CODE0 + 8, 0, 0xFFFFF, ACC_DATA0, FLAGS_32
    gdt_set SEL_SE_CODE0 + 16, 0, 0xFFFFF, ACC_CODE3, FLAGS_32
    gdt_set SEL_SE_CODE0 + 24, 0, 0xFFFFF, ACC_DATA3, FLAGS_32

    ; SYSENTER_CS = 0: #GP(0).
    expect_fault .a1
.i1: sysenter
.a1: check_exc 13, 0, LIN(.i1), 1

    wrmsr_value MSR_CS, SEL_SE_CODE0
    wrmsr_value MSR_ESP, STACK2_TOP
    wrmsr_value MSR_EIP, LIN(kernel_entry)
    mov ecx, MSR_EIP
    rdmsr
    check eax, LIN(kernel_entry), 2
    check edx, 0, 3

    ; Into ring 3 with SYSEXIT (IF set), back with SYSENTER (IF cleared).
    sti
    mov edx, LIN(.user)
    mov ecx, STACK3_TOP - 0x20
    sysexit
.user:
    mov [ss:test_var(0)], cs
    mov [ss:test_var(1)], ss
    mov [ss:test_var(2)], esp
    sysenter

kernel_entry:
    mov [test_var(3)], cs
    mov [test_var(4)], ss
    mov [test_var(5)], esp
    pushfd
    pop dword [test_var(6)]
    mov ax, SEL_DATA0
    mov ds, ax
    mov es, ax
    check dword [test_var(0)], (SEL_SE_CODE0 + 16) | 3, 4
    check dword [test_var(1)], (SEL_SE_CODE0 + 24) | 3, 5
    check dword [test_var(2)], STACK3_TOP - 0x20, 6
    check dword [test_var(3)], SEL_SE_CODE0, 7
    check dword [test_var(4)], SEL_SE_CODE0 + 8, 8
    check dword [test_var(5)], STACK2_TOP, 9
    mov eax, [test_var(6)]
    and eax, EFL_IF
    check eax, 0, 10

    ; SYSEXIT from ring 3.
    expect_fault .a11
    enter_ring3 .r11, 0x202
.r11:
.i11: sysexit
.a11: check_exc 13, 0, LIN(.i11), 11
    print `sysenter ok\n`
    exit 0
pm_end
