; CPUID identifies a Pentium II (GenuineIntel, family 6 model 5, with VME DE PSE TSC MSR PAE CX8
; SEP PGE CMOV MMX FXSR); RDMSR/WRMSR keep model-specific registers (PAT, SYSENTER, TSC) and
; refuse unknown ones and ring 3 with #GP(0); RDTSC counts up and is #GP(0) in ring 3 only when
; CR4.TSD is set.
; tern-boot: kernel
; tern-expect: cpuid msr ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    xor eax, eax
    cpuid
    check eax, 2, 1
    check ebx, 'Genu', 2
    check edx, 'ineI', 3
    check ecx, 'ntel', 4
    mov eax, 1
    cpuid
    mov ebx, eax
    and ebx, 0xFFF0
    check ebx, 0x0650, 5
    mov ebx, edx
    %define FEATURES ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 11) | (1 << 13) | (1 << 15) | (1 << 23) | (1 << 24))
    and ebx, FEATURES
    check ebx, FEATURES, 6

    mov ecx, 0x277                  ; PAT
    rdmsr
    check eax, 0x00070406, 7
    check edx, 0x00070406, 8
    mov eax, 0x01010101
    mov edx, 0x00000007
    wrmsr
    rdmsr
    check eax, 0x01010101, 9
    check edx, 0x00000007, 10

    expect_fault .a11
    mov ecx, 0x12345
.i11: rdmsr
.a11: check_exc 13, 0, LIN(.i11), 11
    expect_fault .a12
.i12: wrmsr
.a12: check_exc 13, 0, LIN(.i12), 12

    ; TSC: WRMSR sets it, it counts up.
    mov ecx, 0x10
    mov eax, 0x1000
    xor edx, edx
    wrmsr
    rdtsc
    check edx, 0, 13
    cmp eax, 0x1000
    ja .counting
    fail 14, "TSC did not count up from the written value"
.counting:
    cmp eax, 0x1100
    jb .close
    fail 15, "TSC far beyond the written value"
.close:

    ; Ring 3: RDTSC allowed without TSD, RDMSR never.
    ring0_at .back
    enter_ring3 .r16, 0x202
.r16:
    rdtsc
    int VEC_RING0
.back:
    expect_fault .a17
    enter_ring3 .r17, 0x202
.r17:
    mov ecx, 0x10
.i17: rdmsr
.a17: check_exc 13, 0, LIN(.i17), 17
    mov eax, cr4
    or eax, 1 << 2                  ; TSD
    mov cr4, eax
    rdtsc                           ; still fine in ring 0
    expect_fault .a18
    enter_ring3 .r18, 0x202
.r18:
.i18: rdtsc
.a18: check_exc 13, 0, LIN(.i18), 18
    print `cpuid msr ok\n`
    exit 0
pm_end
