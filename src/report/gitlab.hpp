// GitLab Code Quality report (docs/ci.md): the JSON array a job declares as
// `artifacts: reports: codequality:`, which GitLab shows in the merge request widget and diff.
// Format: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format (a subset
// of CodeClimate's issue format); tests/schemas/gitlab-code-quality.schema.json checks it.
#pragma once

#include "diag/audit_result.hpp"
#include "source/source.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace smaudit::report {

// info, minor, major, critical, blocker for info, low, medium, high, critical.
std::string_view gitlab_severity(Severity severity);

// Writes the array, one issue per reported finding in report order, each on its own line;
// suppressed findings are left out (Code Quality has no suppressed state). location.path is
// relative to ROOT (the working directory: run smaudit in the repository's root), absolute
// outside it; location.lines the first and last line of the finding's span. A finding without
// a place is given line 1 of its file (GitLab requires a line) and its description says why it
// has none. `fingerprint` is the one SARIF and baselines use (report/fingerprint.hpp) of the rule,
// location.path and the flagged line's text, with `:N` to tell apart findings of one hash.
void write_gitlab(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                  std::string_view root);

} // namespace smaudit::report
