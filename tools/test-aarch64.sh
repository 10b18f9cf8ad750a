#!/usr/bin/env bash
# make test-aarch64: cross-builds tern for AArch64 with Debian's cross compiler and the arm64
# -dev packages (multiarch), runs the unit tests and guest tests under qemu-aarch64 with the
# interpreter, and checks that every guest test gives the same output and exit code as the
# x86-64 build in $HOST_BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-aarch64}
HOST_BUILD=${2:-build}
JOBS=${JOBS:-$(nproc)}

tools/deps.sh aarch64
cmake -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release >/dev/null
start=$(date +%s)
cmake --build "$BUILD" -j"$JOBS"
built=$(date +%s)
echo "tern: AArch64 cross build took $((built - start)) s"
(cd "$BUILD" && ctest --output-on-failure -j"$JOBS" -R '^(unit|guest)/')
tested=$(date +%s)
echo "tern: AArch64 tests under qemu-aarch64 took $((tested - built)) s"
tools/compare-hosts.sh "$HOST_BUILD" "$BUILD"
