# The two commands a new user needs: `make demo` and `make test`. Everything else is detail.
JOBS ?= $(shell nproc)

.PHONY: all setup build test test-release test-asan demo bench format lint clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-asan: setup
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

test-release: build
	ctest --preset release -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

# Every test: the release build, then the same tests under ASan+UBSan, then the format check.
test: test-release test-asan format-check

demo: build
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
