#!/usr/bin/env bash
# Runs every guest test program with two builds of tern (the x86-64 host build and the AArch64
# build under qemu-aarch64) and fails unless both give byte-identical debug-console output and
# the same exit code: guest-visible behaviour must not depend on the host.
set -uo pipefail
host_build=$1
cross_build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
emulator=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
failures=0
count=0
for bin in "$host_build"/guests/*.bin; do
  name=$(basename "$bin" .bin)
  src=tests/guests/$name.asm
  [ -f "$src" ] || continue
  boot=$(sed -n 's/^; tern-boot: *//p' "$src" | head -n1)
  args=$(sed -n 's/^; tern-args: *//p' "$src" | head -n1)
  # Tests that end by timeout depend on host speed: compare only the others.
  case " $args " in *" --timeout "*) continue ;; esac
  run() {  # run OUT_PREFIX TERN...
    local out=$1
    shift
    timeout 300 "$@" --headless --serial none --debugcon "file:$out.log" --timeout 120 --engine interp \
      $args "--${boot:-bios}" "$bin" >/dev/null 2>&1
    echo $? >"$out.code"
  }
  run "$work/$name.host" "$host_build/tern"
  run "$work/$name.cross" "${emulator[@]}" "$cross_build/tern"
  count=$((count + 1))
  if ! cmp -s "$work/$name.host.log" "$work/$name.cross.log" || ! cmp -s "$work/$name.host.code" "$work/$name.cross.code"; then
    echo "DIFFERENT: $name (exit $(cat "$work/$name.host.code") vs $(cat "$work/$name.cross.code"))"
    diff <(head -c 2000 "$work/$name.host.log") <(head -c 2000 "$work/$name.cross.log") | head -20
    failures=$((failures + 1))
  fi
done
echo "tern: compared $count guest programs on x86-64 and AArch64: $failures differ"
[ "$failures" -eq 0 ] && [ "$count" -gt 0 ]
