#!/usr/bin/env bash
# Builds two small GRUB test images that report on COM1, in DIR/grub-serial/ (default
# build/guest-images), so a headless run can check them without reading the screen:
#   grub-serial-floppy.img  1.44 MB floppy: GRUB's boot.img in the boot sector, core.img behind it
#   grub-serial-cdrom.iso   El Torito (no emulation) CD with GRUB's i386-pc-eltorito core image
# Both run an embedded script: serial console on, print TERN-GRUB-UP, list the BIOS drives
# (int 13h probing), on the CD read a file through GRUB's ISO9660 driver, print TERN-GRUB-DONE,
# then `halt` (ACPI S5 power-off, APM as fallback). Made with grub-mkimage from the host's
# grub-pc-bin (the i386-pc modules are the same on every host architecture).
# usage: tests/boot/grub_serial.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
out=$GUEST_CACHE/grub-serial
kGrubModules=/usr/lib/grub/i386-pc
need_tools grub-mkimage xorriso
[ -f "$kGrubModules/boot.img" ] || die "GRUB's i386-pc modules are missing (install grub-pc-bin)"

key=$(printf 'grub-pc-bin=%s\n%s\n' "$(dpkg-query -W -f='${Version}' grub-pc-bin)" \
  "$(stamp_text -- "$0" "$BOOT_SCRIPTS/lib.sh")")
if up_to_date "$out/.stamp" "$key" "$out/grub-serial-floppy.img" "$out/grub-serial-cdrom.iso"; then
  exit 0
fi

say "building the GRUB serial test images"
work=$GUEST_CACHE/work/grub-serial
rm -rf "$work" "$out"
mkdir -p "$work/cd/boot" "$out"

# grub_script EXTRA_COMMAND: the embedded script (GRUB's rescue parser: one command a line).
grub_script() {
  printf '%s\n' "serial --unit=0 --speed=115200" "terminal_input serial console" \
    "terminal_output serial console" "echo TERN-GRUB-UP" "ls" "$1" "echo TERN-GRUB-DONE" "halt"
}

grub_script "echo no file system on the floppy" >"$work/floppy.cfg"
grub-mkimage -O i386-pc -d "$kGrubModules" -o "$work/core.img" -c "$work/floppy.cfg" -p "(fd0)" \
  biosdisk serial terminal echo ls halt
truncate -s 1440k "$work/floppy.img"
dd if="$kGrubModules/boot.img" of="$work/floppy.img" conv=notrunc status=none
dd if="$work/core.img" of="$work/floppy.img" bs=512 seek=1 conv=notrunc status=none
mv "$work/floppy.img" "$out/grub-serial-floppy.img"

grub_script "cat (cd)/tern.txt" >"$work/cdrom.cfg"
grub-mkimage -O i386-pc-eltorito -d "$kGrubModules" -o "$work/cd/boot/grub.img" -c "$work/cdrom.cfg" \
  -p "(cd)" biosdisk iso9660 serial terminal echo ls cat halt
echo "TERN-GRUB-FILE-OK (read through GRUB's ISO9660 driver)" >"$work/cd/tern.txt"
find "$work/cd" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
xorriso -as mkisofs -quiet -o "$out/grub-serial-cdrom.iso" -V TERN_GRUB \
  -b boot/grub.img -no-emul-boot -boot-load-size 4 -boot-info-table "$work/cd" 2>"$work/xorriso.log" \
  || { cat "$work/xorriso.log" >&2; die "xorriso failed"; }

printf '%s\n' "$key" >"$out/versions.txt"
rm -rf "$work"
printf '%s\n' "$key" >"$out/.stamp"
