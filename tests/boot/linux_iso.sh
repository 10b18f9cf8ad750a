#!/usr/bin/env bash
# Builds DIR/linux-iso/linux.iso (default build/guest-images): the Linux test guest (linux.sh)
# on an ISOLINUX CD for BIOS boot (El Torito, no emulation; also an isohybrid disk image).
# ISOLINUX talks on COM1 too (`serial 0 115200`). The kernel command line adds
# tern.media=cdrom, so the guest loads the ATAPI and ISO9660 modules, mounts the CD and checks
# SHA256SUMS (its kernel and initramfs) before the workload: the CD is read by the BIOS, by
# ISOLINUX and by Linux.
# usage: tests/boot/linux_iso.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
out=$GUEST_CACHE/linux-iso
need_tools apt-get dpkg-deb xorriso sha256sum

"$BOOT_SCRIPTS/linux.sh" "$GUEST_CACHE"
linux=$GUEST_CACHE/linux
key=$(stamp_text isolinux syslinux-common -- "$0" "$BOOT_SCRIPTS/lib.sh" "$linux/.stamp")
if up_to_date "$out/.stamp" "$key" "$out/linux.iso"; then
  exit 0
fi

say "building the Linux test CD"
isolinux=$(fetch_pkg isolinux)
syslinux=$(fetch_pkg syslinux-common)
work=$GUEST_CACHE/work/linux-iso
rm -rf "$work" "$out"
mkdir -p "$work/isolinux" "$work/boot" "$out"
install -m 0644 "$isolinux/usr/lib/ISOLINUX/isolinux.bin" "$work/isolinux/"
install -m 0644 "$syslinux/usr/lib/syslinux/modules/bios/ldlinux.c32" "$work/isolinux/"
install -m 0644 "$linux/vmlinuz" "$linux/initrd.gz" "$work/boot/"
cat >"$work/isolinux/isolinux.cfg" <<CFG
serial 0 115200
default linux
prompt 0
timeout 0
label linux
  kernel /boot/vmlinuz
  initrd /boot/initrd.gz
  append $(cat "$linux/cmdline") tern.media=cdrom
CFG
(cd "$work" && sha256sum boot/vmlinuz boot/initrd.gz >SHA256SUMS)
find "$work" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
xorriso -as mkisofs -quiet -o "$out/linux.iso" -V TERN_LINUX -R \
  -isohybrid-mbr "$isolinux/usr/lib/ISOLINUX/isohdpfx.bin" \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
  "$work" 2>"$GUEST_CACHE/work/xorriso.log" || { cat "$GUEST_CACHE/work/xorriso.log" >&2; die "xorriso failed"; }
printf '%s\n' "$key" >"$out/versions.txt"
rm -rf "$work" "$GUEST_CACHE/work/xorriso.log"
printf '%s\n' "$key" >"$out/.stamp"
