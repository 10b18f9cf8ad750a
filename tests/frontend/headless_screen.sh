#!/usr/bin/env bash
# Headless screen output: a guest that writes coloured text through the VGA registers and the text
# buffer; its --dump-text must equal the expected text and its --screenshot the expected picture.
# After an intended change to the renderer, look at the new picture and regenerate it with
#   tern --headless --serial none --bios BUILD/guests/vga_text.bin --screenshot tests/frontend/expected/vga_text.png
# usage: headless_screen.sh TERN IMAGE_TOOL GUEST EXPECTED.txt EXPECTED.png
set -u
tern=$1 tool=$2 guest=$3 want_text=$4 want_png=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tern" --headless --serial none --timeout 30 --bios "$guest" --dump-text "$work/screen.txt" \
  --screenshot "$work/screen.png" || { echo "FAIL: tern exited $?"; exit 1; }
status=0
if ! diff -u "$want_text" "$work/screen.txt"; then
  echo "FAIL: --dump-text differs from $want_text"
  status=1
fi
if ! "$tool" compare "$want_png" "$work/screen.png"; then
  echo "FAIL: --screenshot differs from $want_png"
  status=1
fi
[ $status = 0 ] && echo "ok: text dump and screenshot match"
exit $status
