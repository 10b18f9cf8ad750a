#!/usr/bin/env bash
# Determinism: the same headless run twice gives byte-identical screenshots, both the timed series
# (--screenshot-every on guest time) and the one at the end.
# usage: same_twice.sh TERN GUEST
set -u
tern=$1 guest=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in a b; do
  "$tern" --headless --serial none --timeout 30 --bios "$guest" --screenshot "$work/$run-end.png" \
    --screenshot-every "0.0005:$work/$run" || { echo "FAIL: run $run exited $?"; exit 1; }
done
count=$(ls "$work/a" | wc -l)
if [ "$count" -lt 2 ]; then
  echo "FAIL: expected several timed screenshots, got $count"
  exit 1
fi
cmp "$work/a-end.png" "$work/b-end.png" || { echo "FAIL: end screenshots differ"; exit 1; }
diff -r "$work/a" "$work/b" || { echo "FAIL: timed screenshots differ"; exit 1; }
echo "ok: $count timed screenshots and the final one are identical in both runs"
