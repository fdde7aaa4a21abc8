// The terminal report: one block per finding in report order (place, message, the source line
// with a caret underline, fix preview, where to read more), then a summary with counts, scores
// and the critical and high findings one line each.
#pragma once

#include "diag/audit_result.hpp"
#include "source/source.hpp"

#include <map>
#include <ostream>
#include <string>

namespace smaudit::report {

struct TerminalOptions {
    bool color = false;     // ANSI colours; the caller decides (tty, NO_COLOR, --no-color)
    uint32_t tab_width = 8; // tabs in source lines are shown as spaces up to these stops
    bool findings = true;   // false: summary only (--quiet)
    bool summary = true;
    // The policy file of each loaded policy's rule, by rule ID: explain knows such a rule only
    // with its file, so the `more:` line says `smaudit explain --policy FILE ID`.
    std::map<std::string, std::string, std::less<>> policy_files;
};

// Writes the whole report to OUT, finding by finding (tens of thousands of findings are never
// held as one text). Findings are printed sorted (sort_diagnostics) whatever their order in
// `result`. Never fails: spans past the end of their file are clamped.
void write_terminal(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                    const TerminalOptions& options = {});
// write_terminal's text as a string.
std::string render_terminal(const SourceSet& sources, const AuditResult& result,
                            const TerminalOptions& options = {});

// One finding's block, ending with a blank line. `fallback_file` names the path of a finding
// without a place that has no config_file (kNoFile: none).
std::string render_finding(const SourceSet& sources, const Diagnostic& diagnostic,
                           const TerminalOptions& options, FileId fallback_file = kNoFile);

// How a configuration's role reads: "role client-only (detected: every daemon listens on
// 127.0.0.1)", "role mx (given)", "role mx (given; detected client-only)".
std::string role_text(const ConfigRole& role);

// The summary: "3 files · role mx (detected: daemon MTA on port 25 on all addresses) · 1 critical,
// 4 high · 2 suppressed" (configurations of different roles: a line per role before it,
// "a.mc, a.cf: role ..."), the scores of
// the packs that ran ("security 41/100 F", or "security not graded: why"), then, after a blank
// line, the critical and high findings one line each ("path:line:col: high ID name: message",
// critical first, at most 50 lines).
// What --fix did, the first lines of the summary after it: "fixed: 7 fixes (sendmail.mc 6,
// access 1) in 2 passes", then a line per file and reason for fixes not applied ("not fixed:
// sendmail.cf: SM-S023, SM-S052: why"), the unsafe fixes left, notes. `planned`: what --diff
// would apply ("would fix: ...").
std::string render_fix_summary(const FixingSummary& fixing, bool planned);

std::string render_summary(const SourceSet& sources, const AuditResult& result,
                           const TerminalOptions& options = {});

} // namespace smaudit::report
