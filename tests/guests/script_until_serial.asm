; --until-serial ends the run with 0 as soon as the text appears on COM1, while the guest runs on.
; tern-boot: bios
; tern-args: --until-serial READY
; tern-exit: 0
%include "guest.inc"
guest_bios_begin
start:
    mov si, message
    mov dx, 0x3F8
.next:
    mov al, [cs:si]
    test al, al
    jz .spin
    out dx, al
    inc si
    jmp .next
.spin:
    jmp .spin
message: db "booting... READY", 0
guest_bios_end
