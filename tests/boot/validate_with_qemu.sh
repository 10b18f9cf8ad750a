#!/usr/bin/env bash
# Checks every guest image with QEMU (Debian's qemu-system-x86, TCG, 256 MiB) and times it: the
# images are right when QEMU boots them, and these times are what tern is compared with. Not
# part of `make test`: it checks the images, not tern.
#   serial guests   run headless until the guest powers off; QEMU must exit 0 and COM1 must
#                   show every marker
#   GRUB rescue     the menu must appear on the VGA text screen (read from guest memory at
#                   0xB8000 through the QEMU monitor); then the key 'c' must bring the "grub>"
#                   command line
#   Linux shell     the shell on COM1 must answer a command, then power off
# Logs and a summary go to DIR/qemu-logs/. Exit status: 0 when every image passed.
# usage: tests/boot/validate_with_qemu.sh [DIR]
source "$(dirname "$0")/lib.sh"

open_cache "${1:-}"
command -v qemu-system-i386 >/dev/null || die "qemu-system-i386 is missing (apt-get install qemu-system-x86)"
need_tools timeout od awk mkfifo
"$BOOT_SCRIPTS/images.sh" "$GUEST_CACHE" >/dev/null

G=$GUEST_CACHE
logs=$G/qemu-logs
rm -rf "$logs"
mkdir -p "$logs"
kQemu=(qemu-system-i386 -accel tcg -m 256 -display none -no-reboot)
failures=0

now() { date +%s.%N; }
since() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }

# report NAME VERDICT SECONDS NOTE
report() {
  printf '%-20s %-28s %6ss  %s\n' "$1" "$2" "$3" "$4" | tee -a "$logs/summary.txt"
  [ "$2" = ok ] || failures=$((failures + 1))
}

# serial_run NAME LIMIT MARKER... -- QEMU_ARGS...: boots to power-off with COM1 in a file.
serial_run() {
  local name=$1 limit=$2 log=$logs/$1.serial rc verdict=ok marker note user sys
  shift 2
  local -a markers=()
  while [ "$1" != -- ]; do markers+=("$1"); shift; done
  shift
  rc=0
  local TIMEFORMAT='%R %U %S' took cpu
  { time timeout "$limit" "${kQemu[@]}" -monitor none -serial "file:$log" "$@" </dev/null \
      >"$logs/$name.qemu" 2>&1; } 2>"$logs/$name.time" || rc=$?
  read -r took user sys <"$logs/$name.time"
  cpu=$(awk "BEGIN { printf \"%.1f\", $user + $sys }")
  took=$(awk "BEGIN { printf \"%.1f\", $took }")
  for marker in "${markers[@]}"; do
    grep -aq -- "$marker" "$log" || verdict="FAILED: no $marker"
  done
  [ $rc = 0 ] || verdict="FAILED: QEMU exit $rc"
  note=$(grep -a -o 'TERN-TIME workload [0-9.]*' "$log" | awk '{print "guest workload " $3 "s"}' || true)
  local up
  up=$(grep -a -o 'TERN-WORKLOAD-DONE at [0-9.]*' "$log" | awk '{print "guest uptime " $3 "s"}' || true)
  report "$name" "$verdict" "$took" "QEMU CPU ${cpu}s${note:+, $note}${up:+, $up}"
}

# screen_text DUMP: the 80x25 VGA text screen in a raw dump of 0xB8000 (character, attribute).
screen_text() {
  od -An -v -tu1 -w2 "$1" | awk '{ printf "%c", ($1 >= 32 && $1 < 127) ? $1 : 32 } NR % 80 == 0 { print "" }'
}

# vga_run NAME LIMIT QEMU_ARGS...: the GRUB rescue check (menu, key 'c', "grub>").
vga_run() {
  local name=$1 limit=$2 mon=$logs/$1.monitor dump=$logs/$1.vga start verdict="FAILED: no GRUB menu"
  local menu_at="" prompt_at="" deadline
  shift 2
  rm -f "$mon"
  mkfifo "$mon"
  start=$(now)
  deadline=$(awk "BEGIN { printf \"%.3f\", $start + $limit }")
  "${kQemu[@]}" -serial none -monitor stdio "$@" <"$mon" >"$logs/$name.qemu" 2>&1 &
  local qemu=$!
  exec 7>"$mon"
  while awk "BEGIN { exit !($(now) < $deadline) }"; do
    sleep 0.2
    echo "pmemsave 0xb8000 4000 \"$dump\"" >&7
    [ -f "$dump" ] || continue
    if [ -z "$menu_at" ] && screen_text "$dump" | grep -q "GNU GRUB"; then
      menu_at=$(since "$start")
      verdict="FAILED: no grub> after key c"
      echo "sendkey c" >&7
    elif [ -n "$menu_at" ] && screen_text "$dump" | grep -q "grub>"; then
      prompt_at=$(since "$start")
      verdict=ok
      break
    fi
  done
  echo quit >&7
  exec 7>&-
  wait $qemu || true
  [ ! -f "$dump" ] || screen_text "$dump" >"$logs/$name.screen"
  rm -f "$mon" "$dump"
  report "$name" "$verdict" "${prompt_at:-$(since "$start")}" "GRUB menu at ${menu_at:-never}s"
}

# shell_run NAME LIMIT: the interactive initramfs must answer on COM1, then power off.
shell_run() {
  local name=$1 limit=$2 log=$logs/$1.serial in=$logs/$1.in start verdict="FAILED: no shell"
  local answered=""
  rm -f "$in"
  mkfifo "$in"
  start=$(now)
  timeout "$limit" "${kQemu[@]}" -monitor none -serial stdio -kernel "$G/linux/vmlinuz" \
    -initrd "$G/linux/initrd-shell.gz" -append "$(cat "$G/linux/cmdline-shell")" <"$in" >"$log" 2>&1 &
  local qemu=$!
  exec 7>"$in"
  local i=0
  while [ $i -lt $((limit * 5)) ] && kill -0 $qemu 2>/dev/null; do
    sleep 0.2
    i=$((i + 1))
    if [ -z "$answered" ] && grep -aq '/ # ' "$log"; then
      echo 'echo TERN-SHELL-$((6 * 7))' >&7
      answered=asked
    elif [ "$answered" = asked ] && grep -aq 'TERN-SHELL-42' "$log"; then
      answered=yes
      echo 'poweroff -f' >&7
    fi
  done
  exec 7>&-
  local rc=0
  wait $qemu || rc=$?
  [ "$answered" = yes ] && verdict=ok
  [ $rc = 0 ] || verdict="FAILED: QEMU exit $rc"
  rm -f "$in"
  report "$name" "$verdict" "$(since "$start")" "shell answered, then poweroff -f"
}

printf '%-20s %-28s %7s  %s\n' guest result "time" note | tee "$logs/summary.txt"
vga_run grub-rescue-floppy 60 -drive "file=$G/grub-rescue/grub-rescue-floppy.img,format=raw,if=floppy,readonly=on" -boot a
vga_run grub-rescue-cdrom 60 -cdrom "$G/grub-rescue/grub-rescue-cdrom.iso" -boot d
serial_run grub-serial-floppy 60 TERN-GRUB-UP TERN-GRUB-DONE -- \
  -drive "file=$G/grub-serial/grub-serial-floppy.img,format=raw,if=floppy,readonly=on" -boot a
serial_run grub-serial-cdrom 60 TERN-GRUB-UP TERN-GRUB-FILE-OK TERN-GRUB-DONE -- \
  -cdrom "$G/grub-serial/grub-serial-cdrom.iso" -boot d
serial_run linux-direct 300 TERN-LINUX-UP TERN-WORKLOAD-DONE -- \
  -kernel "$G/linux/vmlinuz" -initrd "$G/linux/initrd.gz" -append "$(cat "$G/linux/cmdline")"
serial_run linux-cdrom 300 ISOLINUX TERN-LINUX-UP "TERN-CHECK cdrom-read ok" TERN-WORKLOAD-DONE -- \
  -cdrom "$G/linux-iso/linux.iso" -boot d
serial_run linux-disk 300 TERN-LINUX-UP "TERN-CHECK disk-read ok" "TERN-CHECK disk-write ok" \
  TERN-WORKLOAD-DONE -- -drive "file=$G/linux-disk/linux-disk.img,format=raw,if=ide,snapshot=on" -boot c
shell_run linux-shell 120

echo "qemu: $(qemu-system-i386 --version | head -n1); logs in $logs" | tee -a "$logs/summary.txt"
[ $failures = 0 ] || { say "$failures image(s) failed under QEMU"; exit 1; }
