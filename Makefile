# jiayi - the two commands a new user needs are `make run` and `make test`.
# Everything else is a helper: build, bench, format, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= data/jiayi.sqlite
PORT       ?= 8080
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS  += --no-print-directory

.PHONY: all build build-asan deps run test check-postgresql bench format clean

all: build

deps:
	@scripts/install-deps

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@scripts/compress-web

build-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DJIAYI_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# Installs what is missing, builds, creates the demo county on first run and serves it.
run: deps build
	@scripts/run-demo "$(BUILD)/jiayi" "$(DB)" "$(PORT)"

# Every test: unit (ASan+UBSan), API against a real server, crash, browser.
test: deps build build-asan
	@cd $(ASAN_BUILD) && JIAYI_RELEASE_BIN=$(abspath $(BUILD))/jiayi ctest --output-on-failure -j $(JOBS)

# The whole API suite on PostgreSQL (make test runs all but four of its files there).
check-postgresql: deps build
	@JIAYI_BIN=$(abspath $(BUILD))/jiayi node tests/lib/lane.mjs --postgresql

bench: deps build
	@bench/run-all "$(BUILD)/jiayi"

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
