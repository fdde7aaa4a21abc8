// The project configuration through the real binary (docs/configuration.md): `.smaudit.json`
// found upward, its settings in the exit code and the reports, SMAUDIT_* and the command line
// over it, errors with the JSON pointer and exit 2.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

// A repository with the same .cf (two medium findings: SM-S022 expn-enabled, SM-S023
// vrfy-enabled) under hosts/legacy and hosts/new.
struct Repo {
    TempDir tmp{"smaudit-config-e2e"};
    fs::path root = tmp.path / "repo";
    Repo() {
        fs::create_directories(root / ".git");
        for (const char* host : {"hosts/legacy", "hosts/new"}) {
            fs::create_directories(root / host);
            fs::copy_file(source_path("fixtures/e2e/privacy-gap.cf"), root / host / "sendmail.cf");
        }
    }
    void config(const std::string& text, const std::string& name = ".smaudit.json") const {
        std::ofstream(root / name) << text;
    }
    std::string cf(const std::string& host) const {
        return "'" + (root / "hosts" / host / "sendmail.cf").string() + "'";
    }
};

nlohmann::json json_report(const CliResult& run) {
    return nlohmann::json::parse(run.out);
}

} // namespace

TEST_CASE("no configuration: the medium findings fail the run") {
    Repo repo;
    CHECK(run_smaudit(repo.cf("new")).code == 1);
}

TEST_CASE("fail-on from the file found upward, under SMAUDIT_FAIL_ON, under --fail-on") {
    Repo repo;
    repo.config(R"({"fail-on": "high"})");
    CHECK(run_smaudit(repo.cf("new")).code == 0);
    CHECK(run_smaudit("--fail-on medium " + repo.cf("new")).code == 1);
    // The environment over the file, the command line over the environment.
    CHECK(run_command("SMAUDIT_FAIL_ON=medium " + std::string(SMAUDIT_BINARY) + " " +
                      repo.cf("new") + " >/dev/null 2>&1")
              .code == 1);
    CHECK(run_command("SMAUDIT_FAIL_ON=medium " + std::string(SMAUDIT_BINARY) +
                      " --fail-on critical " + repo.cf("new") + " >/dev/null 2>&1")
              .code == 0);
    // --no-config: the file is not read.
    CHECK(run_smaudit("--no-config " + repo.cf("new")).code == 1);
}

TEST_CASE("a severity override reaches the exit code, JSON, SARIF and the score") {
    Repo repo;
    repo.config(R"({"severity": {"SM-S023": "high"}, "fail-on": "high"})");
    CHECK(run_smaudit(repo.cf("new")).code == 1);
    nlohmann::json report = json_report(run_smaudit("--format json " + repo.cf("new")));
    int seen = 0;
    for (const nlohmann::json& f : report["findings"]) {
        CAPTURE(f.dump());
        if (f["rule"] == "SM-S023") {
            ++seen;
            CHECK(f["severity"] == "high");
            CHECK(f["message"].get<std::string>().find(
                      "(high, set by the project configuration)") != std::string::npos);
        } else if (f["rule"] == "SM-S022") {
            ++seen;
            CHECK(f["severity"] == "medium");
        }
    }
    CHECK(seen == 2);
    CHECK(report["summary"]["high"] == 1);
    CHECK(report["summary"]["medium"] == 1);
    // Without the override the security pack scores 90 (two medium findings).
    CHECK(report["scores"]["security"]["score"].get<int>() < 90);

    nlohmann::json sarif =
        nlohmann::json::parse(run_smaudit("--format sarif " + repo.cf("new")).out);
    for (const nlohmann::json& r : sarif["runs"][0]["results"])
        if (r["ruleId"] == "SM-S023") {
            CHECK(r["level"] == "error");
            CHECK(r["properties"]["severity"] == "high");
        }

    repo.config(R"({"severity": {"SM-S022": "info", "SM-S023": "info"}})");
    CHECK(run_smaudit(repo.cf("new")).code == 0); // --fail-on low by default
}

TEST_CASE("per-path ignores leave out the rules in the files their glob matches") {
    Repo repo;
    repo.config(R"({"per-path-ignores": {"hosts/legacy/**": ["SM-S022", "vrfy-enabled"]}})");
    CHECK(run_smaudit(repo.cf("legacy")).code == 0);
    CHECK(run_smaudit(repo.cf("new")).code == 1);
    nlohmann::json report =
        json_report(run_smaudit("--format json " + repo.cf("legacy") + " " + repo.cf("new")));
    int seen = 0;
    for (const nlohmann::json& f : report["findings"])
        if (f["rule"] == "SM-S022" || f["rule"] == "SM-S023") {
            ++seen;
            CHECK(f["path"].get<std::string>().find("hosts/new/") != std::string::npos);
        }
    CHECK(seen == 2);
}

TEST_CASE("select from the file, replaced by --select; ignore adds up") {
    Repo repo;
    repo.config(R"({"select": ["SM-S022"]})");
    nlohmann::json report = json_report(run_smaudit("--format json " + repo.cf("new")));
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-S022");
    report = json_report(run_smaudit("--format json --select SM-S023 " + repo.cf("new")));
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-S023");
    repo.config(R"({"ignore": ["SM-S022", "SM-S021"]})");
    CHECK(run_smaudit(repo.cf("new")).code == 1);
    CHECK(run_smaudit("--ignore SM-S023 " + repo.cf("new")).code == 0);
}

TEST_CASE("--config names the file; errors name the JSON pointer and exit 2") {
    Repo repo;
    repo.config(R"({"severity": {"SM-S999": "low"}, "fail_on": "high"})");
    CliResult bad = run_smaudit(repo.cf("new"), true);
    CHECK(bad.code == 2);
    const std::string file = (repo.root / ".smaudit.json").string();
    CHECK(bad.out.find("smaudit: " + file + ": /severity/SM-S999: unknown rule ID\n") !=
          std::string::npos);
    CHECK(bad.out.find("smaudit: " + file + ": /fail_on: unknown key") != std::string::npos);
    CHECK(bad.out.find("SM-S022") == std::string::npos); // nothing audited
    // `show` reads it too.
    CHECK(run_smaudit("show " + repo.cf("new")).code == 2);

    repo.config(R"({"fail-on": "none"})", "ci.json");
    CHECK(
        run_smaudit("--config '" + (repo.root / "ci.json").string() + "' " + repo.cf("new")).code ==
        0);
    CHECK(run_smaudit("--config '" + (repo.root / "missing.json").string() + "' " + repo.cf("new"))
              .code == 2);
    CHECK(run_smaudit("--config x.json --no-config " + repo.cf("new")).code == 2);
    CHECK(run_command("SMAUDIT_ROLE=hub " + std::string(SMAUDIT_BINARY) + " --no-config " +
                      repo.cf("new") + " >/dev/null 2>&1")
              .code == 2);
}

TEST_CASE("severity overrides reach the codes the parsers and suppressions report") {
    Repo repo;
    std::ofstream(repo.root / "bad.cf") << "V10/Berkeley\nZbogus line\n";
    const std::string bad = "'" + (repo.root / "bad.cf").string() + "'";
    CHECK(run_smaudit("--select SM-E001 --fail-on medium " + bad).code == 1); // high by default
    repo.config(R"({"severity": {"SM-E001": "low"}})");
    CHECK(run_smaudit("--select SM-E001 --fail-on medium " + bad).code == 0);
    nlohmann::json report = json_report(run_smaudit("--format json --select SM-E001 " + bad));
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["severity"] == "low");

    // SM-E301 (low) on a suppression that suppresses nothing.
    std::ofstream(repo.root / "unused.cf")
        << "V10/Berkeley\n# smaudit: ignore[SM-S001] accepted\nO PrivacyOptions=goaway\n";
    const std::string unused = "'" + (repo.root / "unused.cf").string() + "'";
    repo.config("{}");
    CHECK(run_smaudit("--select SM-E301,SM-S001 --fail-on medium " + unused).code == 0);
    repo.config(R"({"severity": {"SM-E301": "high"}})");
    CHECK(run_smaudit("--select SM-E301,SM-S001 --fail-on medium " + unused).code == 1);
    // A rule left out of the file by a per-path ignore did not run there: its suppression is not
    // unused.
    repo.config(
        R"({"severity": {"SM-E301": "high"}, "per-path-ignores": {"unused.cf": ["SM-S001"]}})");
    CHECK(run_smaudit("--select SM-E301,SM-S001 --fail-on medium " + unused).code == 0);
}

TEST_CASE("select, ignore and severity may name the rules of the policies the file loads") {
    // privacy-gap.cf caps messages at 10000000 bytes: above this policy's maximum.
    Repo repo;
    std::ofstream(repo.root / "org.json")
        << R"({"policies": [{"id": "ORG-001", "severity": "high", "pack": "security",
                             "message": "cap messages at 5 MB", "option": "MaxMessageSize",
                             "max": 5000000}]})";
    repo.config(R"({"policies": ["org.json"], "select": ["ORG-001"],
                    "severity": {"ORG-001": "low"}, "fail-on": "medium"})");
    CliResult run = run_smaudit("--format json " + repo.cf("new"), true);
    REQUIRE(run.code == 0);
    nlohmann::json report = json_report(run);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "ORG-001");
    CHECK(report["findings"][0]["severity"] == "low");

    // The environment's selectors and ignores see them too, and the --policy files' rules.
    repo.config(R"({"policies": ["org.json"]})");
    CHECK(run_command("SMAUDIT_IGNORE=org-001 " + std::string(SMAUDIT_BINARY) + " --select ORG " +
                      repo.cf("new") + " >/dev/null 2>&1")
              .code == 0);
    repo.config("{}");
    CHECK(run_command("SMAUDIT_SELECT=ORG-001 " + std::string(SMAUDIT_BINARY) + " --policy '" +
                      (repo.root / "org.json").string() + "' " + repo.cf("new") +
                      " >/dev/null 2>&1")
              .code == 1);
    // A name no rule and no loaded policy has is still an error.
    repo.config(R"({"policies": ["org.json"], "severity": {"ORG-002": "low"}})");
    CliResult bad = run_smaudit(repo.cf("new"), true);
    CHECK(bad.code == 2);
    CHECK(bad.out.find("/severity/ORG-002: unknown rule ID") != std::string::npos);
}
