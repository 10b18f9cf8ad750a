#!/usr/bin/env bash
# Builds the Linux i386 test guest for direct kernel boot: the current Debian 686 (non-PAE)
# kernel and two busybox initramfs images, in DIR/linux/ (default build/guest-images):
#   vmlinuz           linux-image-*-686 (bzImage)
#   initrd.gz         test guest: TERN-LINUX-UP, tern-workload, TERN-WORKLOAD-DONE, power-off
#   initrd-shell.gz   interactive busybox shell on ttyS0 and tty1 (the desktop demo)
#   cmdline           the kernel command line for the test guest
#   cmdline-shell     the kernel command line for the shell guest (VGA console and COM1)
# The kernel has the 8250 UART, the i8042 keyboard and the VGA console built in; IDE (ATA PIIX),
# SCSI disk/CD, ext2 (the ext4 driver) and ISO9660 are modules, so their .ko files and their
# dependencies go into the initramfs and init.sh loads them when a disk or CD is used.
# usage: tests/boot/linux.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
out=$GUEST_CACHE/linux
need_tools apt-get dpkg-deb cpio gzip

# Modules each init.sh group needs (dependencies are added from the modules' own metadata).
# ext4 (which mounts ext2) names crc32c only as a soft dependency, on an alias, but its mount
# fails without it: crc32c_generic is listed by hand.
kDiskModules="ata_piix sd_mod crc32c_generic ext4"
kCdromModules="ata_piix sr_mod isofs"

# module_deps KO: the modules a .ko file names in its "depends=" modinfo field.
module_deps() {
  tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '
}

# resolve_modules KERNEL_TREE MODULE...: the .ko paths (relative to KERNEL_TREE), dependencies
# first, each once.
resolve_modules() {
  local tree=$1 ko name
  shift
  declare -A path_of=()
  while read -r ko; do
    name=$(basename "$ko" .ko)
    path_of[${name//-/_}]=$ko
  done < <(cd "$tree" && find . -name '*.ko' | sed 's|^\./||')
  local -a order=()
  local seen=" "
  visit() {
    local m=${1//-/_} dep
    case $seen in *" $m "*) return ;; esac
    seen+="$m "
    [ -n "${path_of[$m]:-}" ] || die "kernel module '$m' not found"
    for dep in $(module_deps "$tree/${path_of[$m]}"); do visit "$dep"; done
    order+=("${path_of[$m]}")
  }
  for name in "$@"; do visit "$name"; done
  printf '%s\n' "${order[@]}"
}

# add_module_group TREE KERNEL_TREE GROUP MODULE...: copies the modules into TREE/lib/modules/
# and lists them in load order in TREE/etc/modules.GROUP.
add_module_group() {
  local tree=$1 ktree=$2 group=$3 ko
  shift 3
  : >"$tree/etc/modules.$group"
  while read -r ko; do
    install -m 0644 "$ktree/$ko" "$tree/lib/modules/$(basename "$ko")"
    basename "$ko" >>"$tree/etc/modules.$group"
  done < <(resolve_modules "$ktree" "$@")
}

apt32_refresh
kernel=$(kernel_package)
key=$(stamp_text "$kernel" busybox-static -- "$0" "$BOOT_SCRIPTS/lib.sh" "$BOOT_SCRIPTS/init.sh" \
  "$BOOT_SCRIPTS/workload.sh")
if up_to_date "$out/.stamp" "$key" "$out/vmlinuz" "$out/initrd.gz" "$out/initrd-shell.gz" \
    "$out/cmdline-shell"; then
  exit 0
fi

say "building the Linux test guest ($kernel)"
kdir=$(fetch_pkg "$kernel")
release=${kernel#linux-image-}
ktree=$kdir/lib/modules/$release/kernel
work=$GUEST_CACHE/work/linux
rm -rf "$work" "$out"
mkdir -p "$work" "$out"

for kind in test shell; do
  make_userland "$work/$kind" "$kind"
  add_module_group "$work/$kind" "$ktree" disk $kDiskModules
  add_module_group "$work/$kind" "$ktree" cdrom $kCdromModules
done
pack_initramfs "$work/test" "$out/initrd.gz"
pack_initramfs "$work/shell" "$out/initrd-shell.gz"
install -m 0644 "$kdir/boot/vmlinuz-$release" "$out/vmlinuz"
echo "console=ttyS0,115200" >"$out/cmdline"
echo "console=tty0 console=ttyS0,115200" >"$out/cmdline-shell"
printf '%s\n' "$key" >"$out/versions.txt"
rm -rf "$work" "$kdir"
printf '%s\n' "$key" >"$out/.stamp"
