#!/bin/busybox sh
# /init of tern's Linux test guests (busybox initramfs) and /sbin/init of the test disk's root.
#
# What it does depends on /etc/tern-guest (written by linux.sh / linux_disk.sh) and on the
# kernel command line:
#   /etc/tern-guest = test    print TERN-LINUX-UP, run tern-workload, power off
#   /etc/tern-guest = shell   print TERN-LINUX-UP, keep shells on ttyS0 and tty1
#   /etc/tern-guest = disk    (the ext2 root) as "test", plus a write/read-back check on disk
#   root=/dev/sdXN            (initramfs) load the IDE/ext2 modules, mount it, switch_root to it
#   tern.media=cdrom          (initramfs) load the ATAPI/ISO9660 modules, mount the CD and check
#                             its SHA256SUMS before the workload
#   tern.debugexit            end with the result written to port 0xF4 (tern's debug-exit port:
#                             0 passed, 1 failed) instead of an ACPI power-off
# Markers on the console: TERN-LINUX-UP, TERN-CHECK ..., TERN-WORKLOAD-DONE (all checks passed)
# or TERN-WORKLOAD-FAILED.

export PATH=/bin
/bin/busybox mkdir -p /dev /proc /sys /run /tmp
/bin/busybox mountpoint -q /dev || /bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o size=16m tmpfs /tmp

guest=$(cat /etc/tern-guest 2>/dev/null || echo test)
cmdline=$(cat /proc/cmdline)

# param NAME: the value of NAME=VALUE on the kernel command line ("1" for a bare NAME).
param() {
  for word in $cmdline; do
    case $word in
      "$1") echo 1; return ;;
      "$1"=*) echo "${word#*=}"; return ;;
    esac
  done
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# load_modules GROUP: insmod the modules listed (dependencies first) in /etc/modules.GROUP.
load_modules() {
  local ko
  while read -r ko; do
    insmod "/lib/modules/$ko" || echo "tern-init: insmod $ko failed"
  done <"/etc/modules.$1"
}

# wait_for DEVICE: up to 30 s for a block device to appear (the driver probes asynchronously).
wait_for() {
  local i=0
  while [ ! -b "$1" ] && [ $i -lt 300 ]; do
    usleep 100000
    i=$((i + 1))
  done
  [ -b "$1" ]
}

finish() {
  if [ -n "$(param tern.debugexit)" ]; then
    printf "\\$(printf '%03o' "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
  fi
  sync
  poweroff -f
}

# On the initramfs of the disk guest: hand over to the ext2 root on the IDE disk.
root=$(param root)
if [ "$guest" != disk ] && [ -n "$root" ]; then
  echo "tern-init: loading IDE and ext2 modules for root=$root"
  load_modules disk
  mkdir -p /newroot
  if wait_for "$root" && mount -t ext2 -o rw "$root" /newroot; then
    umount /tmp /sys /proc
    mount --move /dev /newroot/dev
    exec switch_root /newroot /sbin/init
  fi
  echo "tern-init: cannot mount root=$root"
  echo "TERN-WORKLOAD-FAILED"
  finish 1
fi

echo "TERN-LINUX-UP $(uname -r) at $(uptime_s)s ($guest)"

if [ "$guest" = shell ]; then
  echo "tern: busybox shell on ttyS0 and tty1; 'tern-workload' runs the test, 'poweroff -f' ends"
  while true; do
    for tty in ttyS0 tty1; do
      [ -e "/run/shell.$tty" ] && kill -0 "$(cat "/run/shell.$tty")" 2>/dev/null && continue
      setsid -c sh -l <"/dev/$tty" >"/dev/$tty" 2>&1 &
      echo $! >"/run/shell.$tty"
    done
    sleep 1
  done
fi

status=0
if [ "$(param tern.media)" = cdrom ]; then
  load_modules cdrom
  mkdir -p /media
  if wait_for /dev/sr0 && mount -t iso9660 -o ro /dev/sr0 /media && (cd /media && sha256sum -c SHA256SUMS); then
    echo "TERN-CHECK cdrom-read ok"
  else
    echo "TERN-CHECK cdrom-read FAILED"
    status=1
  fi
fi
if [ "$guest" = disk ]; then
  if (cd /boot && sha256sum -c SHA256SUMS); then
    echo "TERN-CHECK disk-read ok"
  else
    echo "TERN-CHECK disk-read FAILED"
    status=1
  fi
  tern-workload --disk-write /var/tern-write-test || status=1
else
  tern-workload || status=1
fi
if [ $status = 0 ]; then
  echo "TERN-WORKLOAD-DONE at $(uptime_s)s"
else
  echo "TERN-WORKLOAD-FAILED at $(uptime_s)s"
fi
finish $status
