#!/usr/bin/env bash
# The whole display path with the real firmware: SeaBIOS finds vgabios-stdvga.bin in the VGA's
# PCI expansion ROM, runs it, and its banner appears on the VGA text screen (--dump-text) and in a
# 720x400 screenshot, both taken at 3 s of guest time (SeaBIOS prints through INT 10h, which only
# the VGA BIOS provides). Skipped (77) without the seabios package.
# usage: seabios_screen.sh TERN IMAGE_TOOL
set -u
tern=$1 tool=$2
for f in /usr/share/seabios/bios-256k.bin /usr/share/seabios/vgabios-stdvga.bin; do
  [ -f "$f" ] || { echo "SKIP: $f is missing (Debian package seabios)"; exit 77; }
done
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$tern" --headless --serial none --timeout 120 \
  --screenshot "$work/screen.png@3" --dump-text "$work/screen.txt@3" &
pid=$!
# The timed outputs are written together; stop the run once they are there.
for _ in $(seq 1200); do
  [ -s "$work/screen.txt" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
sleep 0.2
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
status=0
grep -q "SeaBIOS (version" "$work/screen.txt" || { echo "FAIL: no SeaBIOS banner on the text screen"; status=1; }
size=$("$tool" size "$work/screen.png")
[ "$size" = 720x400 ] || { echo "FAIL: screenshot is '$size', expected 720x400"; status=1; }
echo "--- text screen:"
cat "$work/screen.txt"
[ $status = 0 ] && echo "ok: SeaBIOS ran the VGA BIOS from the PCI ROM and its text is on the screen"
exit $status
