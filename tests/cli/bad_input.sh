#!/usr/bin/env bash
# Bad input on the command line: one line on stderr naming the problem, exit code 125, and no
# output file left behind.
set -u
tern=$1
# A cross-built tern runs under the emulator CMake was given (e.g. qemu-aarch64).
read -r -a emulator <<<"${TERN_EMULATOR:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

expect_bad() {
  local what=$1
  shift
  "${emulator[@]}" "$tern" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$code" != 125 ] || [ "$lines" != 1 ]; then
    echo "FAIL ($what): exit $code, $lines stderr lines:"
    cat "$work/err"
    failures=$((failures + 1))
  else
    echo "ok ($what): $(cat "$work/err")"
  fi
}

expect_bad "unknown option" --bogus
expect_bad "bad memory size" -m lots
expect_bad "bad engine" --engine fast
expect_bad "missing kernel" --kernel "$work/nope"
expect_bad "kernel is a directory" --kernel "$work"
expect_bad "missing config file" --config "$work/nope.ini"
expect_bad "negative timeout" --timeout -5
expect_bad "bad boot order" --boot xyz
printf 'engine = warp\n' >"$work/bad.ini"
expect_bad "bad value in config file" --config "$work/bad.ini"
printf 'nosuchkey = 1\n' >"$work/bad2.ini"
expect_bad "unknown key in config file" --config "$work/bad2.ini"

# A failure after the options are read must not leave a half-written output file.
expect_bad "missing kernel with debugcon file" --debugcon "file:$work/debug.log" --kernel "$work/nope"
if [ -e "$work/debug.log" ]; then
  echo "FAIL: debug.log was created although the run never started"
  failures=$((failures + 1))
fi

"${emulator[@]}" "$tern" --help >"$work/help" 2>&1 || { echo "FAIL: --help exit code"; failures=$((failures + 1)); }
grep -q -- "--kernel" "$work/help" || { echo "FAIL: --help lacks --kernel"; failures=$((failures + 1)); }
"${emulator[@]}" "$tern" --version | grep -q "^tern " || { echo "FAIL: --version"; failures=$((failures + 1)); }

exit $((failures > 0))
