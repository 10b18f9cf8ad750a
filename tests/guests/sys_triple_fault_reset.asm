; Without --no-reboot a triple fault resets the machine: the processor starts again at the
; reset vector in real mode while RAM keeps its contents. Here an empty real-mode IVT (IDTR limit
; 0) makes INT3 undeliverable (#GP), then #GP (#DF), then #DF (shutdown).
; tern-boot: bios
; tern-expect: back after reset
%include "guest.inc"
%define MARKER 0x500
guest_bios_begin
start:
    xor ax, ax
    mov ds, ax
    cmp dword [MARKER], 0x7E57B007
    je .after_reset
    mov dword [MARKER], 0x7E57B007
    print `triple fault next\n`
    lidt [cs:empty_ivt]
    int3
    print `survived an empty IVT\n`
    exit 1
.after_reset:
    ; The reset state: real mode, IVT back at 0 with limit 0xFFFF.
    mov eax, cr0
    test al, 1
    jz .real
    exit 2
.real:
    sidt [0x600]
    cmp word [0x600], 0xFFFF
    je .ivt_ok
    exit 3
.ivt_ok:
    print `back after reset\n`
    exit 0
empty_ivt:
    dw 0
    dd 0
guest_bios_end
