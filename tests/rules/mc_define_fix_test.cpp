// A finding about an option an .mc never sets is fixed with a define() line. Checked with the
// real m4: after the fix the generated .cf has the option's O line with the new value.
#include "../support/run_command.hpp"
#include "mc_test_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace smaudit;

namespace {

std::string real_m4_cf(const std::string& mc_text) {
    auto dir = std::filesystem::temp_directory_path() / "smaudit-mc-define-fix";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "fixed.mc") << mc_text;
    return run_command("cd " + test::installed_cf_tree() + "/cf && m4 ../m4/cf.m4 " +
                       (dir / "fixed.mc").string() + " 2>/dev/null")
        .out;
}

} // namespace

TEST_CASE("SM-S058 on an .mc: the fix defines confMAX_MESSAGE_SIZE before MAILER, m4 agrees") {
    if (test::installed_cf_tree().empty() || std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: no cf tree or no m4");
        return;
    }
    const std::string mc = "OSTYPE(`linux')dnl\nFEATURE(`access_db')dnl\nMAILER(`local')dnl\n"
                           "MAILER(`smtp')dnl\n";
    CHECK(real_m4_cf(mc).find("\nO MaxMessageSize=") == std::string::npos);
    test::RuleRun run = test::run_mc_rule("SM-S058", mc);
    REQUIRE(run.findings.size() == 1);
    REQUIRE(run.findings[0].fix.has_value());
    std::string fixed = run.apply(*run.findings[0].fix);
    CHECK(fixed == "OSTYPE(`linux')dnl\nFEATURE(`access_db')dnl\n"
                   "define(`confMAX_MESSAGE_SIZE', `52428800')dnl\n"
                   "MAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    CHECK(real_m4_cf(fixed).find("\nO MaxMessageSize=52428800\n") != std::string::npos);
    CHECK(test::run_mc_rule("SM-S058", fixed).findings.empty());
}
