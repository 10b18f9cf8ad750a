; Privilege-level round trips: ring 0 -> ring 3 with IRET and with RETF to an outer level, ring 3
; -> ring 0 through an interrupt gate, ring 0 -> ring 1 -> ring 3. Returning outward nulls the
; data segment registers (DS ES FS GS) that hold segments of a lower DPL, keeps the others;
; CS.RPL is the new CPL. POPF in ring 3 with IOPL 0 changes neither IF nor IOPL.
; tern-boot: kernel
; tern-expect: rings ok
%include "guest.inc"
%include "pm.inc"
pm_kernel_begin
test_main:
    ; IRET to ring 3 with DS = ring 0 data, FS = ring 3 data, GS = ring 0 data.
    mov ax, SEL_DATA0
    mov ds, ax
    mov gs, ax
    mov ax, SEL_DATA3
    mov fs, ax
    ring0_at .back1
    push dword SEL_DATA3
    push dword STACK3_TOP
    push dword 0x202
    push dword SEL_CODE3
    push dword LIN(.r1)
    iretd
.r1:
    mov [fs:test_var(0)], ds
    mov [fs:test_var(1)], fs
    mov [fs:test_var(2)], gs
    mov [fs:test_var(3)], cs
    mov [fs:test_var(4)], ss
    ; POPF cannot change IF or IOPL here.
    pushfd
    pop eax
    and eax, ~EFL_IF
    or eax, EFL_IOPL3
    push eax
    popfd
    pushfd
    pop dword [fs:test_var(5)]
    int VEC_RING0
.back1:
    check dword [test_var(0)], 0, 1
    check dword [test_var(1)], SEL_DATA3, 2
    check dword [test_var(2)], 0, 3
    check dword [test_var(3)], SEL_CODE3, 4
    check dword [test_var(4)], SEL_DATA3, 5
    mov eax, [test_var(5)]
    and eax, EFL_IF | EFL_IOPL3
    check eax, EFL_IF, 6
    check dword [ring0_cs], SEL_CODE3, 7

    ; RETF to ring 1, then RETF from ring 1 to ring 3.
    ring0_at .back2
    mov ax, SEL_DATA1
    mov es, ax
    push dword SEL_DATA1
    push dword STACK1_TOP
    push dword SEL_CODE1
    push dword LIN(.r2)
    retf
.r2:
    mov [es:test_var(6)], cs
    mov [es:test_var(7)], ss
    mov [es:test_var(8)], esp
    push dword SEL_DATA3
    push dword STACK3_TOP - 0x10
    push dword SEL_CODE3
    push dword LIN(.r3)
    retf
.r3:
    mov [ss:test_var(9)], es        ; ES held a DPL 1 segment: nulled
    mov [ss:test_var(10)], esp
    int VEC_RING0
.back2:
    check dword [test_var(6)], SEL_CODE1, 8
    check dword [test_var(7)], SEL_DATA1, 9
    check dword [test_var(8)], STACK1_TOP, 10
    check dword [test_var(9)], 0, 11
    check dword [test_var(10)], STACK3_TOP - 0x10, 12

    ; RETF to an inner level is #GP(selector).
    expect_fault .a13
    enter_ring3 .r13, 0x202
.r13:
    push dword SEL_CODE0
    push dword 0
.i13: retf
.a13: check_exc 13, SEL_CODE0, LIN(.i13), 13

    ; IRET to ring 3 with a ring 0 stack segment is #GP(SS selector).
    expect_fault .a14
    push dword SEL_DATA0
    push dword STACK3_TOP
    push dword 0x202
    push dword SEL_CODE3
    push dword 0
.i14: iretd
.a14: check_exc 13, SEL_DATA0, LIN(.i14), 14
    print `rings ok\n`
    exit 0
pm_end
