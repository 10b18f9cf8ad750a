; A floppy boot sector that starts a Multiboot (a.out kludge) kernel without a Multiboot loader,
; for emulators that boot only from BIOS devices (Bochs in tests/bench/run.sh). It reads
; KERNEL_SECTORS sectors that follow it on the floppy to 0x10000, enables A20 (port 0x92),
; enters flat 32-bit protected mode, copies the image to its load address and jumps to its entry
; point with EAX = 0x2BADB002 and EBX = 0 (no Multiboot information).
; Build: nasm -f bin -DKERNEL_SECTORS=n floppy_boot.asm
    bits 16
    org 0x7C00

%ifndef KERNEL_SECTORS
%error "KERNEL_SECTORS must be defined"
%endif
%if KERNEL_SECTORS > 17
%error "the kernel must fit on the first track (17 sectors after the boot sector)"
%endif

start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    mov ax, 0x1000
    mov es, ax
    xor bx, bx                      ; ES:BX = 1000:0000
    mov ax, 0x0200 | KERNEL_SECTORS ; read sectors
    mov cx, 0x0002                  ; cylinder 0, sector 2
    xor dh, dh                      ; head 0 (DL: the boot drive from the BIOS)
    int 0x13
    jc $
    in al, 0x92
    or al, 2
    out 0x92, al
    lgdt [gdt_descriptor]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:protected

    bits 32
protected:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7C00
    ; Multiboot header at the start of the image: load_addr at +16, load_end at +20, entry at +28.
    mov esi, 0x10000
    mov edi, [esi + 16]
    mov ecx, [esi + 20]
    sub ecx, edi
    cld
    rep movsb
    mov eax, 0x2BADB002
    xor ebx, ebx
    jmp [0x10000 + 28]

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF           ; 0x08: flat 32-bit code
    dq 0x00CF92000000FFFF           ; 0x10: flat 32-bit data
gdt_descriptor:
    dw gdt_descriptor - gdt - 1
    dd gdt

    times 510 - ($ - $$) db 0
    dw 0xAA55
