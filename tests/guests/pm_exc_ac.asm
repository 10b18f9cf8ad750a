; #AC (vector 17, error code 0): with CR0.AM and EFLAGS.AC, misaligned word and dword data
; accesses at CPL 3 fault with the saved EIP at the instruction; aligned ones, byte accesses,
; CPL 0 and EFLAGS.AC clear do not check alignment.
; tern-boot: kernel
; tern-expect: #AC ok
%include "guest.inc"
%include "pm.inc"
%define DATA (PM_FREE + 0x100)
pm_kernel_begin
test_main:
    mov eax, cr0
    or eax, 1 << 18                 ; AM
    mov cr0, eax
    pushfd
    or dword [esp], EFL_AC
    popfd
    mov eax, [DATA + 1]             ; CPL 0: not checked

    ring0_at .a0
    enter_ring3 .r0, 0x202          ; AC clear
.r0:
    mov eax, [DATA + 1]
    int VEC_RING0
.a0:
    expect_fault .a1
    enter_ring3 .r1, 0x202 | EFL_AC
.r1:
    mov eax, [DATA]
    mov ax, [DATA + 2]
    mov al, [DATA + 3]
.i1: mov eax, [DATA + 2]
.a1: check_exc 17, 0, LIN(.i1), 1
    check dword [exc_cs], SEL_CODE3, 2

    expect_fault .a2
    enter_ring3 .r2, 0x202 | EFL_AC
.r2:
.i2: mov word [DATA + 5], 0
.a2: check_exc 17, 0, LIN(.i2), 3

    expect_fault .a3
    enter_ring3 .r3, 0x202 | EFL_AC
.r3:
    mov esp, STACK3_TOP - 2
.i3: push eax                       ; stack accesses are data accesses too
.a3: check_exc 17, 0, LIN(.i3), 4
    print `#AC ok\n`
    exit 0
pm_end
