; Instruction breakpoints (DR7 RW = 00): a #DB fault before the instruction runs, saved EIP at
; the instruction, B0 in DR6, RF clear in the saved EFLAGS. A handler that returns with RF set
; in EFLAGS resumes the instruction without a second #DB; RF is cleared after that instruction,
; so the breakpoint fires again the next time round. General detect (DR7.GD): a MOV to or from a
; debug register is a #DB fault with BD in DR6, and the processor clears GD for the handler.
; tern-boot: kernel
; tern-expect: instruction breakpoints ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    install_db_recorder
    mov dword [db_set_rf], 1
    mov eax, LIN(.target)
    mov dr0, eax
    mov eax, 0x00000002             ; G0, RW0 = execute, LEN0 = 1
    mov dr7, eax
    xor ecx, ecx
.loop:
    inc ecx
.target:
    add ebx, ecx                    ; broken on twice, executed twice
    cmp ecx, 2
    jne .loop
    check dword [db_count], 2, 1
    check dword [db_eip(0)], LIN(.target), 2
    check dword [db_ecx(0)], 1, 3
    check dword [db_eip(1)], LIN(.target), 4
    check dword [db_ecx(1)], 2, 5
    mov eax, [db_dr6]
    and eax, 0xE00F
    check eax, 1, 6

    ; The pushed EFLAGS image has RF clear for an instruction breakpoint, and RF is set for
    ; other faults: record with the default stub.
    idt_set 1, LIN(pm_exc_stubs) + 1 * 16, SEL_CODE0, ACC_INT32
    mov eax, LIN(.i7)
    mov dr0, eax
    expect_fault .a7
.i7: nop                            ; DR0 now points here
.a7: check_exc 1, NOERR, LIN(.i7), 7
    test dword [exc_eflags], EFL_RF
    jz .rf_clear
    fail 8, "instruction breakpoint pushed RF = 1"
.rf_clear:
    expect_fault .a9
.i9: ud2
.a9: test dword [exc_eflags], EFL_RF
    jnz .rf_set
    fail 9, "a fault pushed RF = 0"
.rf_set:

    ; General detect.
    xor eax, eax
    mov dr7, eax
    mov dr6, eax
    mov eax, 1 << 13                ; GD
    mov dr7, eax
    expect_fault .a10
.i10: mov eax, dr0
.a10: check_exc 1, NOERR, LIN(.i10), 10
    mov eax, dr6                    ; GD is clear now
    and eax, 0xE00F
    check eax, 1 << 13, 11          ; BD
    mov eax, dr7
    and eax, 1 << 13
    check eax, 0, 12
    print `instruction breakpoints ok\n`
    exit 0
pm_end
