# The two commands of the README. Both install what they need (Debian packages) first.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
PACKAGES = cmake g++ make libcli11-dev nlohmann-json3-dev libfmt-dev tao-pegtl-dev doctest-dev \
           m4 sendmail-cf sendmail-bin python3-jsonschema python3-yaml pkg-config libpsl-dev publicsuffix libdb-dev clang-format
AUDIT_TARGET = $(if $(wildcard /etc/mail),/etc/mail,fixtures/examples)
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: audit test test-asan build deps clean install install-built

# Exit code 1 means "findings": the audit worked, so make does not call it a failure.
audit: build
	$(BUILD)/smaudit $(AUDIT_TARGET) || [ $$? -eq 1 ]

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSMAUDIT_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan-suppressions.txt \
	  ctest --output-on-failure -j $(JOBS)

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
	rm -rf $(BUILD) $(ASAN_BUILD)
