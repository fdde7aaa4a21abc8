// Runs one rule on .mc text the way `smaudit audit` does: the safe m4 engine with the installed
// cf tree, the expansion parsed and modelled (build_mc_config), then the rule alone with the
// expansion in its context.
#pragma once

#include "app/mc_config.hpp"
#include "rule_test_support.hpp"

namespace smaudit::test {

// The installed cf tree the tests expand with; empty when there is none (tests then skip).
inline std::string installed_cf_tree() {
    return m4::find_cf_dir("").value_or(std::string());
}

// Several rules at once, their findings in report order (sort_diagnostics).
inline RuleRun run_mc_rules(const std::vector<std::string_view>& rule_ids, std::string text,
                            std::string path = "test.mc") {
    RuleRun run;
    run.file = run.sources.add(std::move(path), std::move(text), FileKind::Mc);
    McConfig mc =
        build_mc_config(run.sources, run.file, installed_cf_tree(), run.parse_diagnostics);
    std::vector<const Rule*> rules;
    for (std::string_view rule_id : rule_ids) {
        rules.push_back(find_rule(rule_id));
        REQUIRE_MESSAGE(rules.back() != nullptr, "no rule ", rule_id);
    }
    RuleContext context{run.sources, mc.config, &mc.expansion};
    run_rules(rules, context, run.findings);
    drop_indirect_fixes(mc, run.findings, 0);
    sort_diagnostics(run.findings, run.sources);
    return run;
}

inline RuleRun run_mc_rule(std::string_view rule_id, std::string text,
                           std::string path = "test.mc") {
    return run_mc_rules({rule_id}, std::move(text), std::move(path));
}

} // namespace smaudit::test
