; --send-keys types into the PS/2 keyboard at a guest time: the guest polls the i8042 and exits
; 0 when it reads the make code of the 'a' key (set 1 0x1E with translation, set 2 0x1C without).
; tern-boot: bios
; tern-args: --send-keys a@0.05 --guest-timeout 1
; tern-exit: 0
; tern-expect: got a
%include "guest.inc"
guest_bios_begin
start:
.poll:
    in al, 0x64
    test al, 1
    jz .poll
    in al, 0x60
    cmp al, 0x1E
    je .got
    cmp al, 0x1C
    je .got
    jmp .poll
.got:
    print `got a\n`
    exit 0
guest_bios_end
