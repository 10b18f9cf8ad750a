; Configuration mechanism #1 finds the board's functions on bus 0: the i440FX at 00.0, the PIIX3
; ISA bridge (multi-function) at 01.0, the PIIX4 PM function at 01.3, the VGA at 02.0; an empty
; slot reads all ones; the disabled mechanism reads all ones.
; tern-boot: bios
; tern-expect: pci scan ok
%include "guest.inc"

; pci_read32 DEVFN, REGISTER -> EAX
%macro pci_read32 2
    mov eax, 0x80000000 | (%1 << 8) | %2
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    in eax, dx
%endmacro

%macro expect 2
    cmp eax, %1
    je %%ok
    exit %2
%%ok:
%endmacro

guest_bios_begin
start:
    pci_read32 0x00, 0x00
    expect 0x12378086, 1
    pci_read32 0x08, 0x00
    expect 0x70008086, 2
    pci_read32 0x08, 0x0C
    and eax, 0x00800000                     ; header type bit 7: multi-function
    expect 0x00800000, 3
    pci_read32 0x0B, 0x00
    expect 0x71138086, 4
    pci_read32 0x10, 0x00
    expect 0x11111234, 5
    pci_read32 0x18, 0x00
    expect 0xFFFFFFFF, 6
    mov eax, 0x00000000                     ; enable bit clear
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    in eax, dx
    expect 0xFFFFFFFF, 7
    print `pci scan ok\n`
    exit 0
guest_bios_end
