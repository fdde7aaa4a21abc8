// The JSON report (design.md "Interfaces"; docs/schema/report-v1.schema.json describes it).
#pragma once

#include "diag/audit_result.hpp"
#include "report/json_writer.hpp"
#include "source/source.hpp"

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace smaudit::report {

inline constexpr int kJsonReportVersion = 1;

// Writes the report object to OUT, keys in contract order, newline-terminated, as
// nlohmann::ordered_json's dump(indent, ' ', false, error_handler_t::replace) prints it (invalid
// UTF-8 in any string becomes U+FFFD: JSON text must be Unicode; indent < 0: one line). Written
// finding by finding: an audit with tens of thousands of findings is never held as one JSON
// tree or one text. Findings sorted by path, offset, rule. Lines and columns 1-based, columns in
// code points (tab = 1); end_line/end_column are the position just past the span's last
// character. A finding without a place has the config's path, null line/column fields and,
// after `fix`, `about_default`: whether it is about a default or only has no line to point at.
// Each configuration the rules ran on has its role in its files[] entry (role_json).
// Suppressed findings follow the findings, each with its suppression comment's reason and line.
// A pack that is not graded (or missing from result.scores) is null in `scores`, and
// `not_scored` says why.
void write_json(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                int indent = 2);

// The members of the report after `version` and `tool`, `files` to `fixing`, written to REPORT
// (the report's own object, or a fleet's host object). HOST: when not empty, each finding's
// first member is `"host": HOST` (a fleet's report, docs/ci.md).
void write_report_members(StreamedObject& report, const SourceSet& sources,
                          const AuditResult& result, std::string_view host);
// The report's `tool`, `scores` (a pack without a grade null) and `summary` (counts by severity,
// suppressed, fixed, baseline) members.
nlohmann::ordered_json tool_json();
nlohmann::ordered_json scores_json(const AuditResult& result);
nlohmann::ordered_json summary_json(const AuditResult& result);

// A configuration's role as the report and `show` give it (files[].role):
// {"name", "source": "detected" | "given", "detected", "why", "exposed"}.
nlohmann::ordered_json role_json(const ConfigRole& role);

// write_json's text as a string.
std::string render_json(const SourceSet& sources, const AuditResult& result, int indent = 2);

} // namespace smaudit::report
