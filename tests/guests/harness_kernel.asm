; A Multiboot kernel starts in flat 32-bit protected mode with EAX = 0x2BADB002.
; tern-boot: kernel
; tern-exit: 0
; tern-expect: multiboot ok
%include "guest.inc"
guest_kernel_begin
start:
    cmp eax, 0x2BADB002
    jne .bad
    print `multiboot ok\n`
    exit 0
.bad:
    print `bad multiboot magic\n`
    exit 1
guest_kernel_end
