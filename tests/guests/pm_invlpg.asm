; INVLPG and CR3 reloads against cached translations: after a page-table entry changes, the old
; translation stays in use until INVLPG of that page (or a CR3 write) drops it; with CR4.PGE a
; global page survives a CR3 write but not INVLPG. (The stale reads rely on the translation
; still being cached a few instructions later, as it is on a P6.)
; tern-boot: kernel
; tern-expect: invlpg ok
%include "guest.inc"
%include "pm.inc"
%define PAGE 0x300000
%define FRAME_A 0x300000
%define FRAME_B 0x301000
pm_kernel_begin
test_main:
    mov dword [FRAME_A], 0xAAAAAAAA
    mov dword [FRAME_B], 0xBBBBBBBB
    paging_on
    check dword [PAGE], 0xAAAAAAAA, 1
    mov dword [PTE(PAGE)], FRAME_B | 7
    check dword [PAGE], 0xAAAAAAAA, 2           ; cached
    invlpg [PAGE]
    check dword [PAGE], 0xBBBBBBBB, 3
    mov dword [PTE(PAGE)], FRAME_A | 7
    check dword [PAGE], 0xBBBBBBBB, 4
    mov eax, cr3
    mov cr3, eax
    check dword [PAGE], 0xAAAAAAAA, 5

    ; Global page: survives the CR3 write, not INVLPG.
    mov eax, cr4
    or eax, 1 << 7                  ; PGE
    mov cr4, eax
    mov dword [PTE(PAGE)], FRAME_A | 7 | 0x100
    invlpg [PAGE]
    check dword [PAGE], 0xAAAAAAAA, 6
    mov dword [PTE(PAGE)], FRAME_B | 7 | 0x100
    mov eax, cr3
    mov cr3, eax
    check dword [PAGE], 0xAAAAAAAA, 7           ; global: still cached
    invlpg [PAGE]
    check dword [PAGE], 0xBBBBBBBB, 8
    print `invlpg ok\n`
    exit 0
pm_end
