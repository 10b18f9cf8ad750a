#!/usr/bin/env bash
# Configures and builds a second tern tree with AddressSanitizer and UBSan (TERN_SANITIZE), only
# the targets named: the suite's asan/ tests run them. Incremental after the first run.
# usage: build.sh SOURCE_DIR BUILD_DIR TARGET...
set -eu
src=$1 dir=$2
shift 2
if [ ! -f "$dir/CMakeCache.txt" ]; then
  # -O1: what the sanitizers recommend, and a much shorter build than -O3. Warnings are not
  # errors here: GCC's flow warnings misfire on sanitizer-instrumented library code (<regex>).
  cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DTERN_SANITIZE=ON \
    -DTERN_SDL=OFF -DTERN_WERROR=OFF >/dev/null
fi
cmake --build "$dir" -j"${TERN_ASAN_JOBS:-2}" --target "$@"
