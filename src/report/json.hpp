// The JSON report (design.md "Interfaces"; docs/schema/report-v1.schema.json describes it).
#pragma once

#include "diag/audit_result.hpp"
#include "source/source.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace smaudit::report {

inline constexpr int kJsonReportVersion = 1;

// The report object, keys in contract order. Findings sorted by path, offset, rule. Lines and
// columns 1-based, columns in code points (tab = 1); end_line/end_column are the position just
// past the span's last character. A finding about a default has the config's path and null
// line/column fields. A pack missing from result.scores is null.
nlohmann::ordered_json report_json(const SourceSet& sources, const AuditResult& result);

// report_json as text, newline-terminated; invalid UTF-8 in any string becomes U+FFFD (JSON
// text must be Unicode). indent < 0: one line.
std::string render_json(const SourceSet& sources, const AuditResult& result, int indent = 2);

} // namespace smaudit::report
