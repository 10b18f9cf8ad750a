#!/usr/bin/env bash
# Copies GRUB's rescue images from Debian's grub-rescue-pc package into DIR/grub-rescue/
# (default build/guest-images): grub-rescue-floppy.img (1.44 MB floppy) and
# grub-rescue-cdrom.iso (El Torito, no emulation). Both boot to GRUB's command line on the VGA
# text screen ("grub>"); they print nothing on the serial port.
# usage: tests/boot/grub_rescue.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
out=$GUEST_CACHE/grub-rescue
need_tools apt-get dpkg-deb

apt32_refresh
key=$(stamp_text grub-rescue-pc -- "$0" "$BOOT_SCRIPTS/lib.sh")
if up_to_date "$out/.stamp" "$key" "$out/grub-rescue-floppy.img" "$out/grub-rescue-cdrom.iso"; then
  exit 0
fi

say "building the GRUB rescue images"
pkg=$(fetch_pkg grub-rescue-pc)
rm -rf "$out"
mkdir -p "$out"
for image in grub-rescue-floppy.img grub-rescue-cdrom.iso; do
  install -m 0644 "$pkg/usr/lib/grub-rescue/$image" "$out/$image"
done
printf '%s\n' "$key" >"$out/versions.txt"
printf '%s\n' "$key" >"$out/.stamp"
