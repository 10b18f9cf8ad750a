#!/usr/bin/env bash
# Without --headless and without a display, tern says so in one line and runs headless.
# usage: no_display.sh TERN GUEST
set -u
tern=$1 guest=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
env -u DISPLAY -u WAYLAND_DISPLAY "$tern" --serial none --timeout 30 --bios "$guest" \
  --dump-text "$work/screen.txt" 2>"$work/err"
code=$?
[ "$code" = 0 ] || { echo "FAIL: exit code $code"; cat "$work/err"; exit 1; }
lines=$(wc -l <"$work/err")
grep -q "running headless" "$work/err" && [ "$lines" = 1 ] || { echo "FAIL: stderr was:"; cat "$work/err"; exit 1; }
grep -qF "TERN VGA TEXT MODE" "$work/screen.txt" || { echo "FAIL: the run did not happen"; exit 1; }
echo "ok: $(cat "$work/err")"
