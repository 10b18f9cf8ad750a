; A guest that never ends is stopped by --timeout with exit code 124.
; tern-boot: bios
; tern-args: --timeout 1
; tern-exit: 124
; tern-expect: spinning
%include "guest.inc"
guest_bios_begin
start:
    print `spinning\n`
.spin:
    jmp .spin
guest_bios_end
