// Pack scores (docs/scoring.md). Every expected number is worked out by hand from the formula:
// score = round(100 × Π(1 − p/k/100)), p a finding's penalty, k its rank among its rule's
// findings; then capped by the worst severity (critical 59, high 89, medium 96).
#include "engine/rule.hpp"
#include "engine/score.hpp"
#include "rules/catalog.hpp"
#include "rules/hardening_extras.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace smaudit;

namespace {

Diagnostic finding(std::string rule, Severity severity, Pack pack = Pack::Security) {
    Diagnostic d;
    d.rule_id = std::move(rule);
    d.severity = severity;
    d.pack = pack;
    d.message = std::string("m"); // not `= "m"`: g++ 12 -O2 warns falsely (-Wrestrict)
    return d;
}

// SM-T030: weight 30 at high; SM-T200: a weight beyond the per-finding maximum; SM-T002: tiny.
std::optional<RuleWeight> test_rules(std::string_view id) {
    if (id == "SM-T030") return RuleWeight{30, Severity::High};
    if (id == "SM-T200") return RuleWeight{200, Severity::Critical};
    if (id == "SM-T002") return RuleWeight{2, Severity::Medium};
    if (id == "SM-T010") return RuleWeight{3, Severity::Low, true}; // a hardening extra
    return std::nullopt;
}

PackScore security(const std::vector<Diagnostic>& ds) {
    return score_pack(Pack::Security, ds, test_rules);
}

} // namespace

TEST_CASE("grade bands") {
    CHECK(grade_for(100) == "A+");
    CHECK(grade_for(97) == "A+");
    CHECK(grade_for(96) == "A");
    CHECK(grade_for(90) == "A");
    CHECK(grade_for(89) == "B");
    CHECK(grade_for(80) == "B");
    CHECK(grade_for(79) == "C");
    CHECK(grade_for(70) == "C");
    CHECK(grade_for(69) == "D");
    CHECK(grade_for(60) == "D");
    CHECK(grade_for(59) == "F");
    CHECK(grade_for(0) == "F");
}

TEST_CASE("no findings: both packs 100 A+") {
    auto scores = compute_scores({}, test_rules);
    REQUIRE(scores.size() == 2);
    CHECK(scores[Pack::Security] == PackScore{100, "A+"});
    CHECK(scores[Pack::Performance] == PackScore{100, "A+"});
}

TEST_CASE("one finding costs its rule's weight; unknown rules cost their severity's points") {
    CHECK(security({finding("SM-T030", Severity::High)}) == PackScore{70, "C"});
    CHECK(security({finding("SM-X999", Severity::High)}) == PackScore{80, "B"});
    CHECK(security({finding("SM-X999", Severity::Medium)}) == PackScore{92, "A"});
    // 100 − 3 = 97 would be A+; A+ means nothing above info.
    CHECK(security({finding("SM-X999", Severity::Low)}) == PackScore{96, "A"});
    // A severity override scales the weight: 30 × 8/20 = 12 → 88.
    CHECK(security({finding("SM-T030", Severity::Medium)}) == PackScore{88, "B"});
    // Info is advice: never a cost, never a cap.
    CHECK(security(std::vector<Diagnostic>(100, finding("SM-T030", Severity::Info))) ==
          PackScore{100, "A+"});
}

TEST_CASE("the worst severity caps the score") {
    // 100 − 40 = 60 would be a D; a critical finding fails the pack.
    CHECK(security({finding("SM-X999", Severity::Critical)}) == PackScore{59, "F"});
    // 100 − 2 = 98 would be A+; a medium finding allows an A at best.
    CHECK(security({finding("SM-T002", Severity::Medium)}) == PackScore{96, "A"});
    // A high finding allows a B at best: SM-T002 (2 at medium) raised to high costs
    // 2 × 20/8 = 5, so 95, capped to 89.
    CHECK(security({finding("SM-T002", Severity::High)}) == PackScore{89, "B"});
}

TEST_CASE("diminishing returns: across rules multiplicative, within one rule 1/k") {
    // Two rules at 20: 100 × 0.8 × 0.8 = 64.
    CHECK(security({finding("SM-X001", Severity::High), finding("SM-X002", Severity::High)}) ==
          PackScore{64, "D"});
    // One rule twice: 100 × 0.8 × (1 − 0.10) = 72.
    CHECK(security({finding("SM-X001", Severity::High), finding("SM-X001", Severity::High)}) ==
          PackScore{72, "C"});
    // Three times: 100 × 0.8 × 0.9 × (1 − 0.0667) = 67.2.
    CHECK(security(std::vector<Diagnostic>(3, finding("SM-X001", Severity::High))) ==
          PackScore{67, "D"});
    // Fifty low findings of one rule: Π(1 − 0.03/k), k = 1..50 = 0.873 → 87, not 0.97^50 = 22.
    CHECK(security(std::vector<Diagnostic>(50, finding("SM-X001", Severity::Low))) ==
          PackScore{87, "B"});
    // A penalty never takes more than 90 % of what remains, so the score stays above 0.
    CHECK(security({finding("SM-T200", Severity::Critical)}) == PackScore{10, "F"});
    CHECK(security(std::vector<Diagnostic>(20, finding("SM-X001", Severity::Critical))).score >= 0);
}

TEST_CASE("packs are scored apart; syntax and consistency findings do not count") {
    std::vector<Diagnostic> ds = {finding("SM-X001", Severity::High, Pack::Performance),
                                  finding("SM-E001", Severity::Critical, Pack::Syntax),
                                  finding("SM-C001", Severity::High, Pack::Consistency)};
    auto scores = compute_scores(ds, test_rules);
    CHECK(scores[Pack::Security] == PackScore{100, "A+"});
    CHECK(scores[Pack::Performance] == PackScore{80, "B"});
    CHECK(scores.count(Pack::Syntax) == 0);
}

TEST_CASE("without a lookup, weights come from the rule registry") {
    // Unknown IDs fall back on severity points.
    CHECK(compute_scores({finding("SM-X999", Severity::High)})[Pack::Security] ==
          PackScore{80, "B"});
    for (const Rule& rule : all_rules()) {
        if (rule.severity == Severity::Info) continue;
        Diagnostic d = finding(std::string(rule.id), rule.severity, rule.pack);
        if (rule.pack != Pack::Security && rule.pack != Pack::Performance) continue;
        int expected = static_cast<int>(std::lround(100.0 - std::clamp(rule.weight, 0, 90)));
        int cap = rule.severity == Severity::Critical ? 59
                  : rule.severity == Severity::High   ? 89
                                                      : 96; // medium, low: A at most
        CAPTURE(rule.id);
        CHECK(compute_scores({d})[rule.pack].score == std::min(expected, cap));
    }
}

TEST_CASE("the worked example of docs/scoring.md") {
    std::vector<Diagnostic> ds = {
        finding("SM-X001", Severity::Critical), finding("SM-X023", Severity::High),
        finding("SM-X022", Severity::High),     finding("SM-X009", Severity::Medium),
        finding("SM-X009", Severity::Medium),   finding("SM-X009", Severity::Medium),
        finding("SM-X020", Severity::Low)};
    CHECK(security(ds) == PackScore{32, "F"});
    ds.erase(ds.begin()); // the open relay fixed
    CHECK(security(ds) == PackScore{53, "F"});
    ds.erase(ds.begin(), ds.begin() + 2); // VRFY and EXPN fixed
    CHECK(security(ds) == PackScore{83, "B"});
}

namespace {
void no_check(const RuleContext&, Emitter&) {}

Rule rule_of(Pack pack, bool runs = true) {
    return Rule{"SM-T000",
                "t",
                pack,
                Severity::Low,
                3,
                "s",
                "f",
                FixKind::None,
                runs ? &no_check : nullptr};
}
} // namespace

TEST_CASE("pack coverage counts the rules that can run, per pack") {
    const std::vector<Rule> all = {rule_of(Pack::Security), rule_of(Pack::Security),
                                   rule_of(Pack::Performance), rule_of(Pack::Syntax),
                                   rule_of(Pack::Security, false)}; // a syntax code: no check
    auto coverage = pack_coverage(all, {&all[0], &all[3]});
    CHECK(coverage[Pack::Security].ran == 1);
    CHECK(coverage[Pack::Security].total == 2);
    CHECK(coverage[Pack::Performance].ran == 0);
    CHECK(coverage[Pack::Performance].total == 1);
    CHECK(coverage.count(Pack::Syntax) == 0);
}

TEST_CASE("a pack is graded only when all its rules ran and every configuration was built") {
    const std::vector<Diagnostic> ds = {finding("SM-T030", Severity::High)};
    const std::map<Pack, PackCoverage> all_ran = {{Pack::Security, {3, 3}},
                                                  {Pack::Performance, {2, 2}}};
    auto graded = grade_packs(ds, all_ran, "", test_rules);
    CHECK(graded[Pack::Security] == PackScore{70, "C"});
    CHECK(graded[Pack::Performance] == PackScore{100, "A+"});

    // --pack performance: security did not run (left out), performance is graded.
    auto performance_only =
        grade_packs(ds, {{Pack::Security, {0, 3}}, {Pack::Performance, {2, 2}}}, "", test_rules);
    CHECK_FALSE(performance_only[Pack::Security].ran);
    CHECK_FALSE(performance_only[Pack::Security].graded());
    CHECK(performance_only[Pack::Security].not_graded ==
          "none of its rules ran (--pack, --select, --ignore)");
    CHECK(performance_only[Pack::Performance] == PackScore{100, "A+"});

    // --select SM-T030: one of three security rules ran: no grade, and why.
    auto partial =
        grade_packs(ds, {{Pack::Security, {1, 3}}, {Pack::Performance, {0, 2}}}, "", test_rules);
    CHECK(partial[Pack::Security].ran);
    CHECK(partial[Pack::Security].not_graded == "only 1 of its 3 rules ran (--select, --ignore)");
    CHECK_FALSE(partial[Pack::Performance].ran);

    // A configuration that could not be built: no pack is graded, whatever ran.
    auto not_built = grade_packs(ds, all_ran, "x.mc could not be built", test_rules);
    for (Pack pack : {Pack::Security, Pack::Performance}) {
        CHECK(not_built[pack].ran);
        CHECK(not_built[pack].not_graded == "x.mc could not be built");
    }
}

TEST_CASE("A+ needs nothing above info and the hardening extras of Appendix A in place") {
    // Info advice of an ordinary rule costs nothing.
    CHECK(security({finding("SM-T030", Severity::Info)}) == PackScore{100, "A+"});
    // A hardening extra missing, even as info (its severity lowered by the host role): A.
    CHECK(security({finding("SM-T010", Severity::Info)}) == PackScore{96, "A"});
    // The registry's rules: SM-S020 (the greeting) stands for Appendix A's confSMTP_LOGIN_MSG.
    auto registry = compute_scores({finding("SM-S020", Severity::Info)});
    CHECK(registry[Pack::Security] == PackScore{96, "A"});
}

TEST_CASE("every hardening extra names a catalog entry's rule and Appendix A's setting") {
    for (const HardeningExtra& extra : hardening_extras()) {
        CAPTURE(extra.rule_id);
        CHECK(!extra.appendix.empty());
        // SM-S020 is SEC-020, SM-P007 is PERF-007 (docs/rules/index.md).
        const std::string number(extra.rule_id.substr(4));
        const std::string catalog_id = (extra.rule_id[3] == 'S' ? "SEC-" : "PERF-") + number;
        bool found = false;
        for (const CatalogEntry& entry : catalog())
            found |= entry.id == catalog_id;
        CHECK(found);
        CHECK(is_hardening_extra(extra.rule_id));
    }
    CHECK_FALSE(is_hardening_extra("SM-S001"));
}
