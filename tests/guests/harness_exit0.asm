; The harness itself: a real-mode guest that prints and exits through the debug-exit port with 0.
; tern-boot: bios
; tern-exit: 0
; tern-expect: hello from a real-mode guest
%include "guest.inc"
guest_bios_begin
start:
    print `hello from a real-mode guest\n`
    exit 0
guest_bios_end
