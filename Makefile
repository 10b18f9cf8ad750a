# tern: the two quick-start commands are `make run` and `make test`.
BUILD ?= build
AARCH64_BUILD ?= build-aarch64
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-aarch64 bench clean

all: build

deps:
	@tools/deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# Boots the default guest: Linux i386 with a busybox shell (built once from Debian packages), in
# the window where a display exists, on this terminal otherwise. More tern options: ARGS="...".
run: build
	@tools/run-default-guest.sh $(BUILD) $(ARGS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Cross-builds for AArch64 into $(AARCH64_BUILD) and runs the unit, command-line and guest tests
# under qemu-aarch64, comparing guest outputs and x87 results with the x86-64 build in $(BUILD)
# (docs/aarch64.md).
test-aarch64: build
	JOBS=$(JOBS) tools/test-aarch64.sh $(AARCH64_BUILD) $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)
	tests/bench/save_state.sh $(BUILD)
	tests/bench/jit_vs_qemu.sh $(BUILD)

clean:
	rm -rf $(BUILD)
