; Data breakpoints (DR0-DR3 with DR7 RW = 01 write or 11 read/write, LEN 1/2/4 bytes): an access
; that touches the watched bytes raises a #DB trap after the instruction (saved EIP of the next
; instruction) with the breakpoint's B bit in DR6; reads do not trigger write breakpoints;
; disabled breakpoints (L and G clear) do not trigger; an I/O breakpoint (RW = 10 with CR4.DE)
; triggers on IN/OUT to its port.
; tern-boot: kernel
; tern-expect: data breakpoints ok
%include "guest.inc"
%include "pm.inc"
%define WATCH (PM_FREE + 0x100)
pm_kernel_begin
test_main:
    install_db_recorder
    mov eax, WATCH
    mov dr0, eax
    mov eax, 0x000D0001             ; L0, RW0 = write, LEN0 = 4 bytes
    mov dr7, eax

    mov eax, [WATCH]                ; read: no trap
    mov byte [WATCH - 1], 1         ; outside: no trap
    check dword [db_count], 0, 1
.w1: mov byte [WATCH + 3], 1
.a1: check dword [db_count], 1, 2
    check dword [db_eip(0)], LIN(.a1), 3
    mov eax, [db_dr6]
    and eax, 0xE00F
    check eax, 1, 4                 ; B0
.w2: mov dword [WATCH - 2], 0       ; overlaps the first two watched bytes
.a2: check dword [db_count], 2, 5
    check dword [db_eip(1)], LIN(.a2), 6

    ; DR1: read/write, 2 bytes at WATCH + 0x10 (aligned down from +0x11).
    mov dword [db_dr6], 0
    mov eax, WATCH + 0x11
    mov dr1, eax
    mov eax, 0x007D0005             ; + L1, RW1 = read/write, LEN1 = 2 bytes
    mov dr7, eax
.r3: mov al, [WATCH + 0x10]
.a3: check dword [db_count], 3, 7
    check dword [db_eip(2)], LIN(.a3), 8
    mov eax, [db_dr6]
    and eax, 0xF
    check eax, 2, 9                 ; B1
    push dword [WATCH + 0x10]       ; a push's memory source is a data read too
.a4: add esp, 4
    check dword [db_count], 4, 10
    check dword [db_eip(3)], LIN(.a4), 11

    ; Disabled: no trap.
    mov eax, 0x007D0000
    mov dr7, eax
    mov byte [WATCH], 2
    mov al, [WATCH + 0x10]
    check dword [db_count], 4, 12

    ; I/O breakpoint on port 0x80 (CR4.DE).
    mov eax, cr4
    or eax, 1 << 3
    mov cr4, eax
    mov eax, 0x80
    mov dr2, eax
    mov eax, 0x02000010             ; L2, RW2 = I/O, LEN2 = 1
    mov dr7, eax
    out 0x81, al
    check dword [db_count], 4, 13
.o5: out 0x80, al
.a5: check dword [db_count], 5, 14
    check dword [db_eip(4)], LIN(.a5), 15
    xor eax, eax
    mov dr7, eax
    print `data breakpoints ok\n`
    exit 0
pm_end
