#!/usr/bin/env bash
# The INI config file takes the same keys as the command line, and the command line wins.
set -u
tern=$1
# A cross-built tern runs under the emulator CMake was given (e.g. qemu-aarch64).
read -r -a emulator <<<"${TERN_EMULATOR:-}"
guest=$2  # a BIOS guest that prints on the debug console and exits 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/tern.ini" <<INI
headless = true
bios = $guest
debugcon = file:$work/from-config.log
timeout = 20
INI
"${emulator[@]}" "$tern" --config "$work/tern.ini" || { echo "FAIL: run from config exited $?"; exit 1; }
[ -s "$work/from-config.log" ] || { echo "FAIL: config file's debugcon was not used"; exit 1; }
"${emulator[@]}" "$tern" --config "$work/tern.ini" --debugcon "file:$work/from-cli.log" || { echo "FAIL: exit $?"; exit 1; }
[ -s "$work/from-cli.log" ] || { echo "FAIL: command line did not win over the config file"; exit 1; }
echo ok
