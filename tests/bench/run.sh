#!/usr/bin/env bash
# make bench: benchmarks (speed and memory) live here, never in `make test`.
set -euo pipefail
build=${1:-build}
echo "tern benchmarks (build: $build)"
