; Conforming code segments: ring 3 may call a DPL 0 conforming segment directly; it runs at CPL 3
; (CS.RPL = 3, ring-0 data still refused) and returns with RETF at the same level. A direct call
; to a DPL 0 non-conforming segment from ring 3 is #GP(selector); a conforming segment with a
; DPL above CPL is #GP(selector) too. A readable conforming segment loads into DS at any CPL.
; tern-boot: kernel
; tern-expect: conforming ok
%include "guest.inc"
%include "pm.inc"
%define SEL_CONF0 (SEL_FREE)
%define SEL_CONF3 (SEL_FREE + 8)
pm_kernel_begin
test_main:
    gdt_set SEL_CONF0, 0, 0xFFFFF, 0x9E, FLAGS_32      ; conforming, readable, DPL 0
    gdt_set SEL_CONF3, 0, 0xFFFFF, 0xFE, FLAGS_32      ; conforming, readable, DPL 3

    ring0_at .back1
    enter_ring3 .r1, 0x202
.r1:
    call SEL_CONF0:LIN(conforming_proc)
    mov ax, SEL_CONF0
    mov fs, ax                      ; readable conforming code: allowed in ring 3
    mov eax, [fs:LIN(conforming_proc)]
    mov [es:test_var(3)], eax
    int VEC_RING0
.back1:
    check dword [test_var(0)], SEL_CONF0 | 3, 1
    check dword [test_var(1)], SEL_DATA3, 2     ; SS unchanged: no stack switch
    mov eax, [LIN(conforming_proc)]
    check dword [test_var(3)], eax, 4

    ; Ring-0 data from the conforming segment at CPL 3: #GP(selector), raised at CPL 3.
    expect_fault .a3
    enter_ring3 .r3, 0x202
.r3:
    call SEL_CONF0:LIN(load_ring0_data)
.a3: check_exc 13, SEL_DATA0, LIN(load_ring0_data.load), 3
    check dword [exc_cs], SEL_CONF0 | 3, 7

    expect_fault .a5
    enter_ring3 .r5, 0x202
.r5:
.i5: call SEL_CODE0:0
.a5: check_exc 13, SEL_CODE0, LIN(.i5), 5

    expect_fault .a6
.i6: jmp SEL_CONF3:LIN(.a6)         ; DPL 3 > CPL 0
.a6: check_exc 13, SEL_CONF3, LIN(.i6), 6
    print `conforming ok\n`
    exit 0

; Runs at the caller's CPL.
conforming_proc:
    mov [es:test_var(0)], cs
    mov [es:test_var(1)], ss
    retf

load_ring0_data:
    mov ax, SEL_DATA0
.load:
    mov gs, ax
    retf
pm_end
