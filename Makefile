# The two set-up commands of the README: `make demo` and `make test`.
BUILD_DIR ?= build/release
SANITIZE_DIR ?= build/sanitize
JOBS ?= $(shell nproc)
CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps build demo test test-sanitize bench bench-sql format clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	./scripts/demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLINT_SANITIZE=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target glint_tests glint_cli
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

bench: build
	./$(BUILD_DIR)/glint_nexmark_bench

# Nexmark q0-q8 in SQL vs the DataStream API vs the hand-written loops (docs/benchmarks.md, SQL).
bench-sql: build
	python3 scripts/bench_sql.py --build $(BUILD_DIR)

format:
	find src programs tests bench examples -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
