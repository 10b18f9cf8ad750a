; intbench: a CPU-bound integer benchmark guest (Multiboot kernel, flat 32-bit protected mode).
;
; Each round runs three kernels of everyday integer code over a 16 KiB buffer of text-like bytes
; (eight symbols, so it compresses):
;   - CRC-32 (table-driven, byte at a time): loads, shifts, xors, a tight loop;
;   - Shell sort of 4096 dwords drawn from the buffer: compares, data-dependent branches;
;   - an LZ77-style compressor (hash of 3 bytes, 4 KiB window): hashing, byte compares, stores.
; The results fold into a checksum printed in hex on the debug console (port 0xE9). The run ends
; through isa-debug-exit (port 0xF4, tern) and the Bochs shutdown port (0x8900), so the same image
; can be timed on both. ROUNDS (nasm -DROUNDS=n) sets the amount of work; ROUNDS=0 measures the
; fixed cost of booting and reporting.
%include "guest.inc"

%ifndef ROUNDS
%define ROUNDS 40
%endif
%define BUF_SIZE 16384
%define SORT_COUNT 4096
%define HASH_BITS 12

guest_kernel_begin
start:
    mov esp, stack_top
    call crc_init
    mov dword [seed], 0x12345678
    xor ebp, ebp                    ; checksum
    mov ecx, ROUNDS
    test ecx, ecx
    jz .report
.round:
    push ecx
    call fill_buffer
    call crc32
    add ebp, eax
    rol ebp, 5
    call sort
    xor ebp, eax
    rol ebp, 7
    call compress
    add ebp, eax
    pop ecx
    dec ecx
    jnz .round
.report:
    print "intbench checksum "
    mov eax, ebp
    call print_hex
    print `\n`
    mov al, 0
    out DEBUG_EXIT, al              ; tern: power off (exit code 0)
    mov dx, 0x8900                  ; Bochs: "Shutdown" on its shutdown port
    mov esi, shutdown_text
    mov ecx, shutdown_len
    rep outsb
.hang:
    cli
    hlt
    jmp .hang

; Fills buf with BUF_SIZE symbols 'a'..'h' from a xorshift32 generator (advances [seed]).
fill_buffer:
    mov eax, [seed]
    mov edi, buf
    mov ecx, BUF_SIZE
.next:
    mov edx, eax
    shl edx, 13
    xor eax, edx
    mov edx, eax
    shr edx, 17
    xor eax, edx
    mov edx, eax
    shl edx, 5
    xor eax, edx
    mov edx, eax
    shr edx, 29
    add dl, 'a'
    mov [edi], dl
    inc edi
    dec ecx
    jnz .next
    mov [seed], eax
    ret

; Builds the CRC-32 (IEEE 802.3, reflected) table.
crc_init:
    xor ecx, ecx
.entry:
    mov eax, ecx
    mov edx, 8
.bit:
    shr eax, 1
    jnc .no_poly
    xor eax, 0xEDB88320
.no_poly:
    dec edx
    jnz .bit
    mov [crc_table + ecx*4], eax
    inc ecx
    cmp ecx, 256
    jb .entry
    ret

; EAX = CRC-32 of buf.
crc32:
    mov esi, buf
    mov ecx, BUF_SIZE
    or edx, -1
.byte:
    movzx eax, byte [esi]
    inc esi
    xor al, dl
    shr edx, 8
    xor edx, [crc_table + eax*4]
    dec ecx
    jnz .byte
    not edx
    mov eax, edx
    ret

; Sorts SORT_COUNT dwords built from buf with Shell sort; EAX = a fold of the sorted array and
; its count of out-of-order neighbours (zero when the sort works).
sort:
    push ebp
    mov esi, buf
    xor ecx, ecx
.load:
    mov eax, [esi + ecx*4]
    imul eax, eax, 0x9E3779B1
    mov [array + ecx*4], eax
    inc ecx
    cmp ecx, SORT_COUNT
    jb .load
    mov ebx, gaps
.gap:
    mov edx, [ebx]                  ; gap
    test edx, edx
    jz .sorted
    mov ecx, edx                    ; i = gap
.outer:
    mov eax, [array + ecx*4]        ; tmp
    mov edi, ecx                    ; j
.inner:
    cmp edi, edx
    jb .place
    mov esi, edi
    sub esi, edx
    mov ebp, [array + esi*4]
    cmp ebp, eax
    jbe .place
    mov [array + edi*4], ebp
    mov edi, esi
    jmp .inner
.place:
    mov [array + edi*4], eax
    inc ecx
    cmp ecx, SORT_COUNT
    jb .outer
    add ebx, 4
    jmp .gap
.sorted:
    xor eax, eax
    xor edx, edx
    mov ecx, 1
.verify:
    mov esi, [array + ecx*4 - 4]
    cmp esi, [array + ecx*4]
    jbe .in_order
    inc edx
.in_order:
    add eax, esi
    ror eax, 3
    inc ecx
    cmp ecx, SORT_COUNT
    jb .verify
    shl edx, 24
    xor eax, edx
    pop ebp
    ret

; LZ77-style compression of buf into out: a literal byte, or 0xFF, distance (2 bytes), length
; (1 byte) for a match of 3..255 bytes within the last 4 KiB. EAX = output size + output hash.
compress:
    mov edi, hash_table
    mov ecx, 1 << HASH_BITS
    xor eax, eax
    rep stosd
    mov esi, buf                    ; ip
    mov edi, out                    ; op
.step:
    cmp esi, buf + BUF_SIZE - 3
    jae .tail
    mov eax, [esi]
    and eax, 0x00FFFFFF
    imul eax, eax, 0x9E3779B1
    shr eax, 32 - HASH_BITS
    mov ebx, [hash_table + eax*4]   ; candidate
    mov [hash_table + eax*4], esi
    test ebx, ebx
    jz .literal
    mov edx, esi
    sub edx, ebx
    cmp edx, 4096
    jae .literal
    mov eax, [ebx]
    xor eax, [esi]
    and eax, 0x00FFFFFF
    jnz .literal
    mov ecx, 3                      ; match length
.extend:
    lea eax, [esi + ecx]
    cmp eax, buf + BUF_SIZE
    jae .emit
    cmp ecx, 255
    jae .emit
    mov al, [ebx + ecx]
    cmp al, [esi + ecx]
    jne .emit
    inc ecx
    jmp .extend
.emit:
    mov byte [edi], 0xFF
    mov [edi + 1], dx
    mov [edi + 3], cl
    add edi, 4
    add esi, ecx
    jmp .step
.literal:
    movsb
    jmp .step
.tail:
    cmp esi, buf + BUF_SIZE
    jae .hash
    movsb
    jmp .tail
.hash:
    mov ecx, edi
    sub ecx, out                    ; output size
    mov esi, out
    mov eax, ecx
.mix:
    movzx edx, byte [esi]
    imul eax, eax, 31
    add eax, edx
    inc esi
    cmp esi, edi
    jb .mix
    ret

; Prints EAX as 8 hex digits on the debug console.
print_hex:
    mov ecx, 8
.digit:
    rol eax, 4
    mov edx, eax
    and edx, 0xF
    mov dl, [hex_digits + edx]
    push eax
    mov al, dl
    out DEBUGCON, al
    pop eax
    dec ecx
    jnz .digit
    ret

hex_digits: db "0123456789abcdef"
shutdown_text: db "Shutdown"
shutdown_len equ $ - shutdown_text
align 4
gaps: dd 1750, 701, 301, 132, 57, 23, 10, 4, 1, 0
seed: dd 0

guest_kernel_end

; Scratch memory after the image (not part of it: the code writes everything before reading it),
; on pages of its own as a compiler's .bss would be: data sharing a page with code makes every
; store to it a self-modifying-code check in an emulator.
absolute mb_bss_end
alignb 4096
crc_table: resd 256
array: resd SORT_COUNT
hash_table: resd 1 << HASH_BITS
buf: resb BUF_SIZE + 4
out: resb BUF_SIZE * 2
stack: resb 4096
stack_top:
