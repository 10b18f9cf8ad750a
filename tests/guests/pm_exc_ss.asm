; #SS (vector 12): a push past the limit of an expand-down stack segment is #SS(0) with ESP
; unchanged; a stack access beyond the limit is #SS(0); loading SS with a not-present segment is
; #SS(selector). The saved EIP is at the instruction. (The faulting stack code runs in ring 3 so
; that the handler gets the ring-0 stack from the TSS.)
; tern-boot: kernel
; tern-expect: #SS ok
%include "guest.inc"
%include "pm.inc"
%define SEL_SMALL_STACK (SEL_FREE | 3)
%define SEL_ABSENT_STACK (SEL_FREE + 8)
pm_kernel_begin
test_main:
    ; Expand-down, 32-bit, ring 3: valid offsets 0x8000-0xFFFFFFFF.
    gdt_set SEL_SMALL_STACK, 0x30000, 0x7FFF, 0xF6, 0x4
    gdt_set SEL_ABSENT_STACK, 0, 0xFFFFF, ACC_DATA0 & 0x7F, FLAGS_32

    expect_fault .after_push
    enter_ring3 .ring3_push, 0x202
.ring3_push:
    mov ax, SEL_SMALL_STACK
    mov ss, ax
    mov esp, 0x8004
    push eax                        ; to 0x8000: fits
.push:
    push eax                        ; to 0x7FFC: below the expand-down limit
    jmp $
.after_push:
    check_exc 12, 0, LIN(.push), 1
    check dword [exc_esp], 0x8000, 2
    check dword [exc_ss], SEL_SMALL_STACK, 3

    expect_fault .after_read
    enter_ring3 .ring3_read, 0x202
.ring3_read:
    mov ax, SEL_SMALL_STACK
    mov ss, ax
    mov esp, 0x9000
.read:
    mov eax, [ss:0x7FFE]            ; straddles the limit
    jmp $
.after_read:
    check_exc 12, 0, LIN(.read), 4

    expect_fault .after_load
    mov ax, SEL_ABSENT_STACK
.load:
    mov ss, ax
    fail 5, "loading a not-present stack segment did not fault"
.after_load:
    check_exc 12, SEL_ABSENT_STACK, LIN(.load), 6
    print `#SS ok\n`
    exit 0
pm_end
