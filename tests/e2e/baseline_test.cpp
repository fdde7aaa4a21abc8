// Gating a configuration repository in CI (issue 11's "done when", docs/baselines.md): a baseline
// written on a real corpus configuration lets only a new finding fail the run, survives lines
// added above old findings, counts fixed ones as gone; the new finding suppressed with a reason
// passes, without the reason SM-E302 fails the run; --no-suppressions reports what comments
// silence.
#include "../support/temp_dir.hpp"
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const fs::path kCorpusCf = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus" / "cf" /
                           "jimmytty__dotfiles__etc__mail__sendmail.cf";

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// The terminal summary's first line (the one with the counts).
std::string summary_line(const std::string& out) {
    size_t at = out.find("1 file ·");
    return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
}

} // namespace

TEST_CASE("CI gate: a baseline fails only new findings, survives moved lines, shrinks") {
    if (!fs::exists(kCorpusCf)) {
        MESSAGE("skipped: no corpus file " << kCorpusCf.string());
        return;
    }
    TempDir dir("smaudit-e2e-baseline");
    fs::create_directory(dir.path / "mail");
    const fs::path cf = dir.path / "mail" / "sendmail.cf", baseline = dir.path / "baseline.json";
    const std::string original = read_text(kCorpusCf);
    write_text(cf, original);

    // Writing the baseline accepts the findings: exit 0, one entry per finding (12, checked by
    // hand: 2 medium, 5 low, 5 info; the plain run fails on them).
    CHECK(run_smaudit(quoted(cf)).code == 1);
    CliResult written = run_smaudit("--write-baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(written.code == 0);
    // What was written, in one line, instead of the report it was written from.
    CHECK(written.out == "recorded 12 findings in " + baseline.string() + "\n");
    auto doc = nlohmann::json::parse(read_text(baseline));
    CHECK(doc["version"] == 1);
    REQUIRE(doc["findings"].size() == 12);
    for (const auto& entry : doc["findings"]) // relative to the audited root
        CHECK(entry["path"] == "sendmail.cf");

    // The same tree: nothing new, exit 0.
    CliResult same = run_smaudit("--baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(same.code == 0);
    CHECK(summary_line(same.out).ends_with(
        "· no findings · 12 baselined, 0 gone from the baseline (fixed)"));
    // Baselined findings are not findings: they cost no points (docs/scoring.md).
    CHECK(same.out.find("security 100/100 A+ · performance 100/100 A+") != std::string::npos);

    // One new problem: only it is reported, and it alone fails the run.
    const std::string added = "O DontBlameSendmail=GroupWritableDirPathSafe\n";
    write_text(cf, original + added);
    CliResult one_new =
        run_smaudit("--format json --baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(one_new.code == 1);
    auto report = nlohmann::json::parse(one_new.out);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-S052");
    CHECK(
        report["summary"]["baseline"] ==
        nlohmann::json::parse(R"({"file":")" + baseline.string() + R"(","matched":12,"gone":0})"));
    // In SARIF the one reported finding is new (SARIF 2.1.0 §3.27.24); without --baseline no
    // result has a baselineState.
    auto sarif = nlohmann::json::parse(
        run_smaudit("--format sarif --baseline " + quoted(baseline) + " " + quoted(cf)).out);
    REQUIRE(sarif["runs"][0]["results"].size() == 1);
    CHECK(sarif["runs"][0]["results"][0]["baselineState"] == "new");
    sarif = nlohmann::json::parse(run_smaudit("--format sarif " + quoted(cf)).out);
    for (const auto& result : sarif["runs"][0]["results"])
        CHECK_FALSE(result.contains("baselineState"));

    // Lines added above every old finding (and blanks added at the end of a flagged line): no
    // resurrection, every line number moved.
    std::string moved = "# managed in git\n# reviewed 2026-12\n\n" + original + added;
    const std::string privacy = "O PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun\n";
    REQUIRE(moved.find(privacy) != std::string::npos);
    moved.replace(moved.find(privacy), privacy.size(),
                  "O PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun \t \n");
    write_text(cf, moved);
    CliResult shifted =
        run_smaudit("--format json --baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(shifted.code == 1);
    report = nlohmann::json::parse(shifted.out);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-S052");
    CHECK(report["summary"]["baseline"]["matched"] == 12);

    // The same tree audited from another working directory and through its directory: the
    // paths are relative to the audited root, so it still matches.
    CliResult elsewhere =
        run_command("cd " + quoted(dir.path) + " && NO_COLOR=1 " + SMAUDIT_BINARY +
                    " --format json --baseline baseline.json mail 2>&1");
    CHECK(elsewhere.code == 1);
    CHECK(nlohmann::json::parse(elsewhere.out)["summary"]["baseline"]["matched"] == 12);

    // The new finding suppressed with a reason: the run passes.
    const std::string suppressed_new =
        "# smaudit: ignore[SM-S052] the queue directory is shared with the list server\n" + added;
    std::string gated = moved;
    gated.replace(gated.find(added), added.size(), suppressed_new);
    write_text(cf, gated);
    CliResult passes = run_smaudit("--baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(passes.code == 0);
    CHECK(summary_line(passes.out)
              .ends_with("· no findings · 1 suppressed · 12 baselined, 0 gone from the baseline "
                         "(fixed)"));

    // The reason removed: SM-E302 fires on the comment and fails the run, alone.
    gated.replace(gated.find(suppressed_new), suppressed_new.size(),
                  "# smaudit: ignore[SM-S052]\n" + added);
    write_text(cf, gated);
    CliResult no_reason =
        run_smaudit("--format json --baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(no_reason.code == 1);
    report = nlohmann::json::parse(no_reason.out);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "SM-E302");
    CHECK(report["summary"]["suppressed"] == 1);

    // --fail-on still applies to the new findings only.
    CHECK(
        run_smaudit("--fail-on critical --baseline " + quoted(baseline) + " " + quoted(cf)).code ==
        0);
}

TEST_CASE("a fixed finding is counted as gone; a rule not run leaves its entries alone") {
    if (!fs::exists(kCorpusCf)) {
        MESSAGE("skipped: no corpus file " << kCorpusCf.string());
        return;
    }
    TempDir dir("smaudit-e2e-baseline");
    const fs::path cf = dir.path / "sendmail.cf", baseline = dir.path / "baseline.json";
    std::string text = read_text(kCorpusCf);
    write_text(cf, text);
    REQUIRE(run_smaudit("--write-baseline " + quoted(baseline) + " " + quoted(cf)).code == 0);
    REQUIRE(nlohmann::json::parse(read_text(baseline))["findings"].size() == 12);
    // Fix SM-S028 (PrivacyOptions lacks restrictmailq and restrictexpand, line 274) on its line.
    const std::string privacy = "O PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun\n";
    REQUIRE(text.find(privacy) != std::string::npos);
    text.replace(text.find(privacy), privacy.size(),
                 "O PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun,restrictmailq,"
                 "restrictexpand\n");
    write_text(cf, text);
    CliResult after = run_smaudit("--baseline " + quoted(baseline) + " " + quoted(cf));
    CHECK(after.code == 0);
    CHECK(summary_line(after.out).ends_with(
        "· no findings · 11 baselined, 1 gone from the baseline (fixed)"));
    // Rewriting the baseline shrinks it.
    REQUIRE(run_smaudit("--write-baseline " + quoted(baseline) + " " + quoted(cf)).code == 0);
    CHECK(nlohmann::json::parse(read_text(baseline))["findings"].size() == 11);

    // Only the syntax pack runs: the entries of the other rules are neither matched nor gone.
    CliResult syntax_only = run_smaudit("--format json --pack syntax --baseline " +
                                        quoted(baseline) + " " + quoted(cf));
    CHECK(nlohmann::json::parse(syntax_only.out)["summary"]["baseline"] ==
          nlohmann::json::parse(R"({"file":")" + baseline.string() + R"(","matched":0,"gone":0})"));
}

TEST_CASE("a malformed baseline is a usage error naming what is wrong") {
    TempDir dir("smaudit-e2e-baseline");
    const std::string cf = source_path("fixtures/e2e/suppressed.cf");
    auto refused = [&](const std::string& text) {
        write_text(dir.path / "b.json", text);
        CliResult run = run_smaudit("--baseline " + quoted(dir.path / "b.json") + " " + cf, true);
        CHECK(run.code == 2);
        return run.out;
    };
    const std::string prefix = "smaudit: baseline " + (dir.path / "b.json").string() + ": ";
    const std::string file = (dir.path / "b.json").string();
    CHECK(refused("{") == "smaudit: baseline " + file +
                              ":1:2: not valid JSON: syntax error while parsing object key - "
                              "unexpected end of input; expected string literal\n");
    // Line and column as the reports count them: `x` is the 19th character of line 2 (é is one
    // column, two bytes).
    CHECK(refused("{\"version\": 1,\n \"findings\": [\"\u00e9\" x]}")
              .starts_with("smaudit: baseline " + file + ":2:19: not valid JSON: syntax error "));
    CHECK(refused("[]") == prefix + "$: expected an object\n");
    CHECK(refused(R"({"findings": []})") == prefix + "$.version: expected the integer 1\n");
    CHECK(refused(R"({"version": 2, "findings": []})") ==
          prefix + "$.version: version 2 is not known (this smaudit reads version 1)\n");
    CHECK(refused(R"({"version": 1})") == prefix + "$.findings: expected an array\n");
    CHECK(refused(R"({"version": 1, "findings": [{"rule": "SM-S023", "path": "a.cf"}]})") ==
          prefix + "$.findings[0].fingerprint: expected a string\n");
    CHECK(refused(R"({"version": 1, "findings": [{"rule": "SM-S023", "path": "a.cf",
                     "fingerprint": "xyz"}]})") ==
          prefix + "$.findings[0].fingerprint: expected 16 lowercase hex digits\n");
    CliResult missing =
        run_smaudit("--baseline " + quoted(dir.path / "none.json") + " " + cf, true);
    CHECK(missing.code == 2);
    CHECK(missing.out.starts_with("smaudit: baseline " + (dir.path / "none.json").string()));
}

TEST_CASE("--no-suppressions reports what the comments silence; SARIF carries suppressions") {
    const std::string file = source_path("fixtures/e2e/suppressed.cf");
    auto json = [&](const std::string& options) {
        return nlohmann::json::parse(run_smaudit("--format json " + options + file).out);
    };
    auto with = json(""), without = json("--no-suppressions ");
    CHECK(with["summary"]["suppressed"] == 2);
    CHECK(with["findings"].size() == 1);
    CHECK(without["summary"]["suppressed"] == 0);
    CHECK(without["suppressed"].empty());
    REQUIRE(without["findings"].size() == 3);
    std::set<std::string> rules;
    for (const auto& f : without["findings"])
        rules.insert(f["rule"].get<std::string>());
    CHECK(rules.count("SM-P004") == 1);
    CHECK(rules.count("SM-S023") == 1);
    CHECK(run_smaudit("--fail-on none " + file).code == 0);

    // The SARIF log of the CLI: the two suppressed findings are results with `suppressions`
    // and their reasons; with --no-suppressions none is.
    auto sarif = nlohmann::json::parse(run_smaudit("--format sarif " + file).out);
    int suppressed = 0;
    for (const auto& r : sarif["runs"][0]["results"])
        if (r.contains("suppressions")) {
            ++suppressed;
            CHECK(r["suppressions"][0]["justification"].is_string());
        }
    CHECK(suppressed == 2);
    sarif = nlohmann::json::parse(run_smaudit("--format sarif --no-suppressions " + file).out);
    CHECK(sarif["runs"][0]["results"].size() == 3);
    for (const auto& r : sarif["runs"][0]["results"])
        CHECK(!r.contains("suppressions"));
}

TEST_CASE("SARIF: a suppressed finding the baseline lists is unchanged, the others new") {
    TempDir dir("smaudit-e2e-baseline-state");
    const fs::path cf = dir.path / "sendmail.cf", baseline = dir.path / "baseline.json";
    const std::string original = read_text(source_path("fixtures/e2e/privacy-gap.cf"));
    write_text(cf, original);
    const std::string only = "--select SM-S022,SM-S023 ";
    REQUIRE(run_smaudit(only + "--write-baseline " + quoted(baseline) + " " + quoted(cf)).code ==
            0);
    // SM-S023 (vrfy-enabled, on the PrivacyOptions line) suppressed after the baseline was
    // written: it uses up its entry. SM-S022 (expn-enabled) is baselined: not in the log.
    const std::string privacy = "O PrivacyOptions=";
    REQUIRE(original.find(privacy) != std::string::npos);
    std::string suppressed = original;
    suppressed.insert(suppressed.find(privacy), "# smaudit: ignore[SM-S023] accepted\n");
    write_text(cf, suppressed);
    auto sarif = nlohmann::json::parse(
        run_smaudit(only + "--format sarif --baseline " + quoted(baseline) + " " + quoted(cf)).out);
    const auto& results = sarif["runs"][0]["results"];
    REQUIRE(results.size() == 1);
    CHECK(results[0]["ruleId"] == "SM-S023");
    CHECK(results[0].contains("suppressions"));
    CHECK(results[0]["baselineState"] == "unchanged");
    // A baseline without its entries: the suppressed finding is new.
    write_text(baseline, R"({"version": 1, "tool": {"name": "smaudit", "version": "0.1.0"},
                             "findings": []})");
    sarif = nlohmann::json::parse(
        run_smaudit(only + "--format sarif --baseline " + quoted(baseline) + " " + quoted(cf)).out);
    REQUIRE(sarif["runs"][0]["results"].size() == 2);
    for (const auto& result : sarif["runs"][0]["results"])
        CHECK(result["baselineState"] == "new");
}

TEST_CASE("--fix and --diff with --baseline fix the reported findings only, as ruff does") {
    TempDir dir("smaudit-e2e-baseline");
    const fs::path cf = dir.path / "a.cf";
    const std::string accepted = "V10/Berkeley\nO DontBlameSendmail=AssumeSafeChown\n";
    write_text(cf, accepted);
    const std::string base = quoted(dir.path / "b.json");
    REQUIRE(run_smaudit("--select SM-S052 --write-baseline " + base + " " + quoted(cf)).code == 0);
    // A new flag after the baseline was written: the only finding the report has.
    write_text(cf, accepted + "O DontBlameSendmail=TrustStickyBit\n");
    const std::string args = "--select SM-S052 --unsafe-fixes --baseline " + base + " ";

    const CliResult diff = run_smaudit(args + "--diff " + quoted(cf));
    CHECK(diff.out.find("-O DontBlameSendmail=TrustStickyBit\n") != std::string::npos);
    CHECK(diff.out.find("-O DontBlameSendmail=AssumeSafeChown") == std::string::npos);

    const CliResult fixed = run_smaudit(args + "--fix --format json " + quoted(cf));
    CHECK(fixed.code == 0);
    // The baselined line is kept, so the baseline still matches it; the new one is fixed.
    CHECK(read_text(cf) == accepted + "O DontBlameSendmail=\n");
    const auto report = nlohmann::json::parse(fixed.out);
    CHECK(report["findings"].empty());
    CHECK(report["summary"]["baseline"]["matched"] == 1);
    CHECK(report["summary"]["baseline"]["gone"] == 0);
}
