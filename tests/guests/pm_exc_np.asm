; #NP (vector 11): loading DS with a not-present data segment is #NP(selector); INT n through a
; not-present gate is #NP(vector*8+2); a far call to a not-present code segment is
; #NP(selector). The saved EIP is at the instruction.
; tern-boot: kernel
; tern-expect: #NP ok
%include "guest.inc"
%include "pm.inc"
%define SEL_ABSENT_DATA (SEL_FREE)
%define SEL_ABSENT_CODE (SEL_FREE + 8)
pm_kernel_begin
test_main:
    gdt_set SEL_ABSENT_DATA, 0, 0xFFFFF, ACC_DATA3 & 0x7F, FLAGS_32
    gdt_set SEL_ABSENT_CODE, 0, 0xFFFFF, ACC_CODE0 & 0x7F, FLAGS_32
    expect_fault .after_ds
    mov ax, SEL_ABSENT_DATA | 3     ; RPL is not part of the error code
.load_ds:
    mov ds, ax
    fail 1, "loading a not-present segment did not fault"
.after_ds:
    check_exc 11, SEL_ABSENT_DATA, LIN(.load_ds), 2

    idt_set 0x40, LIN(.absent_handler), SEL_CODE0, ACC_INT32 & 0x7F
    expect_fault .after_int
.int:
    int 0x40
.absent_handler:
    fail 3, "INT through a not-present gate did not fault"
.after_int:
    check_exc 11, 0x40 * 8 + 2, LIN(.int), 4

    expect_fault .after_call
.call:
    call SEL_ABSENT_CODE:0
    fail 5, "far call to a not-present code segment did not fault"
.after_call:
    check_exc 11, SEL_ABSENT_CODE, LIN(.call), 6
    print `#NP ok\n`
    exit 0
pm_end
