# The two commands a new user needs: `make demo` and `make test`. Everything else is detail.
JOBS ?= $(shell nproc)
# Tests at once: two more than the cores, since the integration shards spend part of their time
# waiting on servers, clocks and subprocesses (docs/benchmarks.md, "Build and test time").
TEST_JOBS ?= $(shell echo $$(( $(JOBS) + 2 )))

.PHONY: all setup build build-asan build-server web test test-release test-asan test-web test-web-asan demo bench format format-check lint clean _build-asan _web

all: build

setup:
	@bash scripts/setup.sh

build: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-asan: setup
	@$(MAKE) --no-print-directory _build-asan

# The release server alone (build/release/yuqing): what the browser tests run.
build-server: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target yuqing

test-release: build
	ctest --preset release -j $(TEST_JOBS)

test-asan: build-asan
	ctest --preset asan -j $(TEST_JOBS)

# The web workbench: npm packages from the lock file, then vite build into web/dist.
web: setup
	@$(MAKE) --no-print-directory _web

# Its unit tests, then its browser tests against the release build's server.
test-web: build-server web
	bash scripts/web.sh test

# The same web tests against the ASan+UBSan server of build/asan: what `make test` runs. The
# server's sanitizer findings fail the browser tests (web/e2e/harness.mjs, stop()).
test-web-asan: build-asan web
	YQ_WEB_BIN=build/asan bash scripts/web.sh test

# Every test, each once, from one build: the C++ tests (unit and integration) under ASan+UBSan
# in build/asan, then the web workbench's unit and browser tests against that build's server,
# then the format check. No release target is built (`make test-release` runs the C++ tests at
# -O3, `make test-web` the browser tests against the release server, `make build` and
# `make bench` build the bench programs): the builds took most of the time (docs/benchmarks.md,
# "Build and test time").
# The web packages and bundle are made beside the ASan build (npm ci waits mostly on the
# network, the build on the cores).
test: setup
	@$(MAKE) --no-print-directory -j 2 _build-asan _web
	ctest --preset asan -j $(TEST_JOBS)
	YQ_WEB_BIN=build/asan bash scripts/web.sh test
	@$(MAKE) --no-print-directory format-check

# Internal: the steps above without `setup` in front of each.
_build-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

_web:
	bash scripts/web.sh build

demo: build web
	bash scripts/demo.sh

bench: build
	bash bench/run_all.sh

format:
	clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc' 'tests/*.cc' 'bench/*.cc')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'src/*.h' 'src/*.cc' 'tests/*.cc' 'bench/*.cc') && echo "format: ok"

lint: build
	run-clang-tidy -quiet -p build/release $$(git ls-files 'src/*.cc')

clean:
	rm -rf build
