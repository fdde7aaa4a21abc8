// `--policy FILE` through the real binary: the issue's file as written, exit codes, --select and
// --ignore, inline suppressions, baselines, SARIF's rule metadata, the score, the fix, `rules
// --policy`, and a malformed file's exit 2 with the JSON path.
#include "../e2e/run_cli.hpp"
#include "../support/read_text.hpp"
#include "../support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace {

// The issue's policy file, byte for byte.
const char* const kIssuePolicy =
    R"({"policies": [{"id": "ORG-001", "severity": "high", "pack": "security", "message": )"
    R"("every MX must cap message size at 50 MB", "option": "MaxMessageSize", "max": 52428800}]})";

struct Setup {
    TempDir tmp{"smaudit-policy-cli"};
    std::string policy = (tmp.path / "org.json").string();
    Setup() { std::ofstream(policy) << kIssuePolicy; }
    std::string cf(const std::string& name, const std::string& text) {
        std::string path = (tmp.path / name).string();
        std::ofstream(path) << text;
        return path;
    }
};

nlohmann::json json_of(const CliResult& result) {
    return nlohmann::json::parse(result.out);
}

} // namespace

TEST_CASE("the issue's policy file as written: exit 1 on an unlimited MaxMessageSize, 0 within "
          "the cap; --select and --ignore name it") {
    Setup s;
    const std::string zero = s.cf("zero.cf", "V10/Berkeley\nO MaxMessageSize=0\n");
    const std::string capped = s.cf("capped.cf", "V10/Berkeley\nO MaxMessageSize=10000000\n");
    CliResult bad = run_smaudit("--policy " + s.policy + " --select ORG-001 " + zero);
    CHECK(bad.code == 1);
    CHECK(bad.out.find("zero.cf:2:18: high ORG-001 org-001: every MX must cap message size at "
                       "50 MB: MaxMessageSize is 0 (no limit), above the maximum 52428800") !=
          std::string::npos);
    CHECK(run_smaudit("--policy " + s.policy + " --select ORG-001 " + capped).code == 0);
    CHECK(run_smaudit("--policy " + s.policy + " --select ORG " + zero).code == 1);
    // Ignoring it leaves the built-in rules, none of which is high here: --fail-on high passes.
    CHECK(run_smaudit("--policy " + s.policy + " --fail-on high --ignore ORG-001 " + zero).code ==
          0);
    CHECK(run_smaudit("--policy " + s.policy + " --fail-on high " + zero).code == 1);
    // Without the policy file, ORG-001 is no rule.
    CHECK(run_smaudit("--select ORG-001 " + zero).code == 2);
}

TEST_CASE("the terminal's `more:` line gives the --policy FILE that explain needs") {
    Setup s;
    const std::string zero = s.cf("zero.cf", "V10/Berkeley\nO MaxMessageSize=0\n");
    CliResult run = run_smaudit("--policy " + s.policy + " " + zero);
    CHECK(run.out.find("  = more: smaudit explain --policy " + s.policy + " ORG-001\n") !=
          std::string::npos);
    // A built-in rule's needs none.
    CHECK(run.out.find("  = more: smaudit explain SM-S014\n") != std::string::npos);
    // And the hint works as printed.
    CHECK(run_smaudit("explain --policy " + s.policy + " ORG-001").code == 0);
}

TEST_CASE("a policy's findings are suppressed inline, baselined and scored like a built-in "
          "rule's") {
    Setup s;
    const std::string suppressed =
        s.cf("suppressed.cf", "V10/Berkeley\n# smaudit: ignore[ORG-001] accepted until the new "
                              "MX is in\nO MaxMessageSize=0\n");
    nlohmann::json report = json_of(
        run_smaudit("--policy " + s.policy + " --format json --fail-on none " + suppressed));
    REQUIRE(report["suppressed"].size() == 1);
    CHECK(report["suppressed"][0]["rule"] == "ORG-001");
    CHECK(report["suppressed"][0]["suppression"]["reason"] == "accepted until the new MX is in");
    CHECK(run_smaudit("--policy " + s.policy + " --select ORG-001 " + suppressed).code == 0);

    const std::string zero = s.cf("zero.cf", "V10/Berkeley\nO MaxMessageSize=0\n");
    const std::string baseline = (s.tmp.path / "baseline.json").string();
    CHECK(run_smaudit("--policy " + s.policy + " --write-baseline " + baseline + " " + zero).code ==
          0);
    CHECK(read_whole_file(baseline).find("\"ORG-001\"") != std::string::npos);
    CHECK(run_smaudit("--policy " + s.policy + " --baseline " + baseline + " " + zero).code == 0);

    // A high finding caps the security grade at B (89), as a built-in high finding does.
    nlohmann::json with =
        json_of(run_smaudit("--policy " + s.policy + " --format json --fail-on none " + zero));
    nlohmann::json without = json_of(run_smaudit("--format json --fail-on none " + zero));
    CHECK(with["summary"]["high"] == without["summary"]["high"].get<int>() + 1);
    CHECK(with["scores"]["security"]["score"].get<int>() <= 89);
    CHECK(with["scores"]["security"]["score"] < without["scores"]["security"]["score"]);
}

TEST_CASE("SARIF describes a policy by its message and doc text, with no smaudit page") {
    Setup s;
    const std::string policy =
        s.cf("doc.json", R"({"policies": [{"id": "ORG-002", "severity": "medium", "pack": )"
                         R"("security", "message": "no VRFY", "doc": "VRFY confirms mailboxes.", )"
                         R"("option": "PrivacyOptions", "contains": ["novrfy"]}]})");
    const std::string cf = s.cf("open.cf", "V10/Berkeley\nO PrivacyOptions=authwarnings\n");
    nlohmann::json sarif =
        json_of(run_smaudit("--policy " + policy + " --format sarif --fail-on none " + cf));
    const nlohmann::json* rule = nullptr;
    for (const auto& r : sarif["runs"][0]["tool"]["driver"]["rules"])
        if (r["id"] == "ORG-002") rule = &r;
    REQUIRE(rule != nullptr);
    CHECK((*rule)["shortDescription"]["text"] == "no VRFY");
    CHECK((*rule)["help"]["text"] == "VRFY confirms mailboxes.");
    CHECK_FALSE(rule->contains("helpUri"));
    bool result_found = false;
    for (const auto& r : sarif["runs"][0]["results"])
        if (r["ruleId"] == "ORG-002") result_found = true;
    CHECK(result_found);
}

TEST_CASE("a policy's fix value is applied with --fix --unsafe-fixes, proven like any fix") {
    Setup s;
    const std::string policy = s.cf(
        "fix.json", R"({"policies": [{"id": "ORG-003", "severity": "high", "pack": "security", )"
                    R"("message": "cap messages", "option": "MaxMessageSize", "max": 52428800, )"
                    R"("fix": "52428800"}]})");
    const std::string cf = s.cf("fix.cf", "V10/Berkeley\nO MaxMessageSize=0\n");
    CliResult diff =
        run_smaudit("--policy " + policy + " --select ORG-003 --diff --unsafe-fixes " + cf);
    CHECK(diff.code == 1);
    CHECK(diff.out.find("-O MaxMessageSize=0\n+O MaxMessageSize=52428800\n") != std::string::npos);
    // Safe fixes only: the policy's fix is unsafe, nothing is written.
    CHECK(run_smaudit("--policy " + policy + " --select ORG-003 --fix " + cf).code == 1);
    CHECK(read_whole_file(cf) == "V10/Berkeley\nO MaxMessageSize=0\n");
    CHECK(run_smaudit("--policy " + policy + " --select ORG-003 --fix --unsafe-fixes " + cf).code ==
          0);
    CHECK(read_whole_file(cf) == "V10/Berkeley\nO MaxMessageSize=52428800\n");
}

TEST_CASE("`smaudit rules --policy` lists the policies; a malformed file exits 2 naming the JSON "
          "path") {
    Setup s;
    nlohmann::json rules = json_of(run_smaudit("rules --format json --policy " + s.policy));
    bool listed = false;
    for (const auto& rule : rules["rules"])
        if (rule["id"] == "ORG-001" && rule["severity"] == "high") listed = true;
    CHECK(listed);
    CHECK(run_smaudit("explain --policy " + s.policy + " ORG-001").out ==
          "every MX must cap message size at 50 MB\n");

    const std::string broken = s.cf(
        "broken.json", R"({"policies": [{"id": "ORG-001", "severity": "high", "pack": "security",
            "message": "m", "option": "MaxMessageSize", "max": 1},
        {"id": "ORG-002", "severity": "high", "pack": "security", "message": "m",
            "option": "MaxMessageSize"},
        {"id": "ORG-003", "severity": "high", "pack": "security", "message": "m",
            "option": "MaxMessageSize", "max": "50 MB"}]})");
    const std::string cf = s.cf("any.cf", "V10/Berkeley\n");
    CliResult refused = run_smaudit("--policy " + broken + " " + cf, true);
    CHECK(refused.code == 2);
    CHECK(refused.out ==
          "smaudit: " + broken +
              ": /policies/1: missing a condition for \"option\": one of \"set\", \"contains\", "
              "\"lacks\", \"min\", \"max\", \"pattern\"\n"
              "smaudit: " +
              broken + ": /policies/2/max: expected a number\n");
    CliResult missing = run_smaudit("--policy " + s.policy + "-gone " + cf, true);
    CHECK(missing.code == 2);
    // The one file reader (source/file_reader) words it as the system does.
    CHECK(missing.out == "smaudit: " + s.policy + "-gone: No such file or directory\n");
}
