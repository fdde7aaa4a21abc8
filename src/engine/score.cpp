#include "engine/score.hpp"

#include "engine/rule.hpp"
#include "rules/hardening_extras.hpp"

#include <algorithm>
#include <cmath>

namespace smaudit {

namespace {
// One finding can never take more than this share of a pack's remaining score, so the product
// below stays positive and a later fix always shows as progress.
constexpr double kMaxPenalty = 90.0;

// Caps by the worst severity present: the score cannot hide a serious finding behind many good
// settings. A critical finding (open relay, ...) fails the pack.
int cap_for(Severity worst) {
    switch (worst) {
    case Severity::Critical:
        return 59; // F
    case Severity::High:
        return 89; // B at best
    case Severity::Medium:
    case Severity::Low:
        return 96; // A at best: A+ means nothing above info
    case Severity::Info:
        break;
    }
    return 100;
}
} // namespace

int severity_points(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return 40;
    case Severity::High:
        return 20;
    case Severity::Medium:
        return 8;
    case Severity::Low:
        return 3;
    case Severity::Info:
        return 0;
    }
    return 0;
}

namespace {
// The penalty of a finding of a rule whose weight (if the lookup knows the rule) is `rule`.
double penalty_with(const Diagnostic& d, const std::optional<RuleWeight>& rule) {
    if (d.severity == Severity::Info) return 0; // info findings are advice, never a cost
    double points = severity_points(d.severity);
    if (rule) {
        int base = severity_points(rule->severity);
        // The weight is for the rule's default severity; an override scales it.
        if (base > 0) points = rule->weight * static_cast<double>(points) / base;
    }
    return std::clamp(points, 0.0, kMaxPenalty);
}
} // namespace

double finding_penalty(const Diagnostic& d, const RuleWeightLookup& lookup) {
    return penalty_with(d, lookup ? lookup(d.rule_id) : std::nullopt);
}

std::string grade_for(int score) {
    if (score >= 97) return "A+";
    if (score >= 90) return "A";
    if (score >= 80) return "B";
    if (score >= 70) return "C";
    if (score >= 60) return "D";
    return "F";
}

PackScore score_pack(Pack pack, const std::vector<Diagnostic>& diagnostics,
                     const RuleWeightLookup& lookup) {
    // Penalties per rule, so the k-th finding of one rule can count 1/k of its penalty: a
    // pattern repeated on fifty access lines is one problem seen fifty times, not fifty problems.
    // The rule's weight is looked up once per rule, not twice per finding: a million-entry map
    // has eighteen thousand findings of one rule.
    struct RuleFindings {
        std::optional<RuleWeight> weight;
        std::vector<double> penalties;
    };
    std::map<std::string_view, RuleFindings> by_rule;
    bool any = false, extra_missing = false;
    Severity worst = Severity::Info;
    for (const Diagnostic& d : diagnostics) {
        if (d.pack != pack) continue;
        auto [it, added] = by_rule.try_emplace(d.rule_id);
        RuleFindings& findings = it->second;
        if (added) findings.weight = lookup ? lookup(d.rule_id) : std::nullopt;
        findings.penalties.push_back(penalty_with(d, findings.weight));
        worst = any ? std::max(worst, d.severity) : d.severity;
        any = true;
        if (findings.weight) extra_missing |= findings.weight->hardening_extra;
    }
    double remaining = 1.0;
    for (auto& [rule, findings] : by_rule) {
        std::vector<double>& penalties = findings.penalties;
        std::sort(penalties.begin(), penalties.end(), std::greater<>());
        for (size_t k = 0; k < penalties.size(); ++k)
            remaining *= 1.0 - penalties[k] / static_cast<double>(k + 1) / 100.0;
    }
    int score = static_cast<int>(std::lround(100.0 * remaining));
    if (any) score = std::min(score, cap_for(worst));
    // A+ also needs Appendix A's hardening extras in place: their rules' advice is info, but
    // a configuration without them is not the reference one.
    if (extra_missing) score = std::min(score, 96);
    return {score, grade_for(score)};
}

std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics,
                                         const RuleWeightLookup& lookup) {
    return {{Pack::Security, score_pack(Pack::Security, diagnostics, lookup)},
            {Pack::Performance, score_pack(Pack::Performance, diagnostics, lookup)}};
}

namespace {
std::optional<RuleWeight> registry_weight(std::string_view id) {
    if (const Rule* rule = find_rule(id))
        return RuleWeight{rule->weight, rule->severity, is_hardening_extra(id)};
    return std::nullopt;
}
} // namespace

std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics) {
    return compute_scores(diagnostics, registry_weight);
}

std::map<Pack, PackCoverage> pack_coverage(const std::vector<Rule>& all,
                                           const std::vector<const Rule*>& run) {
    std::map<Pack, PackCoverage> coverage{{Pack::Security, {}}, {Pack::Performance, {}}};
    for (const Rule& rule : all)
        if (rule.check && coverage.count(rule.pack)) ++coverage[rule.pack].total;
    for (const Rule* rule : run)
        if (rule->check && coverage.count(rule->pack)) ++coverage[rule->pack].ran;
    return coverage;
}

std::map<Pack, PackScore> grade_packs(const std::vector<Diagnostic>& diagnostics,
                                      const std::map<Pack, PackCoverage>& coverage,
                                      const std::string& not_built,
                                      const RuleWeightLookup& lookup) {
    std::map<Pack, PackScore> scores = compute_scores(diagnostics, lookup);
    for (auto& [pack, score] : scores) {
        auto it = coverage.find(pack);
        const PackCoverage covered = it == coverage.end() ? PackCoverage{} : it->second;
        if (covered.ran == 0) {
            score = PackScore{};
            score.ran = false;
            score.not_graded = "none of its rules ran (--pack, --select, --ignore)";
        } else if (!not_built.empty()) {
            score = PackScore{};
            score.not_graded = not_built;
        } else if (covered.ran < covered.total) {
            // A grade is a claim about the whole pack: `--select SM-S023` must not say A+ about
            // an open relay that SM-S001 was never asked to look for.
            score = PackScore{};
            score.not_graded = "only " + std::to_string(covered.ran) + " of its " +
                               std::to_string(covered.total) + " rules ran (--select, --ignore)";
        }
    }
    return scores;
}

std::map<Pack, PackScore> grade_packs(const std::vector<Diagnostic>& diagnostics,
                                      const std::vector<const Rule*>& rules_run,
                                      const std::string& not_built) {
    std::map<Pack, PackCoverage> coverage = pack_coverage(all_rules(), rules_run);
    // Policies (--policy) are rules of their pack too: one left out leaves the pack partial.
    for (const Rule& rule : loaded_rules())
        if (rule.check && coverage.count(rule.pack)) ++coverage[rule.pack].total;
    return grade_packs(diagnostics, coverage, not_built, registry_weight);
}

} // namespace smaudit
