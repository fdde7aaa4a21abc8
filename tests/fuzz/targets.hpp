// The fuzz targets (docs/fuzzing.md): one function per entry point smaudit reads untrusted text
// with. The libFuzzer executables (libfuzzer_main.cpp, clang, SMAUDIT_FUZZ=ON) and the replay of
// tests/fuzz/regressions/ in the ordinary test suite (replay_test.cpp) call the same functions,
// so a crash the fuzzer found stays covered by `make test` without clang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace smaudit::fuzz {

// Each returns 0 (libFuzzer's convention) and aborts with a message when an invariant it checks
// does not hold; a crash, hang or runaway allocation inside is the bug the fuzzer looks for.
int fuzz_cf(const uint8_t* data, size_t size);      // .cf parser and model
int fuzz_m4(const uint8_t* data, size_t size);      // m4 engine alone (no cf.m4), small limits
int fuzz_mc(const uint8_t* data, size_t size);      // .mc with sendmail's cf tree, small limits
int fuzz_access(const uint8_t* data, size_t size);  // access map parser
int fuzz_aliases(const uint8_t* data, size_t size); // aliases parser
int fuzz_kv_map(const uint8_t* data, size_t size);  // other makemap sources
int fuzz_class(const uint8_t* data, size_t size);   // class files, both F-line patterns
int fuzz_audit(const uint8_t* data, size_t size);   // run_audit, every rule, every reporter

struct Target {
    std::string_view name; // tests/fuzz/regressions/<name>/, the executable fuzz_<name>
    int (*run)(const uint8_t* data, size_t size);
};
std::span<const Target> targets();

} // namespace smaudit::fuzz
