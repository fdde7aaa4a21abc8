// Every input the fuzzer once crashed on (tests/fuzz/regressions/<target>/*), replayed through
// the target's function in the ordinary build: the fix stays tested without clang or libFuzzer.
// Under `make test-asan` the replay has the sanitizers the fuzzer had.
#include "targets.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

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

// The targets' invariants (spans inside their files, the JSON reports parse) hold on a real
// input of each kind, in the ordinary build too.
TEST_CASE("each target runs a fixture of its kind cleanly") {
    const std::pair<std::string_view, const char*> inputs[] = {
        {"cf", "fixtures/examples/sendmail.cf"},
        {"m4", "fixtures/mc/m4-language-corners.mc"},
        {"mc", "fixtures/examples/sendmail.mc"},
        {"access", "fixtures/parse/maps/access/tags.access"},
        {"aliases", "fixtures/parse/maps/aliases/pitfalls.aliases"},
        {"kv_map", "fixtures/parse/maps/kv/mailertable"},
        {"class", "fixtures/parse/maps/class/relay-domains"},
        {"audit", "fixtures/examples/sendmail.mc"},
    };
    for (const smaudit::fuzz::Target& target : smaudit::fuzz::targets()) {
        const auto input = std::find_if(std::begin(inputs), std::end(inputs),
                                        [&](const auto& i) { return i.first == target.name; });
        REQUIRE_MESSAGE(input != std::end(inputs), "no fixture for target " << target.name);
        std::ifstream in(fs::path(SMAUDIT_SOURCE_DIR) / input->second, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        REQUIRE(!bytes.empty());
        CHECK(target.run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == 0);
    }
}
