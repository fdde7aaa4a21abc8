// `--format nagios` and `--format openmetrics` through the real binary: exit codes for each
// threshold, the outputs parsed (the status line by the plugin grammar, the metrics by the strict
// checker of tests/report), their figures equal to the JSON report's, and -o written atomically.
#include "../report/openmetrics_check.hpp"
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const std::string kConfig = source_path("fixtures/e2e/appendix-a-mx.mc") + " " +
                            source_path("fixtures/rules/SM-S023/bad.cf");
const std::vector<std::string> kSeverities = {"info", "low", "medium", "high", "critical"};

int rank(const std::string& severity) {
    return static_cast<int>(std::find(kSeverities.begin(), kSeverities.end(), severity) -
                            kSeverities.begin());
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("nagios: exit code and state for each --fail-on/--warn-on, figures as in JSON") {
    const CliResult json = run_smaudit(kConfig + " --format json");
    const nlohmann::json report = nlohmann::json::parse(json.out);
    int worst = -1;
    for (const auto& f : report["findings"])
        worst = std::max(worst, rank(f["severity"]));
    REQUIRE(worst >= rank("medium")); // the thresholds below then reach every state
    static const std::regex status_line(
        R"(SMAUDIT (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+ \|( [a-z_]+=\d+;(0?);(0?);0;(100)?)+\n)");
    for (const std::string critical : {"critical", "high", "medium", "low", "none"}) {
        for (const std::string warning : {"high", "medium", "info", "none"}) {
            CAPTURE(critical);
            CAPTURE(warning);
            const CliResult r = run_smaudit(kConfig + " --format nagios --fail-on " + critical +
                                            " --warn-on " + warning);
            const bool crit = critical != "none" && worst >= rank(critical);
            const bool warn = warning != "none" && worst >= rank(warning);
            const int expected = crit ? 2 : warn ? 1 : 0;
            CHECK(r.code == expected);
            CHECK(std::regex_match(r.out, status_line));
            const char* states[] = {"OK", "WARNING", "CRITICAL"};
            CHECK(r.out.starts_with(std::string("SMAUDIT ") + states[expected] + " - "));
        }
    }
    // Without --fail-on a check is CRITICAL from high on (not from low, the audit's default).
    const CliResult plain = run_smaudit(kConfig + " --format nagios --warn-on none");
    CHECK(plain.code == (worst >= rank("high") ? 2 : 0));
    // The performance data count what the JSON report lists.
    for (const std::string& severity : kSeverities) {
        CAPTURE(severity);
        CHECK(plain.out.find(" " + severity + "=" +
                             std::to_string(report["summary"][severity].get<int>()) + ";") !=
              std::string::npos);
    }
}

TEST_CASE("nagios: UNKNOWN (3) with a status line when it cannot check") {
    CliResult r = run_smaudit("/nonexistent/sendmail.cf --format nagios");
    CHECK(r.code == 3);
    CHECK(r.out.starts_with("SMAUDIT UNKNOWN - cannot read /nonexistent/sendmail.cf: "));
    r = run_smaudit(kConfig + " --format nagios --warn-on sometimes");
    CHECK(r.code == 3);
    CHECK(r.out.starts_with("SMAUDIT UNKNOWN - usage: "));
    r = run_smaudit(kConfig + " --format=nagios --no-such-option");
    CHECK(r.code == 3);
}

TEST_CASE("openmetrics: valid text whose figures are the JSON report's") {
    const nlohmann::json report =
        nlohmann::json::parse(run_smaudit(kConfig + " --format json").out);
    const CliResult r = run_smaudit(kConfig + " --format openmetrics --fail-on none");
    CHECK(r.code == 0);
    std::map<std::string, double> samples;
    const auto problems = smaudit::test::check_openmetrics(r.out, &samples);
    CHECK_MESSAGE(problems.empty(), problems.front());
    for (const std::string& severity : kSeverities)
        CHECK(samples.at("smaudit_findings{severity=\"" + severity + "\"}") ==
              report["summary"][severity].get<int>());
    std::map<std::string, int> by_rule;
    for (const auto& f : report["findings"])
        ++by_rule[f["rule"].get<std::string>() + "\",name=\"" + f["name"].get<std::string>()];
    for (const auto& [rule, n] : by_rule)
        CHECK(samples.at("smaudit_rule_findings{rule=\"" + rule + "\"}") == n);
    CHECK(samples.at("smaudit_files_audited") == report["files"].size());
    CHECK(samples.at("smaudit_score{pack=\"security\"}") ==
          report["scores"]["security"]["score"].get<int>());
    CHECK(samples.at("smaudit_last_audit_timestamp_seconds") > 1.7e9);
    // The usual exit codes: 1 for a finding at or above --fail-on.
    CHECK(run_smaudit(kConfig + " --format openmetrics --fail-on info").code == 1);
}

TEST_CASE("openmetrics -o: written beside the file and renamed over it") {
    TempDir dir;
    const fs::path prom = dir.path / "smaudit.prom";
    std::ofstream(prom) << "old\n";
    // A second name for the old file: a rename leaves it as it was; writing in place would not.
    fs::create_hard_link(prom, dir.path / "old-link");
    const CliResult r =
        run_smaudit(kConfig + " --format openmetrics --fail-on none -o " + prom.string());
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(smaudit::test::check_openmetrics(read_file(prom)).empty());
    CHECK(read_file(dir.path / "old-link") == "old\n");
    // Nothing else is left in the directory (the temporary file's name never ends in .prom, so
    // the textfile collector would not read it even while it is being written).
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir.path))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"old-link", "smaudit.prom"});
    // A directory that does not exist: exit 2 and nothing written.
    CHECK(run_smaudit(kConfig + " --format openmetrics -o " + (dir.path / "no/x.prom").string())
              .code == 2);
}
