#!/usr/bin/env bash
# Boots one guest image (built or found in the cache by images.sh) in tern, headless, and checks
# the exit code, the serial console (COM1: --expect, fixed text) and the text screen at the end
# of the run (tern --dump-text; --expect-screen, an extended regular expression). Used by the
# CTest entries in CMakeLists.txt.
# usage: run_tern.sh TERN IMAGES_DIR EXPECTED_EXIT [--expect TEXT]... [--expect-screen ERE]...
#                    -- TERN_OPTIONS...
set -u
tern=$1 images=$2 want_exit=$3
shift 3
expects=()
screen_expects=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case $1 in
    --expect) expects+=("$2"); shift 2 ;;
    --expect-screen) screen_expects+=("$2"); shift 2 ;;
    *) echo "run_tern.sh: unknown argument '$1'"; exit 2 ;;
  esac
done
shift

if ! "$(dirname "$0")/images.sh" "$images" >/dev/null; then
  echo "FAIL: could not build the guest images in $images"
  exit 1
fi

serial=$(mktemp)
screen=$(mktemp)
trap 'rm -f "$serial" "$screen"' EXIT
screen_option=()
[ ${#screen_expects[@]} -eq 0 ] || screen_option=(--dump-text "$screen")
# The outer timeout only guards the suite against a tern that ignores --timeout.
timeout 1200 "$tern" --headless --serial "file:$serial" "${screen_option[@]}" "$@"
got=$?
status=0
if [ "$got" != "$want_exit" ]; then
  echo "FAIL: tern exit code $got, expected $want_exit"
  status=1
fi
for text in "${expects[@]}"; do
  if ! grep -aqF -- "$text" "$serial"; then
    echo "FAIL: the serial console lacks '$text'"
    status=1
  fi
done
for text in "${screen_expects[@]}"; do
  if ! grep -qE -- "$text" "$screen"; then
    echo "FAIL: the text screen lacks '$text'"
    status=1
  fi
done
echo "--- serial console (last 60 lines):"
tail -n 60 "$serial"
if [ ${#screen_expects[@]} -gt 0 ]; then
  echo "--- text screen:"
  cat "$screen"
fi
exit $status
