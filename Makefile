# The two commands of the README. Both install what they need (Debian packages) first.
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# make fuzz: seconds per target; make fuzz-ci: a fixed number of executions per target over at
# most FUZZ_CI_SEEDS of its seeds and no corpus of earlier runs, the same inputs on every run
# (-seed=1). docs/fuzzing.md.
FUZZ_SECONDS ?= 60
FUZZ_CI_RUNS ?= 500
FUZZ_CI_SEEDS ?= 150
JOBS ?= $(shell nproc)
PACKAGES = cmake g++ make libcli11-dev nlohmann-json3-dev libfmt-dev tao-pegtl-dev doctest-dev \
           m4 sendmail-cf sendmail-bin python3-jsonschema python3-yaml pkg-config libpsl-dev publicsuffix libdb-dev clang-format \
           clang libclang-rt-14-dev
AUDIT_TARGET = $(if $(wildcard /etc/mail),/etc/mail,fixtures/examples)
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: audit test test-asan build deps clean install install-built fuzz fuzz-ci fuzz-build

# Exit code 1 means "findings": the audit worked, so make does not call it a failure.
audit: build
	$(BUILD)/smaudit $(AUDIT_TARGET) || [ $$? -eq 1 ]

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# ASan's redzones make each frame of the m4 engine's recursion (bounded by its nesting limit)
# several times larger than in the optimised build, so the sanitized run gets a 64 MiB stack
# (the optimised build stops deep nesting cleanly within the default 8 MiB).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSMAUDIT_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ulimit -s 65536 && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan-suppressions.txt \
	  ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (clang, ASan, UBSan) of tests/fuzz, each run in turn over its seeds; any crash,
# hang or runaway allocation fails. FUZZ_TARGETS="cf m4" picks targets.
fuzz: fuzz-build
	bash tests/fuzz/seeds.sh . $(FUZZ_BUILD)/fuzz-seeds
	nice bash tests/fuzz/run.sh $(FUZZ_BUILD) -max_total_time=$(FUZZ_SECONDS)

fuzz-ci: fuzz-build
	bash tests/fuzz/seeds.sh . $(FUZZ_BUILD)/fuzz-seeds $(FUZZ_CI_SEEDS)
	rm -rf $(FUZZ_BUILD)/fuzz-corpus-ci
	FUZZ_CORPUS=$(FUZZ_BUILD)/fuzz-corpus-ci \
	  bash tests/fuzz/run.sh $(FUZZ_BUILD) -runs=$(FUZZ_CI_RUNS) -seed=1

fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DSMAUDIT_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

# Optimised, as users run it; the tests run against this binary, so an -O2-only warning fails here.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

# The binary in $(PREFIX)/bin, the man page smaudit.1 in $(PREFIX)/share/man/man1, the bash
# completion in $(PREFIX)/share/bash-completion/completions; everything under $(DESTDIR) when
# given (packaging). Builds the binary only (the man page and completion come with it), not the
# tests.
install: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS) --target smaudit
	@$(MAKE) --no-print-directory install-built

# What install does once the build is there (tests/scripts/install.sh runs it on its build).
install-built:
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# Installs only what is missing, so a ready machine does not touch the network.
deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
