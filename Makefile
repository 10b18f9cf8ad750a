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

# Boots the default guest. Until a real guest image is built by the project (issue 9), this is
# the built-in demo guest, which says so on the terminal.
run: build
	@echo "tern: booting the built-in demo guest (a real-mode program on the debug console)"
	$(BUILD)/tern --headless --debugcon stdio --bios $(BUILD)/guests/demo.bin

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Cross-builds for AArch64 into $(AARCH64_BUILD) and runs the unit, command-line and guest tests
# under qemu-aarch64, comparing guest outputs and x87 results with the x86-64 build in $(BUILD)
# (docs/aarch64.md).
test-aarch64: build
	JOBS=$(JOBS) tools/test-aarch64.sh $(AARCH64_BUILD) $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
