; Virtual-8086 mode extensions (CR4.VME) with IOPL 0 (Intel SDM Vol. 3 §20.3-20.4): STI and CLI
; set and clear VIF, PUSHF shows VIF as IF and IOPL as 3, POPF and IRET load IF into VIF, the
; real IF never changes; INT n whose bit in the TSS interrupt redirection bitmap is clear goes
; to the 8086 handler in the v86 IVT (pushing FLAGS with IF = VIF, clearing VIF), one whose bit
; is set is #GP(0); STI or POPF setting IF while VIP is set is #GP(0); PUSHFD is #GP(0). With
; CR4.PVI, CLI and STI in ring 3 act on VIF too. With IOPL 3 a redirected INT n pushes and
; clears the real IF, and one whose bit is set goes to the protected-mode handler.
; tern-boot: bios
; tern-expect: v86 VME ok
%include "guest.inc"
%include "pm.inc"
pm_bios_begin
test_main:
    mov eax, cr4
    or eax, 1                       ; VME
    mov cr4, eax
    mov word [0x21 * 4], v86_int21
    mov word [0x21 * 4 + 2], 0xF000
    or byte [PM_TSS_IRB + 0x30 / 8], 1 << (0x30 % 8)

    expect_fault .a1
    enter_v86 0xF000, v86_code, 0x202
.a1:
    check_exc 13, 0, v86_code.exit, 1           ; INT 0x30: redirection bit set
    check dword [test_var(0)], EFL_IF | EFL_IOPL3, 2   ; PUSHF after STI
    check dword [test_var(1)], EFL_IOPL3, 3     ; PUSHF after CLI
    check dword [test_var(2)], EFL_IF | EFL_IOPL3, 4   ; pushed by INT 0x21
    check dword [test_var(3)], 0, 5             ; PUSHF inside the 8086 handler: VIF clear
    check dword [test_var(4)], EFL_IF, 6        ; after the handler's IRET
    mov eax, [exc_eflags]
    and eax, EFL_VIF | EFL_IF | EFL_IOPL3
    check eax, EFL_VIF | EFL_IF, 7              ; real IF kept, VIF set, IOPL 0

    ; VIP set: STI faults, and so does POPF with IF set.
    expect_fault .a8
    enter_v86 0xF000, v86_sti, 0x202 | EFL_VIP
.a8:
    check_exc 13, 0, v86_sti, 8
    expect_fault .a9
    enter_v86 0xF000, v86_popf, 0x202 | EFL_VIP
.a9:
    check_exc 13, 0, v86_popf.popf, 9
    expect_fault .a10
    enter_v86 0xF000, v86_pushfd, 0x202
.a10:
    check_exc 13, 0, v86_pushfd, 10

    ; PVI: ring 3 CLI/STI toggle VIF.
    mov eax, cr4
    or eax, 2                       ; PVI
    mov cr4, eax
    ring0_at .back11
    enter_ring3 .r11, 0x202
.r11:
    cli
    pushfd
    pop dword [test_var(5)]
    sti
    int VEC_RING0
.back11:
    mov eax, [test_var(5)]
    and eax, EFL_VIF | EFL_IF
    check eax, EFL_IF, 11                       ; CLI cleared VIF only
    mov eax, [ring0_eflags]
    and eax, EFL_VIF | EFL_IF
    check eax, EFL_VIF | EFL_IF, 12

    ; IOPL 3: redirection through the real IF; INT 0x30 (bit set) reaches the DPL 3 IDT gate.
    ring0_at .back13
    enter_v86 0xF000, v86_iopl3, 0x202 | EFL_IOPL3
.back13:
    check dword [test_var(2)], EFL_IF | EFL_IOPL3, 13  ; pushed FLAGS: the real IF
    check dword [test_var(3)], 0, 14                    ; IF cleared in the 8086 handler
    mov eax, [ring0_eflags]
    and eax, EFL_VM | EFL_IF
    check eax, EFL_VM | EFL_IF, 15
    print `v86 VME ok\n`
    exit 0

    bits 16
v86_code:
    xor ax, ax
    mov ds, ax
    sti
    pushf
    pop ax
    and ax, EFL_IF | EFL_IOPL3
    mov [test_var(0)], ax
    cli
    pushf
    pop ax
    and ax, EFL_IF | EFL_IOPL3
    mov [test_var(1)], ax
    push word EFL_IF
    popf                            ; VIF = 1
    int 0x21
    pushf
    pop ax
    and ax, EFL_IF
    mov [test_var(4)], ax
.exit:
    int 0x30

v86_int21:
    mov bp, sp
    mov ax, [bp + 4]                ; pushed FLAGS
    and ax, EFL_IF | EFL_IOPL3
    mov [test_var(2)], ax
    pushf
    pop ax
    and ax, EFL_IF
    mov [test_var(3)], ax
    iret

v86_iopl3:
    xor ax, ax
    mov ds, ax
    int 0x21
    int 0x30

v86_sti:
    sti
v86_popf:
    push word EFL_IF
.popf:
    popf
v86_pushfd:
    pushfd
    bits 32
pm_end
