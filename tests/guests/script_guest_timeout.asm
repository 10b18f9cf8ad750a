; --guest-timeout ends a run that never finishes with 124 after that much guest time.
; tern-boot: bios
; tern-args: --guest-timeout 0.02
; tern-exit: 124
; tern-expect: spinning
%include "guest.inc"
guest_bios_begin
start:
    print `spinning\n`
.spin:
    jmp .spin
guest_bios_end
