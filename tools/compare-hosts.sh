#!/usr/bin/env bash
# Checks that guest-visible behaviour does not depend on the host: runs the same things with two
# builds of tern (the x86-64 host build and the AArch64 build under qemu-aarch64) and fails unless
# they give byte-identical results:
# - every guest test program (tests/guests/): debug-console output, COM1 log and exit code; the
#   Multiboot guest serial_report writes x87, integer and timer results to COM1 and must finish;
# - the x87 test vectors (test_fpu_vectors): tern's outcome for every case, bit for bit, including
#   the transcendental results that the vectors themselves only check within one ulp.
# usage: compare-hosts.sh HOST_BUILD CROSS_BUILD
set -uo pipefail
host_build=$(realpath "$1")
cross_build=$(realpath "$2")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
emulator=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
failures=0
count=0

different() {  # different NAME REASON
  echo "DIFFERENT: $1 ($2)"
  failures=$((failures + 1))
}

compare_guest() {  # compare_guest NAME BIN BOOT ARGS
  local name=$1 bin=$2 boot=$3 args=$4 side
  for side in host cross; do
    local tern=("$host_build/tern")
    [ "$side" = cross ] && tern=("${emulator[@]}" "$cross_build/tern")
    # shellcheck disable=SC2086  # ARGS is the test's option list
    timeout 300 "${tern[@]}" --headless --serial "file:$work/$name.$side.serial" \
      --debugcon "file:$work/$name.$side.log" --timeout 120 --engine interp $args "--$boot" "$bin" >/dev/null 2>&1
    echo $? >"$work/$name.$side.code"
  done
  count=$((count + 1))
  local what
  for what in code log serial; do
    if ! cmp -s "$work/$name.host.$what" "$work/$name.cross.$what"; then
      different "$name" "$what: exit $(cat "$work/$name.host.code") vs $(cat "$work/$name.cross.code")"
      diff <(head -c 2000 "$work/$name.host.$what") <(head -c 2000 "$work/$name.cross.$what") | head -20
      return
    fi
  done
}

for bin in "$host_build"/guests/*.bin; do
  name=$(basename "$bin" .bin)
  src=tests/guests/$name.asm
  [ -f "$src" ] || continue
  boot=$(sed -n 's/^; tern-boot: *//p' "$src" | head -n1)
  args=$(sed -n 's/^; tern-args: *//p' "$src" | head -n1)
  # Runs that end by the host-time --timeout depend on host speed: compare only the others.
  case " $args " in *" --timeout "*) continue ;; esac
  compare_guest "$name" "$bin" "${boot:-bios}" "$args"
done
# The comparison of serial logs means something only if the report was written in full.
if ! grep -q '^end of report$' "$work/serial_report.host.serial" 2>/dev/null; then
  echo "FAIL: serial_report wrote no complete report on COM1"
  failures=$((failures + 1))
fi

TERN_FPU_OUTCOMES=$work/fpu.host "$host_build/tests/test_fpu_vectors" >/dev/null
TERN_FPU_OUTCOMES=$work/fpu.cross "${emulator[@]}" "$cross_build/tests/test_fpu_vectors" >/dev/null
fpu_cases=$(wc -l <"$work/fpu.host" 2>/dev/null || echo 0)
if [ "$fpu_cases" -lt 1000 ] || ! cmp -s "$work/fpu.host" "$work/fpu.cross"; then
  different "x87 vectors" "$fpu_cases cases on x86-64, $(wc -l <"$work/fpu.cross" 2>/dev/null || echo 0) on AArch64"
  diff "$work/fpu.host" "$work/fpu.cross" 2>&1 | head -6
fi

echo "tern: compared $count guest programs (debug console, COM1, exit code) and $fpu_cases x87 vector outcomes on x86-64 and AArch64: $failures differ"
[ "$failures" -eq 0 ] && [ "$count" -gt 0 ]
