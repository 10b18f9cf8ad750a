; The I/O permission bitmap (Intel SDM Vol. 1 §19.5.2): with CPL > IOPL, IN/OUT/INS/OUTS are
; allowed only when the bitmap bits of every port accessed are clear (a word or dword access
; checks 2 or 4 bits, also across a byte boundary of the bitmap); ports whose bits lie beyond
; the TSS limit are refused; IOPL 3 bypasses the bitmap. Refusals are #GP(0) at the
; instruction.
; tern-boot: kernel
; tern-expect: I/O bitmap ok
%include "guest.inc"
%include "pm.inc"
%define allow(port) and byte [PM_TSS_IOMAP + (port) / 8], ~(1 << ((port) % 8))

; io_denied ENTRY, INSTRUCTION, EXIT: ring 3 code from ENTRY must #GP(0) at INSTRUCTION.
%macro io_denied 3
    expect_fault %%after
    enter_ring3 %1, 0x202
%%after:
    check_exc 13, 0, LIN(%2), %3
%endmacro

pm_kernel_begin
test_main:
    io_denied .r1, .r1, 1
    allow(0x80)
    allow(0x81)
    allow(0x87)
    allow(0x88)
    mov dword [test_var(0)], 0
    ring0_at .back2
    enter_ring3 .r2, 0x202
.r2:
    out 0x80, al
    out 0x80, ax
    in al, 0x81
    mov dx, 0x87
    in ax, dx                       ; ports 0x87 and 0x88: two bitmap bytes
    mov esi, test_var(0)
    mov dx, 0x80
    outsb
    int VEC_RING0
.back2:
    io_denied .r3, .r3, 2
    io_denied .r4, .r4, 3
    io_denied .r5, .i5, 4
    or byte [PM_TSS_IOMAP + 0x88 / 8], 1 << (0x88 % 8)
    io_denied .r6, .i6, 5

    ; IOPL 3: no bitmap check.
    ring0_at .back7
    enter_ring3 .r7, 0x202 | EFL_IOPL3
.r7:
    out 0x82, al
    int VEC_RING0
.back7:

    ; A TSS limit that ends the bitmap at port 0xFF: port 0x100 is refused even with its bit
    ; clear in memory.
    allow(0x100)
    gdt_set SEL_TSS, PM_TSS, PM_TSS_IOMAP_OFFSET + 0x1F, ACC_TSS32, 0
    mov ax, SEL_TSS
    ltr ax
    io_denied .r8, .i8, 6
    print `I/O bitmap ok\n`
    exit 0

.r1: out 0x80, al                   ; everything denied at first
.r3: out 0x80, eax                  ; 0x82 and 0x83 are denied
.r4: in al, 0x82
.r5: mov esi, 0
    mov dx, 0x82
.i5: outsb
.r6: mov dx, 0x87
.i6: in ax, dx                      ; 0x88 denied again
.r8: mov dx, 0x100
.i8: in al, dx
pm_end
