; Single-step (EFLAGS.TF): a #DB trap after every instruction with DR6.BS and the saved EIP of the
; next instruction. POPF that sets TF traps only after the following instruction; POPF that
; clears TF still traps after itself; IRET that sets TF likewise traps only after the first
; instruction it returns to; the handler runs with TF clear. MOV SS holds the trap of its own
; step until after the next instruction (one #DB for both).
; tern-boot: kernel
; tern-expect: single-step ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    install_db_recorder
    pushfd
    or dword [esp], EFL_TF
    popfd                           ; sets TF: no trap after this POPF
.t1: nop
.t2: mov eax, 1
.t3: pushfd
.t4: and dword [esp], ~EFL_TF
.t5: popfd                          ; TF was set when it started: traps
.t6: nop
    check dword [db_count], 5, 1
    check dword [db_eip(0)], LIN(.t2), 2
    check dword [db_eip(1)], LIN(.t3), 3
    check dword [db_eip(2)], LIN(.t4), 4
    check dword [db_eip(3)], LIN(.t5), 5
    check dword [db_eip(4)], LIN(.t6), 6
    mov eax, [db_dr6]
    and eax, 0xE00F
    check eax, 1 << 14, 7           ; BS only

    ; IRET to .u1 with TF in the popped EFLAGS.
    mov dword [db_count], 0
    pushfd
    pop eax
    or eax, EFL_TF
    push eax
    push cs
    push dword LIN(.u1)
    iretd
.u1: mov ebx, 2
.u2: pushfd
.u3: and dword [esp], ~EFL_TF
.u4: popfd
.u5: check dword [db_count], 4, 8
    check dword [db_eip(0)], LIN(.u2), 9
    check dword [db_eip(3)], LIN(.u5), 10

    ; MOV SS: no trap between it and the next instruction.
    mov dword [db_count], 0
    pushfd
    or dword [esp], EFL_TF
    popfd
.v1: mov ax, ss
.v2: mov ss, ax
.v3: nop
.v4: pushfd
.v5: and dword [esp], ~EFL_TF
.v6: popfd
.v7: check dword [db_count], 5, 11
    check dword [db_eip(0)], LIN(.v2), 12
    check dword [db_eip(1)], LIN(.v4), 13
    check dword [db_eip(4)], LIN(.v7), 14
    print `single-step ok\n`
    exit 0
pm_end
