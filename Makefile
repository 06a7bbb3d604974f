# The two commands of the README:
#   make demo    installs missing Debian packages, builds, runs `tlsdiag demo`
#   make check   installs, builds (-Werror), runs every test, then the whole
#                suite again under ASan+UBSan, then each fuzz target briefly
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 10

.PHONY: all deps-demo deps-check build asan fuzz check check-fast demo bench clean

all: build

deps-demo:
	@scripts/install-deps.sh demo

deps-check:
	@scripts/install-deps.sh check

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DTD_WERROR=ON

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

asan:
	cmake -S . -B $(ASAN_BUILD) -DTD_WERROR=ON -DTD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j$(JOBS)

demo: deps-demo build
	$(BUILD)/tlsdiag demo

check-fast: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

check: deps-check
	$(MAKE) build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) fuzz

# libFuzzer targets with clang, each run briefly from its seed corpus.
fuzz:
	@if command -v clang >/dev/null 2>&1; then \
	  CC=clang cmake -S . -B $(FUZZ_BUILD) -DTD_FUZZ=ON -DTD_E2E=OFF -DCMAKE_BUILD_TYPE=Debug && \
	  cmake --build $(FUZZ_BUILD) -j$(JOBS) && \
	  for f in $(FUZZ_BUILD)/fuzz_*; do \
	    case $$f in *.log) continue;; esac; [ -f $$f ] && [ -x $$f ] || continue; \
	    name=$$(basename $$f); short=$${name#fuzz_}; \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$short; \
	    echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ_BUILD)/corpus-$$short fuzz/corpus/$$short \
	      >$(FUZZ_BUILD)/$$name.log 2>&1 || { tail -40 $(FUZZ_BUILD)/$$name.log; exit 1; }; \
	  done; \
	else echo "fuzz: clang not installed, fuzz targets only replayed under ctest"; fi

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
