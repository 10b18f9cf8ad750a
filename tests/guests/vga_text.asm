; Programs the VGA's text mode through its registers, loads a font, writes coloured text to the
; text buffer at 0xB8000 and exits: the headless frontend tests compare its --dump-text output and
; its --screenshot with what it wrote. Pauses of about 2 ms of guest time between the lines give
; --screenshot-every a sequence of different pictures.
; tern-boot: bios
; tern-exit: 0
; tern-expect: vga text ready
%include "guest.inc"
guest_bios_begin
start:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    push cs
    pop ds
    call vga_mode3
    mov si, line1
    mov di, (2 * 80 + 4) * 2
    mov ah, 0x1E                  ; yellow on blue
    call vga_puts
    call pause
    mov si, line2
    mov di, (4 * 80 + 4) * 2
    mov ah, 0x0A                  ; light green on black
    call vga_puts
    call pause
    mov si, line3
    mov di, (24 * 80 + 0) * 2
    mov ah, 0x4F                  ; white on red
    call vga_puts
    print `vga text ready\n`
    exit 0

; About 200000 instructions.
pause:
    mov bx, 3
.outer:
    mov cx, 0xFFFF
.inner:
    loop .inner
    dec bx
    jnz .outer
    ret

line1: db "TERN VGA TEXT MODE 80X25", 0
line2: db "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ!", 0
line3: db "BOTTOM LINE: OK.", 0

%include "vga_mode3.inc"
guest_bios_end
