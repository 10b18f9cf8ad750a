; A 16-bit (80286) TSS: CALL loads IP, FLAGS, the eight word registers and ES CS SS DS from its
; 44-byte layout, marks it busy (type 3), sets NT and the back link; IRET returns to the 32-bit
; caller task.
; tern-boot: kernel
; tern-expect: 16-bit TSS ok
%include "guest.inc"
%include "pm.inc"
%define SEL_TSS16 (SEL_FREE)
%define TSS16 (PM_FREE)
pm_kernel_begin
test_main:
    gdt_set SEL_TSS16, TSS16, 0x2B, ACC_TSS16, 0
    mov edi, TSS16
    mov ecx, 0x2C / 4
    xor eax, eax
    rep stosd
    mov word [TSS16 + 0x0E], IMG_OFF(task16)   ; IP
    mov word [TSS16 + 0x10], 0x0002            ; FLAGS
    mov word [TSS16 + 0x12], 0x1616            ; AX
    mov word [TSS16 + 0x1A], 0xFFF0            ; SP
    mov word [TSS16 + 0x22], SEL_DATA0         ; ES
    mov word [TSS16 + 0x24], SEL_CODE_IMAGE    ; CS
    mov word [TSS16 + 0x26], SEL_DATA16        ; SS (16-bit, base 0)
    mov word [TSS16 + 0x28], SEL_DATA0         ; DS
    mov ebx, 0xB0B0B0B0
    call SEL_TSS16:0
    check ebx, 0xB0B0B0B0, 1
    check dword [test_var(0)], 0x1616, 2
    check dword [test_var(1)], EFL_NT, 3
    check dword [test_var(2)], SEL_TSS, 4
    check dword [test_var(3)], ACC_TSS16 | 2, 5
    movzx eax, byte [PM_GDT + SEL_TSS16 + 5]
    check eax, ACC_TSS16, 6
    print `16-bit TSS ok\n`
    exit 0

task16:
    movzx eax, ax
    mov [test_var(0)], eax
    pushfd
    pop eax
    and eax, EFL_NT
    mov [test_var(1)], eax
    movzx eax, word [TSS16]
    mov [test_var(2)], eax
    movzx eax, byte [PM_GDT + SEL_TSS16 + 5]
    mov [test_var(3)], eax
    iretd
pm_end
