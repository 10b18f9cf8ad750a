; A Multiboot kernel that writes to the VGA text buffer without programming the VGA: a direct
; kernel boot must leave the text mode and the font the VGA BIOS would have set (test_screenshot
; checks the picture).
; tern-boot: kernel
; tern-exit: 0
; tern-expect: vga multiboot done
%include "guest.inc"
guest_kernel_begin
start:
    mov esi, message
    mov edi, 0xB8000 + (1 * 80 + 2) * 2
    mov ah, 0x0F                  ; white on black
.next:
    lodsb
    test al, al
    jz .done
    stosw
    jmp .next
.done:
    print `vga multiboot done\n`
    exit 0

message: db "Multiboot text in the BIOS font", 0
guest_kernel_end
