// Random m4 programs (tests/m4/random_programs.hpp), run through the real GNU m4 and through
// smaudit's engine, as plain m4 and in .mc context (after sendmail's cf.m4): the outputs must be
// identical. Programs the real m4 does not finish (endless recursion: killed after two seconds,
// or "m4: stack overflow") are skipped; where smaudit stops at one of its documented limits
// (SM-E103: nesting, expansion size...) the output may differ, and is counted apart.
//
// SMAUDIT_M4_SEED explores other seeds; SMAUDIT_M4_PROGRAMS sets how many programs of each kind
// run (default 3000 plain and 800 in .mc context; a fifth of that under AddressSanitizer, whose
// engine runs are much slower).
#include "m4_test_util.hpp"
#include "random_programs.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kSlowdown = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kSlowdown = 5;
#else
constexpr size_t kSlowdown = 1;
#endif
#else
constexpr size_t kSlowdown = 1;
#endif

const std::string kCfDir = "/usr/share/sendmail/cf";

uint32_t seed() {
    const char* s = std::getenv("SMAUDIT_M4_SEED");
    return s != nullptr ? static_cast<uint32_t>(std::atol(s)) : 20261128u;
}

size_t program_count(size_t by_default) {
    const char* n = std::getenv("SMAUDIT_M4_PROGRAMS");
    return n != nullptr ? static_cast<size_t>(std::atol(n)) : by_default / kSlowdown;
}

// First differing line, for the failure message.
std::string first_difference(const std::string& expected, const std::string& got) {
    size_t i = 0;
    while (i < expected.size() && i < got.size() && expected[i] == got[i])
        ++i;
    const size_t from = i == 0 ? 0 : expected.rfind('\n', i - 1) + 1;
    return "m4 `" + expected.substr(from, 100) + "'\n   ours `" + got.substr(from, 100) + "'";
}

bool stopped_at_limit(const smaudit::m4::Expansion& e) {
    for (const auto& d : e.diagnostics)
        if (d.rule_id == smaudit::m4::kM4LimitExceeded.id) return true;
    return false;
}

struct Tally {
    size_t compared = 0, identical = 0, at_limit = 0, skipped = 0;

    void report(const char* kind) const {
        std::cout << "m4 differential, " << kind << ": " << identical << " identical of "
                  << compared << " random programs (" << at_limit
                  << " others stopped at a documented limit, " << skipped
                  << " skipped: m4 did not finish)\n";
    }
};

// Compares one program's output; reports the first few differences in full.
void compare(Tally& tally, const std::string& program, const m4test::RealRun& real,
             const smaudit::m4::Expansion& ours) {
    ++tally.compared;
    if (ours.text == real.out) {
        ++tally.identical;
        return;
    }
    if (stopped_at_limit(ours)) {
        ++tally.at_limit;
        return;
    }
    if (tally.compared - tally.identical - tally.at_limit <= 10)
        FAIL_CHECK("program:\n" << program << "\n" << first_difference(real.out, ours.text));
}

void write_support_files() {
    for (const auto& [name, text] : m4test::ProgramGenerator::support_files())
        m4test::write_temp(name, text);
}

} // namespace

TEST_CASE("random programs expand as the real m4 expands them") {
    if (!m4test::real_m4_available()) {
        MESSAGE("m4 not installed: skipped");
        return;
    }
    write_support_files();
    m4test::ProgramGenerator generator(seed());
    Tally tally;
    const size_t n = program_count(3000);
    for (size_t i = 0; i < n; ++i) {
        const std::string program = generator.plain();
        const std::string path = m4test::write_temp("random.m4", program);
        const auto real = m4test::run_m4_direct(m4test::temp_dir(), {path}, 2000);
        if (real.died())
            ++tally.skipped;
        else
            compare(tally, program, real, m4test::ours_full(program, path));
    }
    tally.report("plain");
    CHECK(tally.compared > n / 2);
    CHECK(tally.identical + tally.at_limit == tally.compared);
}

TEST_CASE("random programs after sendmail's cf.m4 expand as the real m4 expands them") {
    if (!m4test::real_m4_available() || !std::filesystem::exists(kCfDir + "/m4/cf.m4")) {
        MESSAGE("m4 or the sendmail cf tree is missing: skipped");
        return;
    }
    write_support_files();
    m4test::ProgramGenerator generator(seed() + 1);
    Tally tally;
    const size_t n = program_count(800);
    const std::string path = m4test::temp_dir() + "/random.mc";
    for (size_t i = 0; i < n; ++i) {
        const std::string program = generator.mc();
        m4test::write_temp("random.mc", program);
        // As Debian's Makefile runs it (in the .mc's directory), without makeinfo.sh's shell
        // (smaudit runs none).
        const auto real = m4test::run_m4_direct(
            m4test::temp_dir(), {"-D_NO_MAKEINFO_", kCfDir + "/m4/cf.m4", path}, 2000);
        if (real.died()) {
            ++tally.skipped;
            continue;
        }
        smaudit::SourceSet sources;
        const auto id = sources.add(path, program, smaudit::FileKind::Mc);
        smaudit::m4::ExpandOptions options;
        options.cf_dir = kCfDir;
        options.prepend_cf_m4 = smaudit::m4::ExpandOptions::CfM4::Always;
        compare(tally, program, real, smaudit::m4::expand_mc(sources, id, options));
    }
    tally.report(".mc context");
    CHECK(tally.compared > n / 2);
    CHECK(tally.identical + tally.at_limit == tally.compared);
}
