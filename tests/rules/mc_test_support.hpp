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

inline RuleRun run_mc_rule(std::string_view rule_id, std::string text,
                           std::string path = "test.mc") {
    RuleRun run;
    run.file = run.sources.add(std::move(path), std::move(text), FileKind::Mc);
    McConfig mc =
        build_mc_config(run.sources, run.file, installed_cf_tree(), run.parse_diagnostics);
    const Rule* rule = find_rule(rule_id);
    REQUIRE_MESSAGE(rule != nullptr, "no rule ", rule_id);
    RuleContext context{run.sources, mc.config, &mc.expansion};
    size_t first = run.findings.size();
    run_rules({rule}, context, run.findings);
    drop_indirect_fixes(mc, run.findings, first);
    return run;
}

} // namespace smaudit::test
