// The monitoring reports (report/monitoring.hpp) on a small hand-made result: the Nagios status
// line and its performance data exactly, the state for each pair of thresholds, and the
// OpenMetrics text through a strict checker (openmetrics_check.hpp), which is itself tested on
// broken texts.
#include "openmetrics_check.hpp"
#include "report/monitoring.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace smaudit;
using namespace smaudit::report;

namespace {

Diagnostic finding(std::string id, std::string name, Severity severity) {
    Diagnostic d;
    d.rule_id = std::move(id);
    d.rule_name = std::move(name);
    d.severity = severity;
    d.message = "m";
    return d;
}

// Two files; one high, two medium (same rule), one low finding; security graded, performance
// not graded.
AuditResult small_result() {
    AuditResult r;
    r.files = {0, 1};
    r.diagnostics = {finding("SM-S023", "vrfy-enabled", Severity::High),
                     finding("SM-S052", "unsafe-dont-blame-sendmail", Severity::Medium),
                     finding("SM-S052", "unsafe-dont-blame-sendmail", Severity::Medium),
                     finding("SM-P007", "ident-lookup-delay", Severity::Low)};
    r.scores[Pack::Security] = {62, "D"};
    r.scores[Pack::Performance] = {100, "A+", "only some of the pack's rules ran"};
    return r;
}

std::string nagios(const AuditResult& r, CheckThresholds t) {
    std::ostringstream out;
    write_nagios(out, r, t);
    return out.str();
}

} // namespace

TEST_CASE("nagios: one status line with performance data") {
    CHECK(nagios(small_result(), {Severity::High, Severity::Medium}) ==
          "SMAUDIT CRITICAL - 4 findings (1 high, 2 medium, 1 low), security 62/100 D, 2 files "
          "audited | critical=0;0;0;0; high=1;0;0;0; medium=2;0;;0; low=1;;;0; info=0;;;0; "
          "security_score=62;;;0;100 files=2;;;0;\n");
    AuditResult clean;
    clean.files = {0};
    clean.scores[Pack::Security] = {100, "A+"};
    CHECK(nagios(clean, {Severity::High, std::nullopt}) ==
          "SMAUDIT OK - no findings, security 100/100 A+, 1 file audited | critical=0;;0;0; "
          "high=0;;0;0; medium=0;;;0; low=0;;;0; info=0;;;0; security_score=100;;;0;100 "
          "files=1;;;0;\n");
    std::ostringstream unknown;
    write_nagios_unknown(unknown, "cannot read a|b\nc");
    CHECK(unknown.str() == "SMAUDIT UNKNOWN - cannot read a/b c\n");
}

TEST_CASE("nagios: the state for each pair of thresholds") {
    const AuditResult r = small_result(); // worst finding: high
    struct Case {
        std::optional<Severity> critical, warning;
        CheckState state;
    };
    for (const Case& c : {Case{Severity::High, Severity::Medium, CheckState::Critical},
                          Case{Severity::Critical, Severity::Medium, CheckState::Warning},
                          Case{Severity::Critical, Severity::High, CheckState::Warning},
                          Case{Severity::Critical, Severity::Critical, CheckState::Ok},
                          Case{Severity::Critical, std::nullopt, CheckState::Ok},
                          Case{std::nullopt, std::nullopt, CheckState::Ok},
                          Case{std::nullopt, Severity::Info, CheckState::Warning},
                          Case{Severity::Info, Severity::Critical, CheckState::Critical}}) {
        CHECK(check_state(r, {c.critical, c.warning}) == c.state);
        CHECK(nagios(r, {c.critical, c.warning})
                  .starts_with("SMAUDIT " + std::string(to_string(c.state)) + " - "));
    }
    CHECK(check_state(AuditResult{}, {Severity::Info, Severity::Info}) == CheckState::Ok);
}

TEST_CASE("openmetrics: valid text with every figure") {
    AuditResult r = small_result();
    r.diagnostics.push_back(finding("SM-X001", "odd\"name\\with\nbreak", Severity::Info));
    std::ostringstream out;
    write_openmetrics(out, r, 1, 1796444207);
    std::map<std::string, double> samples;
    const auto problems = test::check_openmetrics(out.str(), &samples);
    CHECK_MESSAGE(problems.empty(), problems.front(), "\n", out.str());
    CHECK(samples.at("smaudit_findings{severity=\"critical\"}") == 0);
    CHECK(samples.at("smaudit_findings{severity=\"high\"}") == 1);
    CHECK(samples.at("smaudit_findings{severity=\"medium\"}") == 2);
    CHECK(samples.at("smaudit_findings{severity=\"info\"}") == 1);
    CHECK(samples.at(
              "smaudit_rule_findings{rule=\"SM-S052\",name=\"unsafe-dont-blame-sendmail\"}") == 2);
    CHECK(samples.at(
              "smaudit_rule_findings{rule=\"SM-X001\",name=\"odd\\\"name\\\\with\\nbreak\"}") == 1);
    CHECK(samples.at("smaudit_score{pack=\"security\"}") == 62);
    CHECK(samples.count("smaudit_score{pack=\"performance\"}") == 0); // not graded
    CHECK(samples.at("smaudit_grade{pack=\"security\",grade=\"D\"}") == 1);
    CHECK(samples.at("smaudit_files_audited") == 2);
    CHECK(samples.at("smaudit_unreadable_paths") == 1);
    CHECK(samples.at("smaudit_suppressed_findings") == 0);
    CHECK(samples.at("smaudit_last_audit_timestamp_seconds") == 1796444207);
    CHECK(out.str().ends_with("\n# EOF\n"));
}

TEST_CASE("the OpenMetrics checker rejects what is not valid") {
    const std::string good = "# TYPE a gauge\na 1\n# EOF\n";
    CHECK(test::check_openmetrics(good).empty());
    for (const std::string bad :
         {"# TYPE a gauge\na 1\n",                                  // no # EOF
          "# TYPE a gauge\na 1\n# EOF\nb 1\n",                      // after # EOF
          "a 1\n# EOF\n",                                           // no TYPE
          "# TYPE a gauge\na 1 1796444207\n# EOF\n",                // timestamp
          "# TYPE a gauge\na x\n# EOF\n",                           // value
          "# TYPE a gauge\na{l=\"x\"} 1\na{l=\"x\"} 2\n# EOF\n",    // series twice
          "# TYPE a gauge\na{l=\"x\\q\"} 1\n# EOF\n",               // bad escape
          "# TYPE a info\na 1\n# EOF\n",                            // type node_exporter refuses
          "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na 2\n# EOF\n", // interleaved
          "# TYPE a_x gauge\n# UNIT a_x seconds\na_x 1\n# EOF\n",   // unit not in name
          "# TYPE a gauge\n# comment\na 1\n# EOF\n",                // stray comment
          "# TYPE a gauge\na 1\n# EOF"})                            // no final newline
        CHECK_MESSAGE(!test::check_openmetrics(bad).empty(), bad);
}
