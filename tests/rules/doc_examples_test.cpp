// The examples of every doc page are tests: the rule fires on its Bad example and stays quiet on
// its Good example (ruff's and clang-tidy's rule docs work the same way).
#include "engine/rule_docs.hpp"
#include "rule_test_support.hpp"

using namespace smaudit;

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

        test::RuleRun bad_run = test::run_rule(rule.id, std::string(bad), "bad-example.cf");
        CHECK(bad_run.parse_diagnostics.empty());
        CHECK_MESSAGE(!bad_run.findings.empty(), rule.id, " does not fire on:\n", bad);
        for (const Diagnostic& d : bad_run.findings)
            CHECK(d.rule_id == rule.id);

        test::RuleRun good_run = test::run_rule(rule.id, std::string(good), "good-example.cf");
        CHECK(good_run.parse_diagnostics.empty());
        std::string found;
        for (const Diagnostic& d : good_run.findings)
            found += "\n  " + d.message;
        CHECK_MESSAGE(good_run.findings.empty(), rule.id, " fires on its good example:", found);
    }
}
