; A triple fault (an exception while delivering #DF) shuts the processor down; with --no-reboot
; the run ends with exit code 126. Here the IDT is empty: #UD cannot be delivered (#GP), the
; #GP cannot be delivered (#DF), and the #DF cannot be delivered either.
; tern-boot: kernel
; tern-args: --no-reboot
; tern-exit: 126
; tern-expect: triple fault next
%include "guest.inc"
guest_kernel_begin
start:
    lidt [empty_idt]
    print `triple fault next\n`
    ud2
    print `survived an empty IDT\n`
    exit 1
empty_idt:
    dw 0
    dd 0
guest_kernel_end
