#include "report/monitoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace smaudit::report {

namespace {

constexpr std::array kSeveritiesDown = {Severity::Critical, Severity::High, Severity::Medium,
                                        Severity::Low, Severity::Info};

bool at_or_above(Severity severity, const std::optional<Severity>& threshold) {
    return threshold && severity >= *threshold;
}

// The packs that carry a score, in report order.
std::vector<std::pair<Pack, const PackScore*>> graded_packs(const AuditResult& result) {
    std::vector<std::pair<Pack, const PackScore*>> out;
    for (const auto& [pack, score] : result.scores)
        if (score.ran && score.graded()) out.emplace_back(pack, &score);
    return out;
}

// A label value as OpenMetrics and the Prometheus text format escape it.
std::string label_value(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace

std::string_view to_string(CheckState state) {
    switch (state) {
    case CheckState::Ok:
        return "OK";
    case CheckState::Warning:
        return "WARNING";
    case CheckState::Critical:
        return "CRITICAL";
    case CheckState::Unknown:
        return "UNKNOWN";
    }
    return "UNKNOWN";
}

CheckState check_state(const AuditResult& result, const CheckThresholds& thresholds) {
    CheckState state = CheckState::Ok;
    for (const Diagnostic& d : result.diagnostics) {
        if (at_or_above(d.severity, thresholds.critical)) return CheckState::Critical;
        if (at_or_above(d.severity, thresholds.warning)) state = CheckState::Warning;
    }
    return state;
}

void write_nagios(std::ostream& out, const AuditResult& result, const CheckThresholds& thresholds) {
    const CheckState state = check_state(result, thresholds);
    const SeverityCounts counts = count_severities(result.diagnostics);
    std::vector<std::string> by_severity;
    for (Severity s : kSeveritiesDown)
        if (counts[s] > 0) by_severity.push_back(fmt::format("{} {}", counts[s], to_string(s)));
    std::string summary = counts.total() == 0 ? std::string("no findings")
                                              : fmt::format("{} finding{} ({})", counts.total(),
                                                            counts.total() == 1 ? "" : "s",
                                                            fmt::join(by_severity, ", "));
    for (const auto& [pack, score] : graded_packs(result))
        summary += fmt::format(", {} {}/100 {}", to_string(pack), score->score, score->grade);
    summary += fmt::format(", {} file{} audited", result.files.size(),
                           result.files.size() == 1 ? "" : "s");
    // Performance data: 'label'=value;warn;crit;min;max. A range "0" alerts on any value above
    // 0: set for the severities that reach WARNING or CRITICAL.
    std::string perfdata;
    for (Severity s : kSeveritiesDown)
        perfdata += fmt::format(" {}={};{};{};0;", to_string(s), counts[s],
                                at_or_above(s, thresholds.warning) ? "0" : "",
                                at_or_above(s, thresholds.critical) ? "0" : "");
    for (const auto& [pack, score] : graded_packs(result))
        perfdata += fmt::format(" {}_score={};;;0;100", to_string(pack), score->score);
    perfdata += fmt::format(" files={};;;0;", result.files.size());
    out << "SMAUDIT " << to_string(state) << " - " << summary << " |" << perfdata << "\n";
}

void write_nagios_unknown(std::ostream& out, std::string_view why) {
    std::string line(why);
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '|', '/'); // '|' would start performance data
    out << "SMAUDIT UNKNOWN - " << line << "\n";
}

void write_openmetrics(std::ostream& out, const AuditResult& result, size_t unreadable_paths,
                       int64_t audit_time) {
    const SeverityCounts counts = count_severities(result.diagnostics);
    out << "# TYPE smaudit_findings gauge\n"
           "# HELP smaudit_findings Findings of the last audit by severity (suppressed ones "
           "left out).\n";
    for (Severity s : kSeveritiesDown)
        out << "smaudit_findings{severity=\"" << to_string(s) << "\"} " << counts[s] << "\n";

    std::map<std::string, std::pair<std::string, int>> by_rule; // id -> name, count
    for (const Diagnostic& d : result.diagnostics) {
        auto& [name, n] = by_rule[d.rule_id];
        name = d.rule_name;
        ++n;
    }
    out << "# TYPE smaudit_rule_findings gauge\n"
           "# HELP smaudit_rule_findings Findings of the last audit by rule (rules without a "
           "finding have no sample).\n";
    for (const auto& [id, entry] : by_rule)
        out << "smaudit_rule_findings{rule=\"" << label_value(id) << "\",name=\""
            << label_value(entry.first) << "\"} " << entry.second << "\n";

    out << "# TYPE smaudit_suppressed_findings gauge\n"
           "# HELP smaudit_suppressed_findings Findings silenced by smaudit: ignore comments.\n"
           "smaudit_suppressed_findings "
        << result.suppressed.size() << "\n";

    const auto packs = graded_packs(result);
    out << "# TYPE smaudit_score gauge\n"
           "# HELP smaudit_score Score of each graded rule pack, 0 to 100 (docs/scoring.md).\n";
    for (const auto& [pack, score] : packs)
        out << "smaudit_score{pack=\"" << to_string(pack) << "\"} " << score->score << "\n";
    out << "# TYPE smaudit_grade gauge\n"
           "# HELP smaudit_grade The grade of each graded pack: 1 for the grade it has.\n";
    for (const auto& [pack, score] : packs)
        out << "smaudit_grade{pack=\"" << to_string(pack) << "\",grade=\""
            << label_value(score->grade) << "\"} 1\n";

    out << "# TYPE smaudit_files_audited gauge\n"
           "# HELP smaudit_files_audited Files the last audit read.\n"
           "smaudit_files_audited "
        << result.files.size() << "\n";
    out << "# TYPE smaudit_unreadable_paths gauge\n"
           "# HELP smaudit_unreadable_paths Paths given to the last audit that it could not "
           "read.\n"
           "smaudit_unreadable_paths "
        << unreadable_paths << "\n";
    out << "# TYPE smaudit_last_audit_timestamp_seconds gauge\n"
           "# UNIT smaudit_last_audit_timestamp_seconds seconds\n"
           "# HELP smaudit_last_audit_timestamp_seconds When the last audit ran, in seconds "
           "since the epoch.\n"
           "smaudit_last_audit_timestamp_seconds "
        << audit_time << "\n";
    out << "# EOF\n";
}

} // namespace smaudit::report
