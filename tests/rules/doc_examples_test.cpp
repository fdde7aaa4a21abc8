// The examples of every doc page are tests: the rule fires on its Bad example and stays quiet on
// its Good example (ruff's and clang-tidy's rule docs work the same way).
#include "engine/rule_docs.hpp"
#include "mc_test_support.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;

namespace {

// Whether a block returned by doc_code_block() is fenced ```mc.
bool is_mc_block(std::string_view page, std::string_view block) {
    size_t fence = page.rfind("```", static_cast<size_t>(block.data() - page.data()));
    return fence != std::string_view::npos && page.substr(fence + 3).starts_with("mc\n");
}

// A ```mc example is expanded by the m4 engine with the installed cf tree and audited as
// `smaudit` audits an .mc (build_mc_config); any other block is a .cf.
test::RuleRun run_example(const Rule& rule, std::string_view page, std::string_view block,
                          const std::string& name) {
    if (!is_mc_block(page, block)) return test::run_rule(rule.id, std::string(block), name + ".cf");
    test::RuleRun run = test::run_mc_rule(rule.id, std::string(block), name + ".mc");
    // m4's own messages (SM-E105) come with the patterns several .mc rules are about (an
    // ordering error, an open relay's warning); they are tested with SM-E105's page.
    std::erase_if(run.parse_diagnostics,
                  [](const Diagnostic& d) { return d.rule_id == "SM-E105"; });
    return run;
}

} // namespace

TEST_CASE("each rule fires on its Bad example and not on its Good example") {
    for (const Rule& rule : all_rules()) {
        // Syntax codes come from a parser, not from a check: their examples are tested with their
        // parser (tests/cf, tests/model, tests/m4, tests/maps).
        if (rule.pack == Pack::Syntax) continue;
        INFO("rule ", rule.id);
        std::string_view page = rule_doc(rule.id);
        std::string_view bad = doc_code_block(page, "Bad example");
        std::string_view good = doc_code_block(page, "Good example");
        REQUIRE_FALSE(bad.empty());
        REQUIRE_FALSE(good.empty());

        if (is_mc_block(page, bad) && test::installed_cf_tree().empty()) {
            MESSAGE("no sendmail cf tree installed: the .mc examples of ", rule.id, " not run");
            continue;
        }
        test::RuleRun bad_run = run_example(rule, page, bad, "bad-example");
        CHECK(bad_run.parse_diagnostics.empty());
        CHECK_MESSAGE(!bad_run.findings.empty(), rule.id, " does not fire on:\n", bad);
        for (const Diagnostic& d : bad_run.findings)
            CHECK(d.rule_id == rule.id);

        test::RuleRun good_run = run_example(rule, page, good, "good-example");
        CHECK(good_run.parse_diagnostics.empty());
        std::string found;
        for (const Diagnostic& d : good_run.findings)
            found += "\n  " + d.message;
        CHECK_MESSAGE(good_run.findings.empty(), rule.id, " fires on its good example:", found);
    }
}
