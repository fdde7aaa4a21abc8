#include "report/gitlab.hpp"

#include "report/display.hpp"
#include "report/fingerprint.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace smaudit::report {

std::string_view gitlab_severity(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return "blocker";
    case Severity::High:
        return "critical";
    case Severity::Medium:
        return "major";
    case Severity::Low:
        return "minor";
    case Severity::Info:
        return "info";
    }
    return "info";
}

void write_gitlab(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                  std::string_view root) {
    using Json = nlohmann::ordered_json;
    const FileId fallback = result.files.empty() ? kNoFile : result.files.front();
    FingerprintOccurrences occurrences;
    const char* separator = "\n";
    out << "[";
    for (const Diagnostic* finding : sorted_diagnostics(result.diagnostics, sources)) {
        const Diagnostic& d = *finding;
        const SourceFile* about = sources.find(finding_file(sources, d, fallback));
        if (about == nullptr) continue; // nothing was read: the app reports no findings then
        const std::string path = path_under_root(about->path(), root).path;
        std::string description = d.message;
        Json lines = {{"begin", 1}};
        if (const SourceFile* file = sources.find(d.where.file)) {
            const Span span = d.where.span;
            const uint32_t last = std::max(span.begin, span.end > span.begin ? span.end - 1 : 0);
            lines = {{"begin", locate(*file, span.begin).line},
                     {"end", std::max(locate(*file, span.begin).line, locate(*file, last).line)}};
        } else {
            description += " (" + std::string(no_place_reason(about, d.about_default)) + ")";
        }
        Json issue = {{"description", description},
                      {"check_name", d.rule_id},
                      {"fingerprint", occurrences.next(fingerprint_hash(
                                          d.rule_id, path, fingerprint_text(sources, d)))},
                      {"severity", gitlab_severity(d.severity)},
                      {"location", {{"path", path}, {"lines", std::move(lines)}}}};
        out << separator << "  " << issue.dump(-1, ' ', false, Json::error_handler_t::replace);
        separator = ",\n";
    }
    out << (separator[0] == ',' ? "\n]\n" : "]\n");
}

} // namespace smaudit::report
