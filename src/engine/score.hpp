// Pack scores: 0-100 and a grade per pack (security, performance) from the findings.
// docs/scoring.md explains the formula, the grade bands and the caps, with a worked example.
#pragma once

#include "diag/audit_result.hpp"
#include "diag/diagnostic.hpp"
#include "engine/rule.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

// What scoring needs to know of a rule: its weight and the severity that weight is for.
struct RuleWeight {
    int weight = 0;
    Severity severity = Severity::Medium;
    // The rule stands for one of the hardening extras of the catalog's Appendix A
    // (rules/hardening_extras.cpp): even an info finding of it keeps the pack from A+.
    bool hardening_extra = false;
};
// Finds a rule's weight by ID; nullopt for an unknown rule (then severity_points() apply).
using RuleWeightLookup = std::function<std::optional<RuleWeight>(std::string_view rule_id)>;

// Points a finding of this severity costs when its rule is unknown: 40, 20, 8, 3, 0.
int severity_points(Severity severity);

// The points one finding costs its pack (0-90): the rule's weight, scaled by how far the
// finding's severity was raised or lowered from the rule's default (severity overrides).
double finding_penalty(const Diagnostic& diagnostic, const RuleWeightLookup& lookup);

// The grade of a score (score_pack caps a pack that is not A+ material at 96): A+ >= 97, A >= 90, B
// >= 80, C >= 70, D >= 60, else F.
std::string grade_for(int score);

// One pack's score from all findings (those of other packs are ignored).
PackScore score_pack(Pack pack, const std::vector<Diagnostic>& diagnostics,
                     const RuleWeightLookup& lookup);

// Security and Performance scores (always both). Syntax and consistency findings do not count.
std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics,
                                         const RuleWeightLookup& lookup);
// The same with weights from the rule registry (find_rule).
std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics);

// How many of a pack's rules ran in this run, of how many there are.
struct PackCoverage {
    size_t ran = 0, total = 0;
};
// Coverage of the Security and Performance packs by `run`, out of `all` (rules with a check).
std::map<Pack, PackCoverage> pack_coverage(const std::vector<Rule>& all,
                                           const std::vector<const Rule*>& run);

// The scores of one run (docs/scoring.md "When there is no grade"): a pack none of whose rules
// ran is not run (left out of the terminal report); when a configuration could not be built
// (`not_built` says why; empty: all were), or only some of a pack's rules ran, the pack is
// not graded, with the reason. Otherwise compute_scores.
std::map<Pack, PackScore> grade_packs(const std::vector<Diagnostic>& diagnostics,
                                      const std::map<Pack, PackCoverage>& coverage,
                                      const std::string& not_built, const RuleWeightLookup& lookup);
// The same with the rule registry: all_rules() and the rules that ran.
std::map<Pack, PackScore> grade_packs(const std::vector<Diagnostic>& diagnostics,
                                      const std::vector<const Rule*>& rules_run,
                                      const std::string& not_built);

} // namespace smaudit
