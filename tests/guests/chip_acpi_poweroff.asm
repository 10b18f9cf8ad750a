; ACPI soft-off the way an OS does it after reading the FADT: the firmware's PCI setup of the
; PIIX4 PM function (PMBASE 0x600, PMIOSE), ACPI mode through the APM port 0xB2, then SLP_TYP 0
; with SLP_EN in PM1a_CNT. The run must end with exit 0 right there.
; tern-boot: bios
; tern-expect: powering off
%include "guest.inc"

; pci_write32 DEVFN, REGISTER, VALUE on bus 0.
%macro pci_write32 3
    mov eax, 0x80000000 | (%1 << 8) | %2
    mov dx, 0xCF8
    out dx, eax
    mov eax, %3
    mov dx, 0xCFC
    out dx, eax
%endmacro

guest_bios_begin
start:
    pci_write32 0x0B, 0x40, 0x601           ; 00:01.3 PMBASE = 0x600
    pci_write32 0x0B, 0x80, 0x01            ; PMREGMISC: PM I/O space on
    mov dx, 0x604
    in ax, dx
    test ax, 1
    jz .acpi_off
    print `SCI_EN set before ACPI enable\n`
    exit 1
.acpi_off:
    mov al, 0xF1
    out 0xB2, al                            ; ACPI_ENABLE
    mov dx, 0x604
    in ax, dx
    test ax, 1
    jnz .acpi_on
    print `ACPI enable did not set SCI_EN\n`
    exit 2
.acpi_on:
    mov dx, 0x608                           ; the ACPI timer runs
    in eax, dx
    mov ebx, eax
    mov cx, 1000
.spin:
    loop .spin
    in eax, dx
    cmp eax, ebx
    jne .timer_ok
    print `ACPI timer stopped\n`
    exit 3
.timer_ok:
    print `powering off\n`
    mov dx, 0x604
    mov ax, 0x2001                          ; SLP_EN, SLP_TYP 0, SCI_EN
    out dx, ax
    print `still running after soft-off\n`
    exit 4
guest_bios_end
