; The RTC's periodic interrupt on IRQ 8 through the slave 8259 (cascade on IR2, EOI to both
; chips), with the local APIC left in virtual wire mode; the update-ended flag after a second of
; virtual time; the date registers at the default start time (2024-01-01, BCD).
; tern-boot: kernel
; tern-expect: rtc ok
%include "guest.inc"
%include "pm.inc"
%define ticks test_var(0)

%macro outb 2
    mov al, %2
    out %1, al
%endmacro

%macro cmos 1
    mov al, %1
    out 0x70, al
    in al, 0x71
%endmacro

pm_kernel_begin
test_main:
    cmos 0x09
    movzx eax, al
    check eax, 0x24, 1
    cmos 0x32
    movzx eax, al
    check eax, 0x20, 2
    cmos 0x08
    movzx eax, al
    check eax, 0x01, 3

    outb 0x20, 0x11
    outb 0x21, 0x20
    outb 0x21, 0x04
    outb 0x21, 0x01
    outb 0xA0, 0x11
    outb 0xA1, 0x28
    outb 0xA1, 0x02
    outb 0xA1, 0x01
    outb 0x21, 0xFB                         ; master: only the cascade
    outb 0xA1, 0xFE                         ; slave: only IRQ 8
    idt_set 0x28, LIN(rtc_handler), SEL_CODE0, ACC_INT32
    mov dword [ticks], 0
    cmos 0x0C
    outb 0x70, 0x0A
    outb 0x71, 0x26                         ; 1024 Hz
    outb 0x70, 0x0B
    outb 0x71, 0x42                         ; PIE
    sti
.wait:
    hlt
    cmp dword [ticks], 1100                 ; a little over a second
    jb .wait
    cli
    outb 0x70, 0x0B
    outb 0x71, 0x02
    cmos 0x00                               ; seconds: one has passed
    movzx eax, al
    check eax, 0x01, 4
    print `rtc ok\n`
    exit 0

rtc_handler:
    push eax
    inc dword [ticks]
    mov al, 0x0C
    out 0x70, al
    in al, 0x71
    mov al, 0x20
    out 0xA0, al
    out 0x20, al
    pop eax
    iretd
pm_end
