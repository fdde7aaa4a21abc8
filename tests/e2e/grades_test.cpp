// When a report grades a pack and when it says why it does not (docs/scoring.md "When there is
// no grade"): configurations m4 cannot build, packs that did not run; and the suppressed count.
// Whether m4 can build an .mc is asked of the real m4 with the installed cf tree.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

const char* const kCfTree = "/usr/share/sendmail/cf";

// False, with a message saying the test is skipped, when Debian's cf tree is not installed.
bool cf_tree_at_debian_place() {
    if (fs::exists(std::string(kCfTree) + "/m4/cf.m4")) return true;
    MESSAGE("skipped: no sendmail cf tree in ", kCfTree, " (sendmail-cf)");
    return false;
}

// Writes TEXT to a file NAME in this process's own directory; returns its path.
std::string write_mc(const std::string& name, const std::string& text) {
    static const TempDir dir("smaudit-e2e-grades");
    std::ofstream(dir.path / name, std::ios::binary) << text;
    return (dir.path / name).string();
}

// The exit status of the real m4 on the .mc, as sendmail's build runs it; -1 without m4.
int real_m4_status(const std::string& mc) {
    if (run_command("command -v m4 >/dev/null 2>&1").code != 0) return -1;
    return run_command(std::string("cd ") + kCfTree + "/cf && m4 ../m4/cf.m4 '" + mc +
                       "' >/dev/null 2>&1")
        .code;
}

std::string last_lines(const std::string& text, size_t count) {
    size_t at = text.size();
    for (size_t n = 0; n <= count && at > 0; ++n)
        at = text.rfind('\n', at - 1);
    return at == std::string::npos ? text : text.substr(at + 1);
}

} // namespace

TEST_CASE("an .mc m4 cannot build is not graded, and the report says why") {
    if (!cf_tree_at_debian_place()) return;
    const std::string missing_ostype = write_mc("missing-ostype.mc", "OSTYPE(`nosuchos')dnl\n"
                                                                     "MAILER(`local')dnl\n"
                                                                     "MAILER(`smtp')dnl\n");
    const std::string unterminated =
        write_mc("unterminated.mc", "OSTYPE(`linux')dnl\n"
                                    "define(`confSMTP_LOGIN_MSG', `$j ready)dnl\n"
                                    "MAILER(`smtp')dnl\n");
    // m4 itself fails on both (exit 1), so sendmail's build never makes their .cf.
    if (int status = real_m4_status(missing_ostype); status != -1) CHECK(status == 1);
    if (int status = real_m4_status(unterminated); status != -1) CHECK(status == 1);

    CliResult terminal = run_smaudit("--no-color --fail-on none " + missing_ostype);
    CHECK(terminal.code == 0);
    CHECK(terminal.out.find("/100") == std::string::npos); // no score at all
    CHECK(terminal.out.find("security and performance not graded: " + missing_ostype +
                            " could not be built (" + missing_ostype +
                            ":1: m4 cannot include OSTYPE file `" + kCfTree +
                            "/ostype/nosuchos.m4')\n") != std::string::npos);
    CliResult json = run_smaudit("--format json --fail-on none " + missing_ostype);
    auto report = nlohmann::json::parse(json.out);
    CHECK(report["scores"]["security"].is_null());
    CHECK(report["scores"]["performance"].is_null());
    CHECK(report["not_scored"]["security"].get<std::string>().starts_with(missing_ostype +
                                                                          " could not be built ("));

    CliResult stops = run_smaudit("--no-color --fail-on none " + unterminated);
    CHECK(stops.out.find("not graded: " + unterminated + " could not be built (" + unterminated +
                         ":2: m4 stops here: end of file in string)") != std::string::npos);

    // Without a cf tree only the .mc's own defines are read: no grade either.
    CliResult no_tree = run_smaudit("--no-color --fail-on none --cf-dir /nonexistent " +
                                    write_mc("linux.mc", "OSTYPE(`linux')dnl\n"));
    CHECK(no_tree.out.find("not graded: ") != std::string::npos);
    CHECK(no_tree.out.find("no sendmail cf tree") != std::string::npos);
}

TEST_CASE("an .mc m4 builds with warnings is graded") {
    if (!cf_tree_at_debian_place()) return;
    // FEATURE after MAILER: cf.m4 prints `*** ERROR: FEATURE() should be before MAILER()` with
    // errprint, and m4 still exits 0 and writes the .cf.
    const std::string late_feature = write_mc("late-feature.mc", "OSTYPE(`linux')dnl\n"
                                                                 "MAILER(`smtp')dnl\n"
                                                                 "FEATURE(`nouucp')dnl\n");
    if (int status = real_m4_status(late_feature); status != -1) CHECK(status == 0);
    auto report =
        nlohmann::json::parse(run_smaudit("--format json --fail-on none " + late_feature).out);
    CHECK(report["scores"]["security"].is_object());
    CHECK(report["scores"]["performance"].is_object());
    CHECK(report["not_scored"].empty());
}

TEST_CASE("--pack and --select: only the packs that ran, graded only when all their rules ran") {
    const std::string file = source_path("fixtures/e2e/privacy-gap.cf");
    CliResult performance = run_smaudit("--no-color --pack performance " + file);
    CHECK(performance.out ==
          "1 file" + kDefaultDaemonMx + " · no findings\nperformance 100/100 A+\n");
    auto report =
        nlohmann::json::parse(run_smaudit("--format json --pack performance " + file).out);
    CHECK(report["scores"]["security"].is_null());
    CHECK(report["not_scored"]["security"] == "none of its rules ran (--pack, --select, --ignore)");
    CHECK(report["scores"]["performance"]["grade"] == "A+");

    CliResult one_rule = run_smaudit("--no-color --select SM-S023 " + file);
    CHECK(last_lines(one_rule.out, 1).starts_with("security not graded: only 1 of its "));
    CHECK(one_rule.out.find("performance") == std::string::npos);
    CHECK(run_smaudit("--no-color --pack syntax " + file).out ==
          "1 file" + kDefaultDaemonMx + " · no findings\n");
}

TEST_CASE("suppressed findings are counted in the summary and listed in JSON with the reason") {
    const std::string file = source_path("fixtures/e2e/suppressed.cf");
    CliResult terminal = run_smaudit("--no-color " + file);
    CHECK(terminal.out.find("1 file" + kDefaultDaemonMx + " · 1 medium · 2 suppressed\n") !=
          std::string::npos);
    CliResult json = run_smaudit("--format json " + file);
    auto report = nlohmann::json::parse(json.out);
    CHECK(report["summary"]["suppressed"] == 2);
    REQUIRE(report["suppressed"].size() == 2);
    // SM-P004 is about a default (no line), silenced by the ignore-file comment on line 2.
    CHECK(report["suppressed"][0]["rule"] == "SM-P004");
    CHECK(report["suppressed"][0]["line"].is_null());
    CHECK(report["suppressed"][0]["suppression"] ==
          nlohmann::json::parse(R"({"reason":"this host relays only for the LAN","path":")" + file +
                                R"(","line":2})"));
    CHECK(report["suppressed"][1]["rule"] == "SM-S023");
    CHECK(report["suppressed"][1]["line"] == 4);
    CHECK(report["suppressed"][1]["suppression"]["reason"] == "the help desk needs VRFY");
    CHECK(report["suppressed"][1]["suppression"]["line"] == 3);
}

TEST_CASE("a .cf sendmail refuses to load is not graded") {
    // sendmail 8.17 answers `554 5.0.0 ...: line 2: readcf: unknown option name PrivacyOptons`
    // and starts no daemon (tests/scripts/cf_errors_stop_sendmail.sh checks every code).
    const std::string typo = write_mc("typo.cf", "V10/Berkeley\n"
                                                 "O PrivacyOptons=goaway\n");
    CliResult run = run_smaudit("--no-color --fail-on none " + typo);
    CHECK(run.out.find("security and performance not graded: " + typo +
                       " would not load: sendmail refuses a .cf with this error (" + typo +
                       ":2: ") != std::string::npos);
    // A NUL cuts the line short, and sendmail reads the rest without complaint: graded.
    const std::string nul = write_mc("nul.cf", std::string("V10/Berkeley\n"
                                                           "O LogLevel=9\0junk\n",
                                                           31));
    auto report = nlohmann::json::parse(run_smaudit("--format json --fail-on none " + nul).out);
    CHECK(report["findings"].dump().find("SM-E013") != std::string::npos);
    CHECK(report["scores"]["security"].is_object());
}

TEST_CASE("an .mc whose .cf sendmail would refuse is not graded") {
    if (!cf_tree_at_debian_place()) return;
    // m4 builds it (exit 0), but sendmail rejects `O PrivacyOptions=authwarnings,novrfyy`.
    const std::string typo =
        write_mc("privacy-typo.mc", "OSTYPE(`linux')dnl\n"
                                    "define(`confPRIVACY_FLAGS', `authwarnings,novrfyy')dnl\n"
                                    "MAILER(`smtp')dnl\n");
    if (int status = real_m4_status(typo); status != -1) CHECK(status == 0);
    auto report = nlohmann::json::parse(run_smaudit("--format json --fail-on none " + typo).out);
    CHECK(report["scores"]["security"].is_null());
    CHECK(report["not_scored"]["security"].get<std::string>().starts_with(
        typo + " would not load: sendmail refuses the .cf it makes with this error (" + typo +
        ":2: "));
    CHECK(report["not_scored"]["security"].get<std::string>().find("novrfyy") != std::string::npos);
}
