; A task switch into a virtual-8086 task: the new TSS's EFLAGS has VM set, so its segment
; selectors load as real-mode paragraphs (base = selector * 16) at CPL 3; an interrupt from that
; task enters ring 0 on the SS0:ESP0 of its own TSS with the v86 frame.
; tern-boot: bios
; tern-expect: v86 task ok
%include "guest.inc"
%include "pm.inc"
%define SEL_V86_TSS (SEL_FREE)
%define V86_TSS (PM_FREE)
pm_bios_begin
test_main:
    gdt_set SEL_V86_TSS, V86_TSS, 0x67, ACC_TSS32, 0
    make_tss V86_TSS, v86_task, V86_SP
    mov dword [V86_TSS + 0x24], EFL_VM | EFL_IOPL3 | 0x2
    mov dword [V86_TSS + 0x4], STACK1_TOP          ; its ring-0 stack
    mov dword [V86_TSS + 0x8], SEL_DATA0
    mov word [V86_TSS + 0x48], 0x0100              ; ES
    mov word [V86_TSS + 0x4C], 0xF000              ; CS
    mov word [V86_TSS + 0x50], V86_SS              ; SS
    mov word [V86_TSS + 0x54], 0x0200              ; DS
    mov word [V86_TSS + 0x58], 0                   ; FS
    mov word [V86_TSS + 0x5C], 0                   ; GS
    mov dword [0x2010], 0x600DF00D                 ; 0200:0010
    ring0_at .back
    jmp SEL_V86_TSS:0
.back:
    check dword [test_var(0)], 0x600DF00D, 1
    check dword [ring0_cs], 0xF000, 2
    mov eax, [ring0_eflags]
    and eax, EFL_VM
    check eax, EFL_VM, 3
    str eax
    check eax, SEL_V86_TSS, 4
    print `v86 task ok\n`
    exit 0

    bits 16
v86_task:
    mov eax, [0x10]                 ; DS = 0x0200
    xor bx, bx
    mov ds, bx
    mov [test_var(0)], eax
    int VEC_RING0
    bits 32
pm_end
