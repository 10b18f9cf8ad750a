#!/usr/bin/env bash
# make bench, part 2: tern's JIT beside QEMU's TCG (qemu-system-i386 -accel tcg), one after the
# other in this run, on two guests:
#   intbench  the CPU-bound Multiboot kernel of intbench.asm (CRC-32, Shell sort, LZ77), started
#             by both with -kernel; guest MIPS = tern's instruction count of the work / CPU seconds
#             of the work (a ROUNDS=0 run is subtracted, so boot and exit cost nothing);
#   linux     Linux i386 booted directly (--kernel/--initrd) with the test workload, to ACPI
#             power-off; wall and CPU seconds of the whole run, and tern's translation time and
#             code cache size (from --log jit).
# The report goes to stdout and to tests/bench/results/jit-vs-qemu-DATE.txt. Nothing is asserted.
# usage: tests/bench/jit_vs_qemu.sh [BUILD] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
rounds=${2:-1500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v qemu-system-i386 >/dev/null || { echo "qemu-system-i386 not installed (apt-get install qemu-system-x86)"; exit 1; }
results=$here/results
mkdir -p "$results"
report=$results/jit-vs-qemu-$(date -u +%Y-%m-%d).txt
exec > >(tee "$report")

# timed OUT CMD...: runs CMD, writes "<wall s> <cpu s>" to OUT.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$out.t" "$@" || true
  tail -1 "$out.t" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }' >"$out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "tern JIT vs QEMU TCG, $(date -u +%Y-%m-%d), $(nproc) host CPUs, $(qemu-system-i386 --version | head -1)"

# ---- intbench ----
inc=$here/../guests/include
for r in "$rounds" 0; do
  nasm -f bin -I"$inc/" -DROUNDS="$r" -o "$work/ib$r.bin" "$here/intbench.asm"
  "$build/tern" --headless --engine jit --debugcon "file:$work/tern$r.out" --stats --kernel "$work/ib$r.bin" \
    2>"$work/stats$r" >/dev/null
  timed "$work/qemu$r.time" qemu-system-i386 -accel tcg -m 32 -display none -no-reboot -kernel "$work/ib$r.bin" \
    -device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon "file:$work/qemu$r.out"
done
stat() { sed -n "s/^tern: \([0-9]*\) instructions, \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\\$2/p" "$work/stats$1"; }
insns=$(( $(stat "$rounds" 1) - $(stat 0 1) ))
tern_cpu=$(awk -v a="$(stat "$rounds" 3)" -v b="$(stat 0 3)" 'BEGIN { print a - b }')
qemu_cpu=$(awk -v a="$(cut -d' ' -f2 "$work/qemu$rounds.time")" -v b="$(cut -d' ' -f2 "$work/qemu0.time")" 'BEGIN { print a - b }')
sum_tern=$(grep -ao 'checksum [0-9a-f]*' "$work/tern$rounds.out")
sum_qemu=$(grep -ao 'checksum [0-9a-f]*' "$work/qemu$rounds.out" || true)
[ "$sum_tern" = "$sum_qemu" ] || echo "intbench: QEMU's '$sum_qemu' differs from tern's '$sum_tern'"
mips() { awk -v n="$insns" -v t="$1" 'BEGIN { if (t > 0) printf "%.0f", n / t / 1e6; else print "n/a" }'; }
echo "intbench ROUNDS=$rounds: $insns guest instructions ($sum_tern)"
echo "  tern jit: $tern_cpu s CPU, $(mips "$tern_cpu") MIPS"
echo "  qemu tcg: $qemu_cpu s CPU, $(mips "$qemu_cpu") MIPS"
echo "  tern / qemu guest MIPS: $(ratio "$qemu_cpu" "$tern_cpu")"

# ---- Linux boot + workload ----
images=$build/guest-images
"$here/../boot/images.sh" "$images" >/dev/null
k=$images/linux
timed "$work/tern-linux.time" "$build/tern" --headless --engine jit -m 256 --no-reboot --kernel "$k/vmlinuz" \
  --initrd "$k/initrd.gz" --append "$(cat "$k/cmdline")" --serial "file:$work/tern-linux.log" --log jit --stats \
  2>"$work/tern-linux.err"
timed "$work/qemu-linux.time" qemu-system-i386 -accel tcg -m 256 -display none -no-reboot -kernel "$k/vmlinuz" \
  -initrd "$k/initrd.gz" -append "$(cat "$k/cmdline")" -serial "file:$work/qemu-linux.log"
for who in tern qemu; do
  grep -q TERN-WORKLOAD-DONE "$work/$who-linux.log" || echo "linux: $who did not finish the workload"
done
read -r tw tc <"$work/tern-linux.time"
read -r qw qc <"$work/qemu-linux.time"
echo "linux boot + workload (Debian 6.1 686, 256 MiB, to ACPI power-off):"
echo "  tern jit: $tw s wall, $tc s CPU; $(grep -o '[0-9]* instructions' "$work/tern-linux.err" | head -1) (virtual clock)"
sed -n 's/^\[jit:info\] jit: \(.*\)/  tern jit: \1/p' "$work/tern-linux.err"
translate=$(sed -n 's/.*translated in \([0-9.]*\) s.*/\1/p' "$work/tern-linux.err")
echo "  tern jit: translation $(awk -v a="$translate" -v b="$tc" 'BEGIN { printf "%.1f", 100 * a / b }')% of the CPU time"
echo "  qemu tcg: $qw s wall, $qc s CPU"
echo "  wall time tern / qemu: $(ratio "$tw" "$qw"); CPU time tern / qemu: $(ratio "$tc" "$qc")"
