# tern: the two quick-start commands are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test bench clean

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

bench: build
	tests/bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
