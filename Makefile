# Front door: `make` builds, `make run` opens the bundled example, `make test` runs every test,
# `make bench` measures loading, `make package` builds a .deb, `make install [PREFIX=...]` installs.
# `make test-asan` runs every test built with AddressSanitizer and UBSan; `make fuzz` runs each
# libFuzzer target for FUZZ_SECONDS (clang). `make check-format` checks the C++ files changed on
# this branch against .clang-format. SPANWISE_WERROR=ON (as CI builds) makes compiler warnings
# errors; it takes effect when a build folder is first configured.
# Missing Debian packages are installed first (as root).
BUILD ?= build
JOBS ?= $(shell nproc)
EXAMPLE ?= resources/examples/checkout.json
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
SPANWISE_WERROR ?= OFF
# _GLIBCXX_ASSERTIONS checks indexing inside reserved capacity, where ASan sees valid memory.
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-D_GLIBCXX_ASSERTIONS
export ASAN_OPTIONS ?= detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp

.PHONY: all deps build run test test-asan fuzz-deps fuzz bench package install check-format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPANWISE_WERROR=$(SPANWISE_WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/spanwise $(EXAMPLE)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPANWISE_BUILD_BENCH=OFF \
		-DCMAKE_CXX_FLAGS="-O1 $(SANITIZE_FLAGS)" -DSPANWISE_WERROR=$(SPANWISE_WERROR)

test-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz-deps:
	@scripts/install-deps --fuzz

$(FUZZ_BUILD)/CMakeCache.txt: | fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPANWISE_BUILD_BENCH=OFF \
		-DCMAKE_CXX_COMPILER=clang++-14 -DSPANWISE_FUZZ=ON -DCMAKE_CXX_FLAGS=-D_GLIBCXX_ASSERTIONS \
		-DSPANWISE_WERROR=$(SPANWISE_WERROR)

fuzz: fuzz-deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	tests/fuzz/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	bench/run-bench $(BUILD) $(BENCH_ARGS)

package: build
	cd $(BUILD) && cpack -G DEB

install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

check-format: deps
	scripts/check-format

clean:
	rm -rf $(BUILD)
