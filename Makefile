# jiayi - the two commands a new user needs are `make run` and `make test`.
# Everything else is a helper: build, bench, format, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
CRASH_CYCLES ?= 100
SOAK_SECONDS ?= 600
DB         ?= data/jiayi.sqlite
PORT       ?= 8080
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS  += --no-print-directory

.PHONY: all build build-asan build-fuzz deps run test check-long check-postgresql bench format clean

all: build

deps:
	@scripts/install-deps

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@scripts/compress-web

build-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DJIAYI_SANITIZE=ON \
		-DJIAYI_FUZZ_DIR=$(abspath $(FUZZ_BUILD)) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# The libFuzzer targets (tests/fuzz, clang): `make test` runs each briefly.
build-fuzz:
	@cmake -S tests/fuzz -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Installs what is missing, builds, creates the demo county on first run and serves it.
run: deps build
	@scripts/run-demo "$(BUILD)/jiayi" "$(DB)" "$(PORT)"

# Every test: unit (ASan+UBSan), API against a real server, crash, browser.
test: deps build build-fuzz build-asan
	@cd $(ASAN_BUILD) && JIAYI_RELEASE_BIN=$(abspath $(BUILD))/jiayi ctest --output-on-failure -j $(JOBS)

# The long runs (docs/fuzzing.md, docs/operations.md): each fuzz target for FUZZ_SECONDS,
# CRASH_CYCLES kill -9 cycles on SQLite and on PostgreSQL with a standby, and 2,000
# connections for SOAK_SECONDS.
check-long: deps build build-fuzz
	@for t in $$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$$||'); do \
		tests/fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS)s || exit 1; done
	@JIAYI_BIN=$(abspath $(BUILD))/jiayi node tests/long/crash_cycles.mjs $(CRASH_CYCLES)
	@JIAYI_BIN=$(abspath $(BUILD))/jiayi node tests/long/crash_cycles.mjs $(CRASH_CYCLES) --postgresql
	@tests/long/soak.sh $(BUILD)/jiayi $(SOAK_SECONDS)

# The whole API suite on PostgreSQL (make test runs all but four of its files there).
check-postgresql: deps build
	@JIAYI_BIN=$(abspath $(BUILD))/jiayi node tests/lib/lane.mjs --postgresql

bench: deps build
	@bench/run-all "$(BUILD)/jiayi"

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
