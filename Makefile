# Front door: `make` builds, `make run` opens the bundled example, `make test` runs every test,
# `make bench` measures loading, `make package` builds a .deb, `make install [PREFIX=...]` installs.
# Missing Debian packages are installed first (as root).
BUILD ?= build
JOBS ?= $(shell nproc)
EXAMPLE ?= resources/examples/checkout.json

.PHONY: all deps build run test bench package install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/spanwise $(EXAMPLE)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	bench/run-bench $(BUILD) $(BENCH_ARGS)

package: build
	cd $(BUILD) && cpack -G DEB

install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

clean:
	rm -rf $(BUILD)
