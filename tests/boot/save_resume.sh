#!/usr/bin/env bash
# Save and resume of a booted Linux guest (docs/save-states.md): a state saved when a marker
# appears on COM1 and resumed in a new process must finish the workload with a serial log that,
# after the saving runs' logs, is byte for byte the log of an uninterrupted run. Steps (CTest
# fixtures, see CMakeLists.txt), sharing files in WORK:
#   reference                        an uninterrupted run (best engine): ref.log
#   save ENGINE MARKER [FROM]        a run under ENGINE, from boot or resumed from FROM.state,
#                                    saved when MARKER appears: ENGINE.state, and in ENGINE.prefix
#                                    the serial output up to that point
#   resume SAVER LOADER              SAVER.state resumed under LOADER: SAVER.prefix and its log
#                                    must make ref.log
# The interpreter is about five times slower than the JIT: where a JIT exists, it boots and the
# interpreter saves a state of its own a few guest seconds later, so that every step stays short.
# usage: save_resume.sh TERN IMAGES_DIR WORK reference|save ...|resume ...
set -u
tern=$1 images=$2 work=$3 step=$4
shift 4
linux=$images/linux
boot=(-m 256 --kernel "$linux/vmlinuz" --initrd "$linux/initrd.gz" --append "console=ttyS0,115200")
common=(--headless --no-reboot --timeout 900)

fail() {
  echo "FAIL: $*"
  exit 1
}
seconds_since() { awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $1 }"; }

mkdir -p "$work"
case $step in
  reference)
    "$(dirname "$0")/images.sh" "$images" >/dev/null || fail "could not build the guest images in $images"
    rm -f "$work/ref.log"
    "$tern" "${common[@]}" "${boot[@]}" --engine auto --serial "file:$work/ref.log.tmp" || fail "reference run exit code $?"
    grep -q TERN-WORKLOAD-DONE "$work/ref.log.tmp" || fail "the reference run did not finish the workload"
    mv "$work/ref.log.tmp" "$work/ref.log"
    ;;
  save)
    engine=$1 marker=$2 from=${3:-}
    rm -f "$work/$engine.state" "$work/$engine.prefix"
    machine=("${boot[@]}")
    : >"$work/$engine.before"
    if [ -n "$from" ]; then
      machine=(--load "$work/$from.state")
      cp "$work/$from.prefix" "$work/$engine.before"
    fi
    start=$(date +%s.%N)
    "$tern" "${common[@]}" "${machine[@]}" --engine "$engine" --serial "file:$work/$engine.log" \
      --save-on-serial "$marker:$work/$engine.state" --until-serial "$marker" || fail "saving run exit code $?"
    [ -s "$work/$engine.state" ] || fail "no state file"
    cat "$work/$engine.before" "$work/$engine.log" >"$work/$engine.prefix"
    echo "saved under $engine at '$marker'${from:+ (resumed from the $from state)}: $(stat -c %s "$work/$engine.state")" \
      "bytes, run $(seconds_since "$start") s"
    ;;
  resume)
    saver=$1 loader=$2
    out=$work/$saver-to-$loader.log
    rm -f "$out"
    start=$(date +%s.%N)
    "$tern" "${common[@]}" --engine "$loader" --load "$work/$saver.state" --serial "file:$out" ||
      fail "resumed run exit code $?"
    echo "resumed under $loader: $(seconds_since "$start") s"
    if ! cat "$work/$saver.prefix" "$out" | cmp -s - "$work/ref.log"; then
      echo "--- diff of (saving runs + resumed run) against the uninterrupted run:"
      diff <(cat "$work/$saver.prefix" "$out") "$work/ref.log" | head -40
      fail "the serial log differs from the uninterrupted run"
    fi
    echo "serial log identical to the uninterrupted run ($(wc -l <"$work/ref.log") lines)"
    ;;
  *) fail "unknown step '$step'" ;;
esac
