; A short Multiboot guest that writes a report of host-sensitive results to COM1: x87 results in
; 80-bit form with their status words (transcendentals, rounding, NaN and overflow cases),
; integer edge cases with their flags, and timer readings taken after fixed instruction counts.
; Guest-visible behaviour must not depend on the host, so tools/compare-hosts.sh checks that the
; x86-64 and AArch64 builds write byte-identical serial logs; here the run only checks that the
; report was written completely.
; tern-boot: kernel
; tern-expect: serial report sent
%include "guest.inc"
%include "pm.inc"
%define COM1 0x3F8
%define TWORD test_var(0)           ; 10 bytes: an x87 result
%define STATUS test_var(4)          ; the status word after it
%define INT64 test_var(6)           ; 8 bytes: an integer store
%define CW test_var(8)

; case NAME: starts one line of the report with NAME, on a freshly initialised FPU. The lines
; that follow compute a result and end with `call report_st0` or `call report_alu`.
%macro case 1
    jmp %%code
%%name:
    db %1, ' ', 0
%%code:
    mov esi, LIN(%%name)
    call serial_text
    fninit
%endmacro

pm_kernel_begin
test_main:
    mov esi, LIN(title)
    call serial_text
    mov eax, cr0
    and eax, ~((1 << 2) | (1 << 3))     ; EM, TS: the FPU runs
    mov cr0, eax

    case "fldpi_sqrt"
    fldpi
    fsqrt
    call report_st0

    case "fsin_1"
    fld1
    fsin
    call report_st0

    case "fcos_pi"
    fldpi
    fcos
    call report_st0

    case "fpatan_1_3"
    fld1
    fld dword [LIN(three)]
    fpatan
    call report_st0

    case "fyl2x_3"
    fld1
    fld dword [LIN(three)]
    fyl2x
    call report_st0

    case "f2xm1_half"
    fld1
    fld1
    fadd st0, st0
    fdivp st1, st0
    f2xm1
    call report_st0

    case "fprem_pi"
    fldpi
    fld dword [LIN(big)]
    fprem
    call report_st0

    case "fscale"
    fld dword [LIN(three)]
    fldpi
    fscale
    call report_st0

    case "div_zero"
    fld1
    fldz
    fdivp st1, st0
    call report_st0

    case "zero_zero"
    fldz
    fldz
    fdivp st1, st0
    call report_st0

    case "sqrt_minus"
    fld1
    fchs
    fsqrt
    call report_st0

    case "single_round_up"
    mov word [CW], 0x087F               ; RC = up, PC = single (24 bits)
    fldcw [CW]
    fldpi
    fld dword [LIN(three)]
    fdivp st1, st0
    call report_st0

    case "fist_overflow"
    fld dword [LIN(big)]
    fistp word [INT64]
    fild word [INT64]
    call report_st0

    case "fbstp"
    fldpi
    fld dword [LIN(big)]
    fmulp st1, st0
    fbstp [TWORD]                       ; packed BCD, rounded to an integer
    fbld [TWORD]
    call report_st0

    case "denormal"
    fld tword [LIN(tiny)]
    fld1
    fld1
    faddp st1, st0
    fdivp st1, st0
    call report_st0

    case "imul_overflow"
    mov eax, 0x7FFFFFFF
    mov edx, 3
    imul edx
    call report_alu

    case "div_wide"
    mov edx, 0x12345
    mov eax, 0x6789ABCD
    mov ecx, 0xFEDCBA98
    div ecx
    call report_alu

    case "shld_large"
    mov eax, 0x80000001
    mov edx, 0x12345678
    mov cl, 45
    shld eax, edx, cl
    call report_alu

    case "rcr_count"
    mov eax, 0x12345678
    stc
    mov cl, 17
    rcr ax, cl
    call report_alu

    case "bsr_bsf"
    mov edx, 0x00F01000
    bsr eax, edx
    bsf edx, edx
    call report_alu

    case "aam_das"
    mov eax, 0x9F
    aam 7
    das
    call report_alu

    ; PIT channel 0 (mode 2, full count) read after a fixed loop, and the RTC seconds register:
    ; both follow virtual time, which advances with retired instructions on every host.
    mov al, 0x34
    out 0x43, al
    xor al, al
    out 0x40, al
    out 0x40, al
    mov ecx, 5000
.spin:
    loop .spin
    xor al, al
    out 0x43, al                        ; latch channel 0
    in al, 0x40
    mov ah, al
    in al, 0x40
    xchg al, ah
    movzx eax, ax
    call serial_hex
    mov al, 0x00
    out 0x70, al
    in al, 0x71
    movzx eax, al
    call serial_hex
    call serial_newline

    mov esi, LIN(done)
    call serial_text
    mov dx, COM1 + 5
.drain:
    in al, dx                           ; LSR.TEMT: the last character has left the UART
    test al, 0x40
    jz .drain
    print `serial report sent\n`
    exit 0

; Reports ST0 (80 bits: sign/exponent, then the significand) and the status word on one line.
report_st0:
    fnstsw [STATUS]
    fstp tword [TWORD]
    movzx eax, word [TWORD + 8]
    call serial_hex
    mov eax, [TWORD + 4]
    call serial_hex
    mov eax, [TWORD]
    call serial_hex
    movzx eax, word [STATUS]
    call serial_hex
    jmp serial_newline

; Reports EAX, EDX and EFLAGS (the arithmetic flags) on one line.
report_alu:
    pushfd
    call serial_hex
    mov eax, edx
    call serial_hex
    pop eax
    and eax, 0x8D5
    call serial_hex
    jmp serial_newline

; Writes EAX as 8 hex digits and a space.
serial_hex:
    push eax
    push ecx
    push edx
    mov edx, eax
    mov ecx, 8
.digit:
    rol edx, 4
    mov al, dl
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'A' - '0' - 10
.out:
    call serial_char
    loop .digit
    mov al, ' '
    call serial_char
    pop edx
    pop ecx
    pop eax
    ret

serial_newline:
    mov al, `\n`
    jmp serial_char

; Writes the zero-terminated text at ESI.
serial_text:
    lodsb
    test al, al
    jz .end
    call serial_char
    jmp serial_text
.end:
    ret

; Writes AL to COM1 once the transmit holding register is empty (16550A LSR bit 5).
serial_char:
    push eax
    push edx
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    pop edx
    pop eax
    ret

title:
    db `tern serial report: x87 (ST0, FSW), integer (EAX, EDX, flags), PIT and RTC\n`, 0
done:
    db `end of report\n`, 0
three:
    dd 3.0
big:
    dd 1.0e9
tiny:
    dq 0x0000000000000123       ; a denormal extended real
    dw 0x0000
pm_end
