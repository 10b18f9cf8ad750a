#!/usr/bin/env bash
# --engine on a host with or without a JIT backend: `jit` without a backend says in one line that
# the interpreter runs instead and the guest still runs; `auto` (the default) silently picks the
# best engine the host has, which the JIT's statistics line (--log jit:info) shows or not.
# usage: engine_choice.sh TERN GUEST HAS_JIT(ON|OFF); a cross-built tern runs under $TERN_EMULATOR.
set -u
tern=$1
guest=$2  # a BIOS guest that prints on the debug console and exits 0
has_jit=$3
read -r -a emulator <<<"${TERN_EMULATOR:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

run() {  # run NAME TERN-OPTIONS...: stderr in $work/NAME.err; fails unless the guest ran to exit 0
  local name=$1
  shift
  timeout 120 "${emulator[@]}" "$tern" --headless --serial none --debugcon "file:$work/$name.out" --timeout 60 \
    --bios "$guest" "$@" 2>"$work/$name.err"
  local code=$?
  if [ "$code" != 0 ] || ! grep -q 'powering off' "$work/$name.out"; then
    echo "FAIL ($name): exit $code, guest output: $(head -c 200 "$work/$name.out")"
    failures=$((failures + 1))
  fi
}

expect() {  # expect WHAT CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

run jit --engine jit
run auto --engine auto --log jit:info
run interp --engine interp
fallback='no JIT on this host: running the interpreter'
if [ "$has_jit" = ON ]; then
  expect "--engine jit runs the JIT without a word" test ! -s "$work/jit.err"
  expect "--engine auto picks the JIT" grep -q 'translated in' "$work/auto.err"
else
  expect "--engine jit says in one line that the interpreter runs" \
    test "$(wc -l <"$work/jit.err")" = 1 -a "$(cat "$work/jit.err")" = "[jit:warn] $fallback"
  expect "--engine auto picks the interpreter without a word" test ! -s "$work/auto.err"
fi
expect "--engine interp runs without a word" test ! -s "$work/interp.err"
for name in jit auto interp; do
  [ -s "$work/$name.err" ] && echo "--- stderr of --engine $name:" && cat "$work/$name.err"
done
exit $((failures > 0))
