#!/usr/bin/env bash
# make bench: interpreter speed on a CPU-bound guest, tern beside Bochs on the same guest.
#
#   tests/bench/run.sh [build-dir] [rounds]   guest MIPS of tern and of Bochs (if installed)
#   tests/bench/run.sh --callgrind [build-dir] host instructions per guest instruction (valgrind)
#
# The guest is intbench.asm (CRC-32, Shell sort, LZ77 over text-like data; see its header).
# MIPS = guest instructions of the work / host seconds of the work. Each emulator also runs the
# guest with ROUNDS=0 (boot and report only), and that run's time is subtracted, so Bochs's BIOS
# and boot loader cost nothing. Instructions are tern's count (--stats); Bochs runs the same
# instructions (the checksums must agree). Wall time and CPU time (user + sys) are both shown:
# on a loaded host CPU time is the steadier figure. The software TLB's host ns per hit and per
# miss-and-walk follow (tlb_bench.cc). Nothing here is asserted; it only reports.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=mips
if [ "${1:-}" = "--callgrind" ]; then
  mode=callgrind
  shift
fi
build=$(cd "${1:-build}" && pwd)
rounds=${2:-400}
[ "$mode" = callgrind ] && rounds=${2:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

inc=$here/../guests/include
nasm -f bin -I"$inc/" -DROUNDS="$rounds" -o "$work/full.bin" "$here/intbench.asm"
nasm -f bin -I"$inc/" -DROUNDS=0 -o "$work/empty.bin" "$here/intbench.asm"

# tern_stats ENGINE IMAGE: "<instructions> <wall s> <cpu s>" from tern --stats; the checksum goes
# to $work/out.
tern_stats() {
  "$build/tern" --headless --engine "$1" --debugcon "file:$work/out" --stats --kernel "$2" 2>"$work/stats" >/dev/null
  sed -n 's/^tern: \([0-9]*\) instructions, \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\1 \2 \3/p' "$work/stats"
}

read -r n_full wall_full cpu_full < <(tern_stats interp "$work/full.bin")
tern_sum=$(grep -o 'checksum [0-9a-f]*' "$work/out")
read -r n_empty wall_empty cpu_empty < <(tern_stats interp "$work/empty.bin")
insns=$((n_full - n_empty))

mips() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { t = a - b; if (t <= 0) print "n/a"; else printf "%.1f", n / t / 1e6 }'; }

echo "intbench ROUNDS=$rounds: $insns guest instructions of work ($tern_sum), $(date -u +%Y-%m-%d)"

if [ "$mode" = callgrind ]; then
  command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
  ir() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$build/tern" --headless --engine interp \
      --debugcon none --kernel "$1" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  ir_full=$(ir "$work/full.bin")
  ir_empty=$(ir "$work/empty.bin")
  awk -v a="$ir_full" -v b="$ir_empty" -v n="$insns" \
    'BEGIN { printf "tern interp: %.1f host instructions per guest instruction (callgrind)\n", (a - b) / n }'
  exit 0
fi

printf 'tern interp: %s s wall, %s s CPU: %s MIPS wall, %s MIPS CPU\n' "$wall_full" "$cpu_full" \
  "$(mips "$insns" "$wall_full" "$wall_empty")" "$(mips "$insns" "$cpu_full" "$cpu_empty")"
# The JIT, where this host has one (for comparison; the interpreter is what this script tracks).
if read -r _ jwall_full jcpu_full < <(tern_stats jit "$work/full.bin") &&
   read -r _ jwall_empty jcpu_empty < <(tern_stats jit "$work/empty.bin"); then
  printf 'tern jit:    %s s wall, %s s CPU: %s MIPS wall, %s MIPS CPU\n' "$jwall_full" "$jcpu_full" \
    "$(mips "$insns" "$jwall_full" "$jwall_empty")" "$(mips "$insns" "$jcpu_full" "$jcpu_empty")"
fi

# The software TLB on its own: host ns per hit and per miss-and-walk (tlb_bench.cc).
"$build/tlb_bench"

# ---- Bochs: the same kernel started by a floppy boot sector (floppy_boot.asm). ----
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/vgabios/vgabios.bin
plugins=/usr/lib/x86_64-linux-gnu/bochs/plugins
if ! command -v bochs >/dev/null || [ ! -f "$bios" ] || [ ! -f "$vgabios" ]; then
  echo "bochs: not installed (apt-get install bochs bochsbios vgabios bochs-sdl), skipped"
  exit 0
fi
# Bochs needs a display library; SDL2 with SDL's dummy video driver runs headless.
if ! ls "$plugins"/libbx_sdl2_gui.so* >/dev/null 2>&1; then
  echo "bochs: no headless display library (apt-get install bochs-sdl), skipped"
  exit 0
fi

bochs_image() {  # bochs_image KERNEL FLOPPY
  local sectors=$(( ($(stat -c %s "$1") + 511) / 512 ))
  nasm -f bin -DKERNEL_SECTORS=$sectors -o "$work/boot.bin" "$here/floppy_boot.asm"
  cat "$work/boot.bin" "$1" > "$2"
  truncate -s 1474560 "$2"
}
bochs_image "$work/full.bin" "$work/full.img"
bochs_image "$work/empty.bin" "$work/empty.img"

# bochs_time FLOPPY: "<wall s> <cpu s>"; the debug console output to $work/bochs.out.
bochs_time() {
  cat > "$work/bochsrc" <<EOF
megs: 32
cpu: model=p2_klamath, count=1, ips=100000000
romimage: file=$bios
vgaromimage: file=$vgabios
floppya: 1_44=$1, status=inserted
boot: floppy
display_library: sdl2
clock: sync=none
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
mouse: enabled=0
port_e9_hack: enabled=1
log: $work/bochs.log
panic: action=fatal
EOF
  printf 'c\nquit\n' > "$work/bochs.cmds"
  (cd "$work" && SDL_VIDEODRIVER=dummy /usr/bin/time -f '%e %U %S' -o "$work/time" \
    bochs -q -f "$work/bochsrc" -rc "$work/bochs.cmds" >"$work/bochs.out" 2>&1) || true
  tail -1 "$work/time" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

read -r bwall_full bcpu_full < <(bochs_time "$work/full.img")
bochs_sum=$(grep -ao 'checksum [0-9a-f]*' "$work/bochs.out" || true)
read -r bwall_empty bcpu_empty < <(bochs_time "$work/empty.img")
if [ "$bochs_sum" != "$tern_sum" ]; then
  echo "bochs: checksum '$bochs_sum' differs from tern's '$tern_sum': timing not comparable"
  exit 1
fi
printf 'bochs %s: %s s wall, %s s CPU: %s MIPS wall, %s MIPS CPU\n' \
  "$(bochs --help 2>&1 | sed -n 's/.*Bochs x86 Emulator \([0-9.]*\).*/\1/p' | head -1)" "$bwall_full" "$bcpu_full" \
  "$(mips "$insns" "$bwall_full" "$bwall_empty")" "$(mips "$insns" "$bcpu_full" "$bcpu_empty")"
awk -v tc="$cpu_full" -v te="$cpu_empty" -v bc="$bcpu_full" -v be="$bcpu_empty" \
  'BEGIN { if (tc - te > 0 && bc - be > 0) printf "tern interp / bochs (CPU time): %.2fx\n", (bc - be) / (tc - te) }'
