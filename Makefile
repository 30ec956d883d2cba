# Entry points. `make demo` and `make test` install what is needed (Debian
# packages via scripts/install-deps.sh), build, and run.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps configure build demo test sanitize fuzz bench clean

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	bash scripts/demo.sh $(BUILD)

test: build
	@if [ -f tests/deploy/package-lock.json ]; then cd tests/deploy && npm ci --no-audit --no-fund --silent; fi
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under ASan+UBSan and the servers and caches under TSan
# (build-asan, build-tsan; scripts/sanitize.sh).
sanitize: deps
	bash scripts/sanitize.sh all

# Every libFuzzer target: replay the seed corpora, then FUZZ_SECONDS of
# fuzzing each (clang build in build-fuzz; scripts/fuzz.sh).
FUZZ_SECONDS ?= 30
fuzz: deps
	bash scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
