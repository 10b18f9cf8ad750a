; The built-in demo guest of `make run`: a real-mode program that greets on the debug console,
; counts to five and powers off (debug-exit 0).
; tern-boot: bios
; tern-exit: 0
; tern-expect: tern demo guest
%include "guest.inc"
guest_bios_begin
start:
    print `tern demo guest: a real-mode program running on the emulated CPU.\n`
    print `No disk image is set up yet; see README.md for the options to boot your own.\n`
    mov cx, 1
.count:
    mov al, '0'
    add al, cl
    out DEBUGCON, al
    print ` `
    inc cx
    cmp cx, 6
    jne .count
    print `\ndone: powering off\n`
    exit 0
guest_bios_end
