#!/usr/bin/env bash
# Runs one guest program headless and checks its exit code and debug-console output.
# usage: run_guest.sh TERN IMAGE bios|kernel EXPECTED_EXIT EXPECTED_TEXT [tern options...]
set -u
tern=$1 image=$2 boot=$3 want_exit=$4 want_text=$5
shift 5
# A cross-built tern runs under the emulator CMake was given (e.g. qemu-aarch64).
read -r -a emulator <<<"${TERN_EMULATOR:-}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The outer timeout only guards the suite against a tern that ignores --timeout.
default_timeout=(--timeout 30)
case " $* " in *" --timeout "*) default_timeout=() ;; esac
timeout 300 "${emulator[@]}" "$tern" --headless --serial none --debugcon "file:$out" "${default_timeout[@]}" "$@" "--$boot" "$image"
got=$?
status=0
if [ "$got" != "$want_exit" ]; then
  echo "FAIL: exit code $got, expected $want_exit"
  status=1
fi
if [ -n "$want_text" ] && ! grep -qF -- "$want_text" "$out"; then
  echo "FAIL: debug console output lacks '$want_text'"
  status=1
fi
echo "--- debug console output:"
head -c 4000 "$out"
exit $status
