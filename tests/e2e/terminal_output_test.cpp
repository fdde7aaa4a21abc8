// The terminal report as a user sees it, pinned byte for byte on a small fixture. The expected
// text was checked by hand: line 3 is `O PrivacyOptions=authwarnings`, the value starts at
// column 18 and is 12 characters long; no other line of the file is a finding.
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace {
// The number of rules of the security pack, from `smaudit rules`.
size_t security_rules() {
    size_t count = 0;
    const auto index = nlohmann::json::parse(run_smaudit("rules --format json").out);
    for (const auto& rule : index["rules"])
        count += rule["pack"] == "security";
    return count;
}
} // namespace

TEST_CASE("terminal report of a config with EXPN and VRFY left on") {
    CliResult run = run_smaudit("--no-color " + source_path("fixtures/e2e/privacy-gap.cf"));
    std::string path = source_path("fixtures/e2e/privacy-gap.cf");
    // Line 4 has every other PrivacyOptions flag SM-S024..S029 ask for.
    const std::string flags =
        "authwarnings,needmailhelo,needexpnhelo,needvrfyhelo,noverb,noetrn,restrictmailq,"
        "restrictqrun,restrictexpand,noreceipts,nobodyreturn,noactualrecipient";
    const std::string line = "4 | O PrivacyOptions=" + flags + "\n";
    const std::string carets =
        "  |                  " + std::string(flags.size(), '^') + " PrivacyOptions is set here\n";
    std::string expected =
        path +
        ":4:18: medium SM-S022 expn-enabled\n"
        "  EXPN is enabled: PrivacyOptions has neither noexpn nor goaway, so any client can "
        "list the members of aliases and mailing lists\n"
        "  |\n" +
        line + carets +
        "  = fix (unsafe): add noexpn to PrivacyOptions → O PrivacyOptions=" + flags +
        ",noexpn\n"
        "  = more: smaudit explain SM-S022\n"
        "\n" +
        path +
        ":4:18: medium SM-S023 vrfy-enabled\n"
        "  VRFY is enabled: PrivacyOptions has neither novrfy nor goaway, so any client can "
        "check which mailboxes exist\n"
        "  |\n" +
        line + carets +
        "  = fix (unsafe): add novrfy to PrivacyOptions → O PrivacyOptions=" + flags +
        ",novrfy\n"
        "  = more: smaudit explain SM-S023\n"
        "\n"
        "1 file" +
        kDefaultDaemonMx +
        " · 2 medium\n"
        "security 90/100 A · performance 100/100 A+\n";
    CHECK(run.out == expected);
    CHECK(run.code == 1);
}

TEST_CASE("--fail-on, --select, --ignore and --quiet change exit code and output") {
    std::string file = source_path("fixtures/e2e/privacy-gap.cf");
    CHECK(run_smaudit(file + " --fail-on high").code == 0); // two medium findings
    CHECK(run_smaudit(file + " --fail-on medium").code == 1);
    CHECK(run_smaudit(file + " --fail-on none").code == 0);
    CliResult only_vrfy = run_smaudit(file + " --select vrfy-enabled --format json");
    CHECK(only_vrfy.out.find("SM-S023") != std::string::npos);
    CHECK(only_vrfy.out.find("SM-S022") == std::string::npos);
    CliResult no_privacy = run_smaudit(file + " --ignore SM-S022,SM-S023");
    CHECK(no_privacy.code == 0);
    // Two security rules skipped: the security pack is not graded (docs/scoring.md).
    CHECK(no_privacy.out ==
          "1 file" + kDefaultDaemonMx + " · no findings\nsecurity not graded: only " +
              std::to_string(security_rules() - 2) + " of its " + std::to_string(security_rules()) +
              " rules ran (--select, --ignore) · performance 100/100 A+\n");
    CliResult quiet = run_smaudit(file + " --quiet --no-color");
    CHECK(quiet.out.find("security 90/100") == std::string::npos);
    CHECK(quiet.out.find("SM-S023") != std::string::npos);
}

TEST_CASE("an inline suppression comment silences the next line's finding") {
    CliResult run = run_smaudit("--format json " + source_path("fixtures/e2e/suppressed.cf"));
    std::string findings = nlohmann::json::parse(run.out)["findings"].dump();
    CHECK(findings.find("SM-S023") == std::string::npos); // ignore[SM-S023] above the line
    CHECK(findings.find("SM-S022") != std::string::npos); // not named: still reported
    CHECK(findings.find("SM-P004") == std::string::npos); // ignore-file[SM-P004]: a default
}
