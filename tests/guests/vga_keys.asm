; The window test's guest: programs the VGA text mode with its own font, shows a banner, then
; echoes what is typed on the PS/2 keyboard (scancode set 1 through the i8042 with translation)
; on the screen and, at Enter, on the debug console as "typed: TEXT". It never ends by itself:
; the test closes the window. Headless, with no one typing, it runs until its timeout.
; tern-boot: bios
; tern-args: --timeout 2
; tern-exit: 124
; tern-expect: vga keys ready
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
    mov si, banner
    mov di, (1 * 80 + 2) * 2
    mov ah, 0x1F                  ; white on blue
    call vga_puts
    mov si, prompt
    mov di, (3 * 80 + 2) * 2
    mov ah, 0x0E                  ; yellow
    call vga_puts
    call kbd_setup
    print `vga keys ready\n`
    mov di, (3 * 80 + 4) * 2      ; where typed characters go
.poll:
    in al, 0x64
    cmp al, 0xFF                  ; no controller: nothing to echo
    je .idle
    test al, 1
    jz .poll
    in al, 0x60
    cmp al, 0x1C                  ; Enter
    je .enter
    cmp al, 0x3A
    jae .poll                     ; releases and keys without a character
    xor bh, bh
    mov bl, al
    mov al, [set1_ascii + bx]
    test al, al
    jz .poll
    out DEBUGCON, al              ; keep a copy for the console line
    push es
    mov bx, 0xB800
    mov es, bx
    mov ah, 0x0A                  ; light green
    stosw
    pop es
    jmp .poll
.enter:
    print `\ntyped\n`
    mov si, done
    mov di, (5 * 80 + 2) * 2
    mov ah, 0x0F
    call vga_puts
    jmp .poll
.idle:
    print `no keyboard controller\n`
.halt:
    hlt
    jmp .halt

; Command byte 0x44: keyboard interrupt off, system flag, translation to set 1 on.
kbd_setup:
    call .wait
    mov al, 0x60
    out 0x64, al
    call .wait
    mov al, 0x44
    out 0x60, al
    ret
.wait:
    in al, 0x64
    cmp al, 0xFF
    je .ready
    test al, 2
    jnz .wait
.ready:
    ret

banner: db "TERN WINDOW TEST", 0
prompt: db "> ", 0
done:   db "DONE", 0

; Scancode set 1 make codes 0x00-0x39 to the characters of the font (0: none).
set1_ascii:
    db 0, 0, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', 0, 0, 0
    db 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', 0, 0, 0, 0, 'A', 'S'
    db 'D', 'F', 'G', 'H', 'J', 'K', 'L', 0, 0, 0, 0, 0, 'Z', 'X', 'C', 'V'
    db 'B', 'N', 'M', 0, '.', 0, 0, 0, 0, ' '

%include "vga_mode3.inc"
guest_bios_end
