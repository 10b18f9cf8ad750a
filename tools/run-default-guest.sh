#!/usr/bin/env bash
# make run: the default guest, Linux i386 (Debian's 686 kernel) with an interactive busybox shell,
# made once from Debian packages by tests/boot/linux.sh and cached in BUILD/guest-images. It opens
# in the window where a display exists; without one tern says so in one line and runs headless,
# the shell on this terminal (COM1). `poweroff -f` in the guest ends the run.
# usage: tools/run-default-guest.sh [BUILD] [more tern options...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
source tests/boot/lib.sh
open_cache "$build/guest-images"
echo "tern: preparing the default guest, Linux i386 with a busybox shell (the first time: an apt download and about a minute)"
tests/boot/linux.sh "$GUEST_CACHE" >/dev/null
images=$GUEST_CACHE/linux
exec 9>&-  # the cache lock: other runs and tests may use the images while this one runs
echo "tern: booting it; type 'poweroff -f' in the guest to end the run"
exec "$build/tern" -m 256 --clock host --kernel "$images/vmlinuz" --initrd "$images/initrd-shell.gz" \
  --append "$(cat "$images/cmdline-shell")" "$@"
