; The ways a guest resets the PC: port 0x92 bit 0, the keyboard controller's pulse command
; 0xFE, and the reset control register at 0xCF9. RAM survives each reset; the processor starts
; again at the reset vector. A boot counter in RAM picks the next method.
; tern-boot: bios
; tern-expect: resets ok
%include "guest.inc"
%define BOOTS 0x500
%define MAGIC 0x600
guest_bios_begin
start:
    xor ax, ax
    mov ds, ax
    cmp dword [MAGIC], 0x52455354
    je .counted
    mov dword [MAGIC], 0x52455354
    mov byte [BOOTS], 0
.counted:
    inc byte [BOOTS]
    mov al, [BOOTS]
    cmp al, 1
    je .port92
    cmp al, 2
    je .keyboard
    cmp al, 3
    je .cf9
    print `resets ok\n`
    exit 0
.port92:
    print `reset through port 0x92\n`
    in al, 0x92
    or al, 1
    out 0x92, al
    jmp .hang
.keyboard:
    print `reset through the keyboard controller\n`
    mov al, 0xFE
    out 0x64, al
    jmp .hang
.cf9:
    print `reset through 0xCF9\n`
    mov dx, 0xCF9
    mov al, 0x06
    out dx, al
.hang:
    print `no reset happened\n`
    exit 1
guest_bios_end
