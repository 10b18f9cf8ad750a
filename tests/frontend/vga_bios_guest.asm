; Drives Debian's vgabios-stdvga.bin the way SeaBIOS and DOS programs do, for test_vga_bios: the
; test has copied the ROM to 0xC0000 and put the VGA on PCI at 00:02.0. Phases, each ended by
; writing its number to 0x501 and waiting until the test writes it to 0x500:
;   1. ROM init (AX = PCI bus/device/function), INT 10h AX=0003 (mode 3), teletype output
;   2. INT 10h mode 12h (640x480x16 planar), write pixel (10,10) colour 4
;   3. INT 10h mode 13h (320x200x256), write pixel (100,50) colour 0x28
;   4. INT 10h mode 04h (320x200 CGA 4-colour), write pixel (5,1) colour 3 (an odd line)
;   5. INT 10h mode 0Dh (320x200x16 planar), write pixel (7,3) colour 14
;   6. VBE 4F02 mode 0x143 | LFB (800x600x32), pixel (0,0) through the 0xA0000 window
; then exits 0. Built by tests/frontend/CMakeLists.txt, not run as a stand-alone guest test.
%include "guest.inc"
guest_bios_begin
start:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    mov ds, ax
    mov es, ax
    ; Every vector to an IRET, so nothing stray lands in the void.
    xor di, di
    mov cx, 256
.ivt:
    mov ax, dummy_isr
    stosw
    mov ax, cs
    stosw
    loop .ivt
    mov byte [0x500], 0
    mov byte [0x501], 0

    mov ax, 0x0010                ; 00:02.0
    call 0xC000:0x0003
    mov ax, 0x0003
    int 0x10
    push cs
    pop ds
    mov si, hello
.teletype:
    lodsb
    test al, al
    jz .teletype_done
    mov ah, 0x0E
    mov bx, 0x0007
    int 0x10
    jmp .teletype
.teletype_done:
    xor ax, ax
    mov ds, ax
    mov al, 1
    call phase

    mov ax, 0x0012
    int 0x10
    mov ax, 0x0C04
    xor bx, bx
    mov cx, 10
    mov dx, 10
    int 0x10
    mov al, 2
    call phase

    mov ax, 0x0013
    int 0x10
    mov ax, 0x0C28
    xor bx, bx
    mov cx, 100
    mov dx, 50
    int 0x10
    mov al, 3
    call phase

    mov ax, 0x0004
    int 0x10
    mov ax, 0x0C03
    xor bx, bx
    mov cx, 5
    mov dx, 1
    int 0x10
    mov al, 4
    call phase

    mov ax, 0x000D
    int 0x10
    mov ax, 0x0C0E
    xor bx, bx
    mov cx, 7
    mov dx, 3
    int 0x10
    mov al, 5
    call phase

    mov ax, 0x4F02
    mov bx, 0x4143
    int 0x10
    cmp ax, 0x004F
    jne .fail
    mov ax, 0xA000
    mov es, ax
    mov dword [es:0], 0x00FF8000
    mov al, 6
    call phase
    print `vga bios guest done\n`
    exit 0
.fail:
    exit 1

; Reports phase AL and waits until the test lets it go on.
phase:
    mov [0x501], al
.wait:
    cmp [0x500], al
    jb .wait
    ret

dummy_isr:
    iret

hello: db "HELLO FROM VGABIOS", 13, 10, 0
guest_bios_end
