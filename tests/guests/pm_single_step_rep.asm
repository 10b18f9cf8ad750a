; REP string instructions and #DB traps (Intel SDM Vol. 3 §17.3.1.2, §17.3.1.4): with TF set a
; REP MOVSB traps after every iteration, with the saved EIP at the REP instruction until the last
; iteration (then after it) and ECX counting down; a data breakpoint hit by one iteration of REP
; STOSB traps after that iteration. The handler's IRETD resumes the instruction.
; tern-boot: kernel
; tern-expect: REP single-step ok
%include "guest.inc"
%include "pm.inc"
%define SRC (PM_FREE)
%define DST (PM_FREE + 0x100)
pm_kernel_begin
test_main:
    install_db_recorder
    mov esi, SRC
    mov edi, DST
    mov ecx, 3
    cld
    pushfd
    or dword [esp], EFL_TF
    popfd
.rep: rep movsb
.after:
    pushfd
    and dword [esp], ~EFL_TF
    popfd
    check dword [db_count], 6, 1                 ; 3 iterations, PUSHFD, AND, POPFD
    check dword [db_eip(0)], LIN(.rep), 2
    check dword [db_ecx(0)], 2, 3
    check dword [db_eip(1)], LIN(.rep), 4
    check dword [db_ecx(1)], 1, 5
    check dword [db_eip(2)], LIN(.after), 6
    check dword [db_ecx(2)], 0, 7

    ; Data breakpoint on DST + 5, hit by the sixth iteration of 10.
    mov dword [db_count], 0
    mov eax, DST + 5
    mov dr0, eax
    mov eax, 0x00010001             ; L0, RW0 = write, LEN0 = 1
    mov dr7, eax
    mov edi, DST
    mov ecx, 10
    xor eax, eax
.stos: rep stosb
    check dword [db_count], 1, 8
    check dword [db_eip(0)], LIN(.stos), 9
    check dword [db_ecx(0)], 4, 10
    check ecx, 0, 11
    print `REP single-step ok\n`
    exit 0
pm_end
