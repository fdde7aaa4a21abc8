// The libFuzzer entry point of one target: CMake builds this file once per target of
// targets.hpp, as fuzz_<name>, with SMAUDIT_FUZZ_TARGET="<name>".
#include "targets.hpp"

#include <cstdio>
#include <cstdlib>

namespace {

int (*target_function())(const uint8_t*, size_t) {
    for (const smaudit::fuzz::Target& target : smaudit::fuzz::targets())
        if (target.name == SMAUDIT_FUZZ_TARGET) return target.run;
    std::fprintf(stderr, "no fuzz target %s\n", SMAUDIT_FUZZ_TARGET);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto run = target_function();
    return run(data, size);
}
