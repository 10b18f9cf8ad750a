; The harness passes a guest's debug-exit value through as the exit code (here 7).
; tern-boot: bios
; tern-exit: 7
; tern-expect: exiting with 7
%include "guest.inc"
guest_bios_begin
start:
    print `exiting with 7\n`
    exit 7
guest_bios_end
