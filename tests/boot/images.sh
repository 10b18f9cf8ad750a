#!/usr/bin/env bash
# Builds (or finds in the cache) every guest image made from Debian packages and prints one line
# per image: its name and its path. A second run with unchanged packages and scripts only checks
# the stamps (a few seconds, no network). Runs that share DIR wait for each other (flock).
# usage: tests/boot/images.sh [DIR]      (DIR defaults to build/guest-images)
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
for script in grub_rescue grub_serial linux linux_iso linux_disk; do
  "$BOOT_SCRIPTS/$script.sh" "$GUEST_CACHE"
done

while read -r name path; do
  printf '%-20s %s\n' "$name" "$GUEST_CACHE/$path"
done <<LIST
grub-rescue-floppy grub-rescue/grub-rescue-floppy.img
grub-rescue-cdrom grub-rescue/grub-rescue-cdrom.iso
grub-serial-floppy grub-serial/grub-serial-floppy.img
grub-serial-cdrom grub-serial/grub-serial-cdrom.iso
linux-kernel linux/vmlinuz
linux-initrd linux/initrd.gz
linux-initrd-shell linux/initrd-shell.gz
linux-cdrom linux-iso/linux.iso
linux-disk linux-disk/linux-disk.img
LIST
