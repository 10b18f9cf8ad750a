# tern: the two quick-start commands are `make run` and `make test`.
BUILD ?= build
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

# Cross-builds for AArch64 and runs the unit and guest tests under qemu-aarch64, comparing guest
# outputs with the x86-64 build.
test-aarch64: build
	tools/test-aarch64.sh build-aarch64 $(BUILD)

bench: build
	tests/bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
