#include "diag/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace smaudit {

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::Info: return "info";
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
    }
    return "info";
}

std::optional<Severity> parse_severity(std::string_view text) {
    for (Severity s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High,
                       Severity::Critical})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

std::string_view to_string(Pack pack) {
    switch (pack) {
    case Pack::Security: return "security";
    case Pack::Performance: return "performance";
    case Pack::Consistency: return "consistency";
    case Pack::Syntax: return "syntax";
    }
    return "security";
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics, const SourceSet& sources) {
    auto key = [&](const Diagnostic& d) {
        FileId file = d.where.valid() ? d.where.file : d.config_file;
        std::string_view path =
            file != kNoFile ? std::string_view(sources.get(file).path()) : std::string_view();
        return std::make_tuple(path, d.where.valid() ? d.where.span.begin : 0u,
                               std::string_view(d.rule_id), std::string_view(d.message));
    };
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

} // namespace smaudit
