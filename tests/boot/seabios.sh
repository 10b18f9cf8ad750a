#!/usr/bin/env bash
# SeaBIOS alone on the board, no disks: `tern --headless --debugcon file:LOG` must show the
# SeaBIOS banner, the board SeaBIOS recognizes, and its report that nothing is bootable. With
# --no-reboot the run then ends (exit 0) when SeaBIOS reboots after its 60-second retry wait,
# which costs no host time (the guest halts; virtual time skips ahead).
# usage: seabios.sh TERN
set -u
tern=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
timeout 120 "$tern" --headless --serial none --debugcon "file:$log" --no-reboot --timeout 60
got=$?
end=$(date +%s.%N)
status=0
if [ "$got" != 0 ]; then
  echo "FAIL: exit code $got, expected 0 (the reboot after 'No bootable device')"
  status=1
fi
for text in "SeaBIOS (version" "Running on QEMU (i440fx)" "Found QEMU fw_cfg" "PS2 keyboard initialized" \
            "No bootable device."; do
  if ! grep -qF -- "$text" "$log"; then
    echo "FAIL: debug console lacks '$text'"
    status=1
  fi
done
awk -v a="$start" -v b="$end" 'BEGIN { printf "host time: %.2f s\n", b - a }'
echo "--- debug console:"
head -c 6000 "$log"
exit $status
