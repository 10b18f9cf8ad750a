#!/usr/bin/env bash
# make test-aarch64: cross-builds tern for AArch64 with Debian's cross compiler and the arm64
# -dev packages (multiarch), runs the unit, command-line and guest tests under qemu-aarch64 (the
# guest tests with the interpreter: AArch64 has no JIT backend yet), then checks with
# tools/compare-hosts.sh that guest outputs, COM1 logs and x87 results are identical to those of
# the x86-64 build in HOST_BUILD. docs/aarch64.md has the details and the measured times.
# usage: test-aarch64.sh [CROSS_BUILD [HOST_BUILD]]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-aarch64}
HOST_BUILD=${2:-build}
JOBS=${JOBS:-$(nproc)}

tools/deps.sh aarch64
# No SDL2 window: its arm64 packages are heavy and the tests run headless.
cmake -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release -DTERN_SDL=OFF >/dev/null
start=$(date +%s)
cmake --build "$BUILD" -j"$JOBS"
built=$(date +%s)
echo "tern: AArch64 cross build took $((built - start)) s"
(cd "$BUILD" && ctest --output-on-failure -j"$JOBS" -R '^(unit|cli|guest)/')
tested=$(date +%s)
echo "tern: AArch64 tests under qemu-aarch64 took $((tested - built)) s"
tools/compare-hosts.sh "$HOST_BUILD" "$BUILD"
echo "tern: comparison with the x86-64 build took $(($(date +%s) - tested)) s"
