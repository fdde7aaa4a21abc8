#include "engine/score.hpp"

#include "engine/rule.hpp"

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
        return 96; // A at best
    case Severity::Low:
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

double finding_penalty(const Diagnostic& d, const RuleWeightLookup& lookup) {
    if (d.severity == Severity::Info) return 0; // info findings are advice, never a cost
    double points = severity_points(d.severity);
    if (std::optional<RuleWeight> rule = lookup ? lookup(d.rule_id) : std::nullopt) {
        int base = severity_points(rule->severity);
        // The weight is for the rule's default severity; an override scales it.
        if (base > 0) points = rule->weight * static_cast<double>(points) / base;
    }
    return std::clamp(points, 0.0, kMaxPenalty);
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
    std::map<std::string, std::vector<double>> by_rule;
    bool any = false;
    Severity worst = Severity::Info;
    for (const Diagnostic& d : diagnostics) {
        if (d.pack != pack) continue;
        by_rule[d.rule_id].push_back(finding_penalty(d, lookup));
        worst = any ? std::max(worst, d.severity) : d.severity;
        any = true;
    }
    double remaining = 1.0;
    for (auto& [rule, penalties] : by_rule) {
        std::sort(penalties.begin(), penalties.end(), std::greater<>());
        for (size_t k = 0; k < penalties.size(); ++k)
            remaining *= 1.0 - penalties[k] / static_cast<double>(k + 1) / 100.0;
    }
    int score = static_cast<int>(std::lround(100.0 * remaining));
    if (any) score = std::min(score, cap_for(worst));
    return {score, grade_for(score)};
}

std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics,
                                         const RuleWeightLookup& lookup) {
    return {{Pack::Security, score_pack(Pack::Security, diagnostics, lookup)},
            {Pack::Performance, score_pack(Pack::Performance, diagnostics, lookup)}};
}

std::map<Pack, PackScore> compute_scores(const std::vector<Diagnostic>& diagnostics) {
    return compute_scores(diagnostics, [](std::string_view id) -> std::optional<RuleWeight> {
        if (const Rule* rule = find_rule(id)) return RuleWeight{rule->weight, rule->severity};
        return std::nullopt;
    });
}

} // namespace smaudit
