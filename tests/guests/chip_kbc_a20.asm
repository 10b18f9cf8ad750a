; The i8042: controller self-test, keyboard identify through the output buffer, the A20 gate
; through the output port and through port 0x92 (with A20 off, 1 MiB + x aliases x).
; tern-boot: bios
; tern-expect: kbc ok
%include "guest.inc"
%include "pm.inc"

%macro outb 2
    mov al, %2
    out %1, al
%endmacro

; Waits for the output buffer and reads it into AL.
%macro kbc_read 0
%%wait:
    in al, 0x64
    test al, 1
    jz %%wait
    in al, 0x60
%endmacro

pm_bios_begin
test_main:
    outb 0x64, 0xAA
    kbc_read
    movzx eax, al
    check eax, 0x55, 1
    outb 0x64, 0x60
    outb 0x60, 0x00                         ; command byte: no interrupts, no translation
    outb 0x60, 0xF2                         ; keyboard: identify
    kbc_read
    movzx eax, al
    check eax, 0xFA, 2
    kbc_read
    movzx eax, al
    check eax, 0xAB, 3
    kbc_read
    movzx eax, al
    check eax, 0x83, 4

    mov dword [0x000500], 0x11111111
    mov dword [0x100500], 0x22222222
    check dword [0x000500], 0x11111111, 5   ; A20 on at reset: two locations
    outb 0x64, 0xD1
    outb 0x60, 0x01                         ; output port: A20 off, not in reset
    check dword [0x100500], 0x11111111, 6   ; wraps to 0x500
    outb 0x92, 0x02                         ; fast A20 on
    check dword [0x100500], 0x22222222, 7
    outb 0x92, 0x00
    check dword [0x100500], 0x11111111, 8
    outb 0x64, 0xDF                         ; A20 on through the controller
    check dword [0x100500], 0x22222222, 9
    print `kbc ok\n`
    exit 0
pm_end
