#!/usr/bin/env bash
# Builds DIR/linux-disk/linux-disk.img (default build/guest-images): a 32 MiB IDE disk with an
# MBR partition table, one bootable ext2 partition (sda1) holding the busybox userland as its
# root filesystem and the kernel and initramfs in /boot, and GRUB in the MBR and the gap before
# the partition. Boot path: BIOS int 13h -> GRUB boot.img -> core.img (reads ext2 through the
# BIOS) -> /boot/grub/grub.cfg -> Linux + initramfs -> init.sh loads ata_piix/sd_mod/ext4,
# mounts /dev/sda1 read-write and switch_roots to it -> the workload, a check of the files in
# /boot read back through Linux's IDE driver, and a write/read-back test on the disk.
#
# No loop device, mount or root is needed: the filesystem is made with `mke2fs -d` straight
# into the partition's offset of the image file, and GRUB is installed by writing its boot.img
# (MBR code, the partition table kept) and core.img (at sector 1, which diskboot.img's default
# block list already expects, so grub-bios-setup is not needed). extlinux was not used: it only
# installs onto a mounted filesystem.
# usage: tests/boot/linux_disk.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
out=$GUEST_CACHE/linux-disk
kGrubModules=/usr/lib/grub/i386-pc
kImageMiB=32
kPartitionStart=2048 # sectors: 1 MiB, the usual alignment; GRUB's core.img lives before it
need_tools apt-get dpkg-deb mke2fs debugfs sfdisk grub-mkimage sha256sum
[ -f "$kGrubModules/boot.img" ] || die "GRUB's i386-pc modules are missing (install grub-pc-bin)"

"$BOOT_SCRIPTS/linux.sh" "$GUEST_CACHE"
linux=$GUEST_CACHE/linux
host_grub="grub-pc-bin=$(dpkg-query -W -f='${Version}' grub-pc-bin)"
key=$(printf '%s\n%s\n' "$host_grub" \
  "$(stamp_text busybox-static -- "$0" "$BOOT_SCRIPTS/lib.sh" "$linux/.stamp")")
if up_to_date "$out/.stamp" "$key" "$out/linux-disk.img"; then
  exit 0
fi

say "building the Linux test disk"
work=$GUEST_CACHE/work/linux-disk
rm -rf "$work" "$out"
mkdir -p "$work" "$out"

# The root filesystem: the userland, with /boot for GRUB and for the read-back check.
root=$work/root
make_userland "$root" disk
rmdir "$root/lib/modules"
mkdir -p "$root/boot/grub"
install -m 0644 "$linux/vmlinuz" "$linux/initrd.gz" "$root/boot/"
(cd "$root/boot" && sha256sum vmlinuz initrd.gz >SHA256SUMS)
cat >"$root/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
set timeout=0
menuentry "tern test Linux (IDE disk)" {
  linux /boot/vmlinuz $(cat "$linux/cmdline") root=/dev/sda1
  initrd /boot/initrd.gz
}
CFG
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

img=$work/linux-disk.img
truncate -s ${kImageMiB}M "$img"
printf 'label: dos\nlabel-id: 0x7465726e\nstart=%d, type=83, bootable\n' $kPartitionStart \
  | sfdisk -q "$img"
mke2fs -q -F -t ext2 -L tern-root -U 7465726e-0000-4000-8000-000000000001 \
  -E offset=$((kPartitionStart * 512)),hash_seed=7465726e-0000-4000-8000-000000000002,root_owner=0:0 \
  -d "$root" "$img" $(((kImageMiB * 1024) - kPartitionStart / 2))k
# mke2fs -d copies each file's change time (ctime), which touch cannot set: fix it for
# reproducible images.
(cd "$root" && find . | sed "s|^\.|set_inode_field |; s|\$| ctime @$SOURCE_DATE_EPOCH|") >"$work/ctime.cmds"
debugfs -w -f "$work/ctime.cmds" "$img?offset=$((kPartitionStart * 512))" >/dev/null 2>"$work/debugfs.log" \
  || { cat "$work/debugfs.log" >&2; die "debugfs failed"; }

# GRUB: core.img finds its modules embedded and its grub.cfg on (hd0,msdos1).
grub-mkimage -O i386-pc -d "$kGrubModules" -o "$work/core.img" -p "(hd0,msdos1)/boot/grub" \
  biosdisk part_msdos ext2 normal linux serial terminal
core_sectors=$((($(stat -c %s "$work/core.img") + 511) / 512))
[ $core_sectors -lt $kPartitionStart ] || die "core.img ($core_sectors sectors) does not fit before the partition"
dd if="$kGrubModules/boot.img" of="$img" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$img" bs=512 seek=1 conv=notrunc status=none

mv "$img" "$out/linux-disk.img"
printf '%s\n' "$key" >"$out/versions.txt"
rm -rf "$work"
printf '%s\n' "$key" >"$out/.stamp"
