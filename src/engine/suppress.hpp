// Inline suppressions written in the configuration itself:
//   # smaudit: ignore[SM-S020,SM-S023] reason      (.cf, access, aliases: the next line)
//   dnl smaudit: ignore[SM-S020] reason           (.mc)
//   # smaudit: ignore-file[SM-P004] reason        (the whole file)
// A rule may be named by ID or by name.
#pragma once

#include "diag/audit_result.hpp"
#include "diag/diagnostic.hpp"
#include "diag/syntax_code.hpp"
#include "engine/rule.hpp"

#include <functional>
#include <span>
#include <vector>

namespace smaudit {

// The suppression comments' own codes, so that suppressions cannot rot: SM-E301
// unused-suppression and SM-E302 suppression-without-reason (docs/rules/SM-E30x.md).
std::span<const SyntaxCode> suppression_codes();

// Which of those codes the run reports.
struct SuppressionChecks {
    bool without_reason = false; // SM-E302
    // SM-E301: a rule named in a comment of FILE suppressed nothing. Asked only of rules that
    // exist (a comment naming no rule is reported whenever this is set); true when the rule ran
    // on FILE so that every finding it has there is known (selected, and the file's configuration
    // audited in full). Null: no SM-E301.
    std::function<bool(const Rule& rule, FileId file)> rule_ran_on;
};

// Moves the diagnostics that a suppression comment covers from `diagnostics` to the end of
// `suppressed`, each with the comment's reason. Findings about a default (no line) are covered
// by an ignore-file comment in any of `config_files`. Then adds the findings of CHECKS about
// the comments of `config_files` (which comments may suppress too).
void apply_suppressions(const SourceSet& sources, const std::vector<FileId>& config_files,
                        std::vector<Diagnostic>& diagnostics,
                        std::vector<SuppressedFinding>& suppressed,
                        const SuppressionChecks& checks = {});

} // namespace smaudit
