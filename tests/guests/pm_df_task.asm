; #DF through a task gate, as Linux handles kernel stack overflows: a ring-0 push beyond the
; stack segment's limit is #SS(0); delivering it needs the same stack (#SS again), which makes
; #DF; the #DF task gate switches to a TSS with a good stack. The #DF task finds error code 0 on
; its stack, the old task's EIP at the push and ESP unchanged in the old TSS, NT set and the
; back link; the old task stays busy.
; tern-boot: kernel
; tern-expect: #DF task ok
%include "guest.inc"
%include "pm.inc"
%define SEL_SMALL_STACK (SEL_FREE)
%define SEL_DF_TSS      (SEL_FREE + 8)
%define DF_TSS (PM_FREE)
pm_kernel_begin
test_main:
    gdt_set SEL_SMALL_STACK, 0x40000, 0xFFF, ACC_DATA0, 0x4
    gdt_set SEL_DF_TSS, DF_TSS, 0x67, ACC_TSS32, 0
    mov edi, DF_TSS
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [DF_TSS + 0x20], LIN(df_task)
    mov dword [DF_TSS + 0x24], 0x2
    mov dword [DF_TSS + 0x38], STACK2_TOP
    mov word [DF_TSS + 0x48], SEL_DATA0
    mov word [DF_TSS + 0x4C], SEL_CODE0
    mov word [DF_TSS + 0x50], SEL_DATA0
    mov word [DF_TSS + 0x54], SEL_DATA0
    mov word [DF_TSS + 0x58], SEL_DATA0
    mov word [DF_TSS + 0x5C], SEL_DATA0
    idt_set 8, 0, SEL_DF_TSS, ACC_TASK

    mov ax, SEL_SMALL_STACK
    mov ss, ax
    mov esp, 4
    push eax                        ; to 0: fits
.overflow:
    push eax                        ; to 0xFFFFFFFC: beyond the limit
    fail 1, "stack overflow did not fault"

df_task:
    pop eax
    check eax, 0, 2
    check dword [PM_TSS + 0x20], LIN(test_main.overflow), 3
    check dword [PM_TSS + 0x38], 0, 4            ; ESP of the old task
    movzx eax, word [PM_TSS + 0x50]
    check eax, SEL_SMALL_STACK, 5                ; SS of the old task
    movzx eax, word [DF_TSS]
    check eax, SEL_TSS, 6                        ; back link
    pushfd
    pop eax
    and eax, EFL_NT
    check eax, EFL_NT, 7
    str eax
    check eax, SEL_DF_TSS, 8
    movzx eax, byte [PM_GDT + SEL_TSS + 5]
    check eax, 0x8B, 9                           ; the old task is still busy
    print `#DF task ok\n`
    exit 0
pm_end
