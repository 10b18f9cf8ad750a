; The boot sector of test_storage_boot.cc (kBootProbe there holds its bytes): nasm -f bin boot_probe.asm
bits 16
org 0x7c00
start:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  sti
  mov si, msg_boot
  call print
  cmp dl, 0x80
  jae .edd
  mov ax, 0x0201
  mov cx, 0x0002
  xor dh, dh
  mov bx, 0x8000
  int 0x13
  jc fail
  jmp .got
.edd:
  mov si, dap
  mov ah, 0x42
  int 0x13
  jc fail
.got:
  mov si, 0x8000
  call print
  mov word [dap_lba], 0
  mov si, dap
  mov dl, 0x80
  mov ah, 0x42
  int 0x13
  jc fail
  mov si, 0x8000
  call print
  xor al, al
  out 0xf4, al
  jmp $
fail:
  mov al, 0x21
  out 0xf4, al
  jmp $
print:
  lodsb
  test al, al
  jz .done
  out 0xe9, al
  jmp print
.done:
  ret
msg_boot: db "TERN-BOOT-", 0
align 4
dap: db 0x10, 0
  dw 1
  dw 0x8000, 0
dap_lba: dd 1, 0
