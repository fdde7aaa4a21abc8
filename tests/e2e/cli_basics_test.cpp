// The CLI contract of design.md: subcommands, the default command, exit codes 0/1/2.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

TEST_CASE("usage errors and unreadable paths exit 2") {
    CHECK(run_smaudit("--no-such-flag x").code == 2);
    CHECK(run_smaudit("audit").code == 2); // a path is required
    CliResult missing = run_smaudit("/nonexistent/sendmail.cf", true);
    CHECK(missing.code == 2);
    CHECK(missing.out.find("/nonexistent/sendmail.cf: no such file or directory") !=
          std::string::npos);
    CHECK(run_smaudit("explain SM-X999").code == 2);
    CHECK(run_smaudit("--select SM-Q9 " + source_path("fixtures/examples/sendmail.cf")).code == 2);
}

TEST_CASE("a named file smaudit cannot type is an error, not a clean report; --kind types it") {
    const TempDir scratch("smaudit-e2e-kind");
    const std::filesystem::path& dir = scratch.path;
    const std::string path = (dir / "domains.txt").string();
    std::ofstream(path) << "example.org\nexample.net\n";
    CliResult unknown = run_smaudit("'" + path + "'", true);
    CHECK(unknown.code == 2);
    CHECK(unknown.out.find("A+") == std::string::npos); // no report of a file never read
    CHECK(unknown.out.find(path + ": cannot tell what kind of file this is") != std::string::npos);
    CHECK(unknown.out.find("--kind") != std::string::npos);
    CliResult forced = run_smaudit("--kind class --fail-on none '" + path + "'");
    CHECK(forced.code == 0);
    // An m4 file is read through its .mc.
    const std::string m4 = (dir / "site.m4").string();
    std::ofstream(m4) << "define(`confLOG_LEVEL', `9')dnl\n";
    CliResult m4_run = run_smaudit("'" + m4 + "'", true);
    CHECK(m4_run.code == 2);
    CHECK(m4_run.out.find("audit that .mc") != std::string::npos);
}

TEST_CASE("--version and --help") {
    CliResult version = run_smaudit("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "smaudit 0.1.0\n");
    CliResult help = run_smaudit("--help");
    CHECK(help.code == 0);
    for (const char* word : {"audit", "show", "rules", "explain"})
        CHECK(help.out.find(word) != std::string::npos);
}

TEST_CASE("rules lists every rule with an explain page") {
    CliResult rules = run_smaudit("rules --format json");
    REQUIRE(rules.code == 0);
    auto index = nlohmann::json::parse(rules.out);
    CHECK(index["version"] == 1);
    const auto& list = index["rules"];
    REQUIRE(list.is_array());
    CHECK(list.size() > 0);
    for (const auto& rule : list) {
        std::string id = rule["id"];
        CliResult page = run_smaudit("explain " + id);
        CHECK_MESSAGE(page.code == 0, id);
        CHECK_MESSAGE(page.out.rfind("# " + id + " " + rule["name"].get<std::string>(), 0) == 0,
                      id);
    }
}

TEST_CASE("explain accepts a rule name as well as an ID") {
    auto list = nlohmann::json::parse(run_smaudit("rules --format json").out)["rules"];
    REQUIRE(!list.empty());
    std::string id = list[0]["id"], name = list[0]["name"];
    CHECK(run_smaudit("explain " + name).out == run_smaudit("explain " + id).out);
}

TEST_CASE("rules prints the index of docs/rules/index.md; --implemented leaves out the rest") {
    std::ifstream in(source_path("docs/rules/index.md"), std::ios::binary);
    std::ostringstream page;
    page << in.rdbuf();
    CHECK(run_smaudit("rules --format markdown").out == page.str());

    CliResult table = run_smaudit("rules");
    REQUIRE(table.code == 0);
    CliResult implemented = run_smaudit("rules --implemented");
    REQUIRE(implemented.code == 0);
    auto index = nlohmann::json::parse(run_smaudit("rules --format json").out);
    auto listed = nlohmann::json::parse(run_smaudit("rules --format json --implemented").out);
    CHECK(listed["rules"] == index["rules"]); // every rule smaudit has, either way
    size_t kept = 0;
    for (const auto& entry : index["catalog"]) {
        const std::string id = entry["id"];
        const bool is_implemented = entry["status"] == "implemented";
        // Each entry has its line (or one per rule) in the terminal table, starting with its ID.
        CHECK_MESSAGE(table.out.find("\n" + id + " ") != std::string::npos, id);
        CHECK_MESSAGE(
            (implemented.out.find("\n" + id + " ") != std::string::npos) == is_implemented, id);
        kept += is_implemented;
    }
    CHECK(listed["catalog"].size() == kept);
    CHECK(kept < index["catalog"].size());
    for (const auto& rule : index["rules"])
        CHECK_MESSAGE(implemented.out.find(" " + rule["id"].get<std::string>() + " ") !=
                          std::string::npos,
                      rule["id"]);
}

TEST_CASE("a file with no findings at or above --fail-on exits 0; --output writes the file") {
    namespace fs = std::filesystem;
    const TempDir scratch("smaudit-e2e-output");
    const fs::path& dir = scratch.path;
    fs::path report = dir / "report.json";
    std::string example = source_path("fixtures/examples/sendmail.cf");
    CliResult none = run_smaudit(example + " --fail-on none --format json -o " + report.string());
    CHECK(none.code == 0);
    CHECK(none.out.empty());
    std::ifstream in(report);
    auto json = nlohmann::json::parse(in);
    CHECK(json["version"] == 1);
    CHECK(json["tool"]["name"] == "smaudit");
    // Written beside the target and renamed over it: no temporary file is left behind; a report
    // that cannot be written is exit 2 and touches nothing else.
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir))
        ++files;
    CHECK(files == 1);
    const auto size = fs::file_size(report);
    CHECK(run_smaudit(example + " --fail-on none -o " + (dir / "missing" / "r.txt").string(), true)
              .code == 2);
    CHECK(fs::file_size(report) == size);
}

TEST_CASE("--sarif-output writes the SARIF log of the same audit beside any other report") {
    namespace fs = std::filesystem;
    const TempDir scratch("smaudit-e2e-sarif-output");
    const fs::path log = scratch.path / "audit.sarif";
    const std::string example = source_path("fixtures/examples/sendmail.cf");
    auto read = [](const fs::path& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string sarif = run_smaudit(example + " --format sarif --fail-on none").out;
    REQUIRE(nlohmann::json::parse(sarif)["version"] == "2.1.0");
    for (const char* format : {"terminal", "json", "github", "gitlab"}) {
        CAPTURE(format);
        fs::remove(log);
        const CliResult alone = run_smaudit(example + " --format " + format);
        const CliResult both =
            run_smaudit(example + " --format " + format + " --sarif-output " + log.string());
        // The report and the exit code are the report's alone; the log is --format sarif's,
        // whatever --fail-on says.
        CHECK(both.code == alone.code);
        CHECK(both.code == 1);
        CHECK(both.out == alone.out);
        CHECK(read(log) == sarif);
    }
    // --write-baseline prints a line instead of the report; the log is still written.
    fs::remove(log);
    const CliResult recorded =
        run_smaudit(example + " --write-baseline " + (scratch.path / "b.json").string() +
                    " --sarif-output " + log.string());
    CHECK(recorded.code == 0);
    CHECK(read(log) == sarif);
    // Refused, writing nothing: a SARIF report already, a report for monitoring, --diff.
    fs::remove(log);
    for (const char* refused :
         {"--format sarif", "--format nagios", "--format openmetrics", "--diff"}) {
        CAPTURE(refused);
        const CliResult run =
            run_smaudit(example + " " + refused + " --sarif-output " + log.string(), true);
        CHECK(run.code == 2);
        CHECK(run.out.starts_with("smaudit: --sarif-output: "));
        CHECK(!fs::exists(log));
    }
    const CliResult unwritable = run_smaudit(
        example + " --sarif-output " + (scratch.path / "no" / "x.sarif").string(), true);
    CHECK(unwritable.code == 2);
    CHECK(unwritable.out.find("x.sarif") != std::string::npos);
}

namespace {
// The rule IDs of a JSON report's findings, in report order.
std::vector<std::string> finding_rules(const CliResult& run) {
    std::vector<std::string> rules;
    const nlohmann::json report = nlohmann::json::parse(run.out);
    for (const auto& f : report["findings"])
        rules.push_back(f["rule"].get<std::string>());
    return rules;
}
} // namespace

TEST_CASE("--select, --ignore and --pack take one value each, never the paths after them") {
    // privacy-gap.cf has two findings: SM-S022 and SM-S023 (terminal_output_test.cpp).
    const std::string file = source_path("fixtures/e2e/privacy-gap.cf");
    CliResult select = run_smaudit("--select SM-S023 " + file + " --format json");
    REQUIRE(select.code == 1);
    CHECK(finding_rules(select) == std::vector<std::string>{"SM-S023"});
    CliResult ignore = run_smaudit("audit --ignore SM-S022 " + file + " --format json");
    REQUIRE(ignore.code == 1);
    CHECK(finding_rules(ignore) == std::vector<std::string>{"SM-S023"});
    CliResult packs = run_smaudit("--pack security,performance " + file + " --format json");
    REQUIRE(packs.code == 1);
    CHECK(finding_rules(packs) == std::vector<std::string>{"SM-S022", "SM-S023"});
    // Repeated options add up; a comma list inside one is split.
    CliResult repeated =
        run_smaudit("--select SM-S022 --select vrfy-enabled " + file + " --format json");
    REQUIRE(repeated.code == 1);
    CHECK(finding_rules(repeated) == std::vector<std::string>{"SM-S022", "SM-S023"});
    CliResult ignored_both = run_smaudit("--ignore SM-S022 --ignore=SM-S023 " + file);
    CHECK(ignored_both.code == 0);
    // The word after the value is a path: a second path that does not exist is exit 2.
    CliResult second = run_smaudit("--select SM-S023 /nonexistent/x.cf " + file, true);
    CHECK(second.code == 2);
    CHECK(second.out.find("/nonexistent/x.cf: no such file") != std::string::npos);
}

TEST_CASE("bare smaudit prints the usage on stderr and exits 2") {
    CliResult bare = run_command(std::string(SMAUDIT_BINARY) + " 2>/dev/null");
    CHECK(bare.code == 2);
    CHECK(bare.out.empty()); // stdout is for reports
    CliResult usage = run_command(std::string(SMAUDIT_BINARY) + " 2>&1");
    CHECK(usage.out.find("Usage: smaudit") != std::string::npos);
    CHECK(usage.out.find("A subcommand is required") == std::string::npos);
    CHECK(usage.out.find("smaudit PATH...") != std::string::npos);
}

TEST_CASE("colour on a terminal: only a non-empty NO_COLOR or --no-color turns it off") {
    if (run_command("command -v script >/dev/null 2>&1").code != 0) {
        MESSAGE("script(1) is not installed: no pseudo-terminal, test skipped");
        return;
    }
    // script(1) runs smaudit on a pseudo-terminal, as an interactive shell would.
    auto on_a_terminal = [](const std::string& environment, const std::string& flags) {
        return run_command(environment + " script -qec \"" + SMAUDIT_BINARY + " " + flags + " " +
                           source_path("fixtures/e2e/privacy-gap.cf") + "\" /dev/null")
            .out;
    };
    const std::string escape = "\x1b[";
    CHECK(on_a_terminal("env -u NO_COLOR", "").find(escape) != std::string::npos);
    CHECK(on_a_terminal("NO_COLOR=", "").find(escape) != std::string::npos);
    CHECK(on_a_terminal("NO_COLOR=1", "").find(escape) == std::string::npos);
    CHECK(on_a_terminal("NO_COLOR=", "--no-color").find(escape) == std::string::npos);
}
