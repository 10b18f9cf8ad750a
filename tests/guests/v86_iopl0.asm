; Virtual-8086 mode with IOPL below 3 and CR4.VME clear (Intel SDM Vol. 3 §20.2.7): CLI, STI,
; PUSHF, POPF, INT n and IRET are #GP(0) with the saved CS:EIP at the instruction and EFLAGS.VM
; in the saved image; INT3 is not IOPL-sensitive (it reaches a DPL 3 #BP gate); IN/OUT are
; allowed when the I/O permission bitmap allows the port.
; tern-boot: bios
; tern-expect: v86 IOPL 0 ok
%include "guest.inc"
%include "pm.inc"

; sensitive ENTRY, EXIT: the v86 instruction at ENTRY must #GP(0).
%macro sensitive 2
    expect_fault %%after
    enter_v86 0xF000, %1, 0x202
%%after:
    check_exc 13, 0, %1, %2
    check dword [exc_cs], 0xF000, %2
    mov eax, [exc_eflags]
    and eax, EFL_VM
    check eax, EFL_VM, %2
%endmacro

pm_bios_begin
test_main:
    sensitive v86_cli, 1
    sensitive v86_sti, 2
    sensitive v86_pushf, 3
    sensitive v86_popf, 4
    sensitive v86_int, 5
    sensitive v86_iret, 6

    ; INT3 through a DPL 3 gate: #BP in ring 0, a trap (EIP after INT3).
    idt_set 3, LIN(pm_exc_stubs) + 3 * 16, SEL_CODE0, ACC_INT32 | DPL3
    expect_fault .a7
    enter_v86 0xF000, v86_int3, 0x202
.a7:
    check_exc 3, NOERR, v86_int3 + 1, 7

    ; IN/OUT allowed by the bitmap.
    and byte [PM_TSS_IOMAP + 0x80 / 8], ~1
    expect_fault .a8
    enter_v86 0xF000, v86_io, 0x202
.a8:
    check_exc 13, 0, v86_io.cli, 8
    print `v86 IOPL 0 ok\n`
    exit 0

    bits 16
v86_cli:  cli
v86_sti:  sti
v86_pushf: pushf
v86_popf: popf
v86_int:  int 0x21
v86_iret: iret
v86_int3: int3
v86_io:
    out 0x80, al
    in al, 0x80
.cli:
    cli
    bits 32
pm_end
