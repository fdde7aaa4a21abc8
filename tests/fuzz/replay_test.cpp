// Every input the fuzzer once crashed on (tests/fuzz/regressions/<target>/*), replayed through
// the target's function in the ordinary build: the fix stays tested without clang or libFuzzer.
// Under `make test-asan` the replay has the sanitizers the fuzzer had.
#include "targets.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kRegressions = fs::path(SMAUDIT_SOURCE_DIR) / "tests/fuzz/regressions";

} // namespace

TEST_CASE("every regression directory names a fuzz target") {
    REQUIRE(fs::is_directory(kRegressions));
    for (const fs::directory_entry& dir : fs::directory_iterator(kRegressions)) {
        if (!dir.is_directory()) continue;
        const std::string name = dir.path().filename().string();
        bool known = false;
        for (const smaudit::fuzz::Target& target : smaudit::fuzz::targets())
            known = known || target.name == name;
        CHECK_MESSAGE(known, "tests/fuzz/regressions/" << name << " is no target of targets.cpp");
    }
}

TEST_CASE("the fuzzer's past crashes replay cleanly") {
    size_t replayed = 0;
    for (const smaudit::fuzz::Target& target : smaudit::fuzz::targets()) {
        const fs::path dir = kRegressions / target.name;
        if (!fs::is_directory(dir)) continue;
        for (const fs::directory_entry& file : fs::directory_iterator(dir)) {
            if (!file.is_regular_file()) continue;
            std::ifstream in(file.path(), std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(in), {}};
            INFO(file.path().string());
            // A crash ends the test binary; a broken invariant aborts with its message.
            CHECK(target.run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == 0);
            ++replayed;
        }
    }
    MESSAGE(replayed << " regression inputs replayed");
}
