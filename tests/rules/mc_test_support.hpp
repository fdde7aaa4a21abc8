// Runs one rule on .mc text the way `smaudit audit` does: the safe m4 engine with the installed
// cf tree, the expansion parsed and modelled (build_mc_config), then the rule alone with the
// expansion in its context.
#pragma once

#include "analyze/drift.hpp"
#include "app/mc_config.hpp"
#include "rule_test_support.hpp"

#include <sstream>

namespace smaudit::test {

// The installed cf tree the tests expand with; empty when there is none (tests then skip).
inline std::string installed_cf_tree() {
    return m4::find_cf_dir("").value_or(std::string());
}

// Several rules at once, their findings in report order (sort_diagnostics).
inline RuleRun run_mc_rules(const std::vector<std::string_view>& rule_ids, std::string text,
                            std::string path = "test.mc", std::vector<NamedText> named = {},
                            const std::string& map_db_root = {}) {
    RuleRun run;
    run.file = run.sources.add(std::move(path), std::move(text), FileKind::Mc);
    McConfig mc =
        build_mc_config(run.sources, run.file, installed_cf_tree(), run.parse_diagnostics);
    std::vector<const Rule*> rules;
    for (std::string_view rule_id : rule_ids) {
        rules.push_back(find_rule(rule_id));
        REQUIRE_MESSAGE(rules.back() != nullptr, "no rule ", rule_id);
    }
    const model::NamedFiles files = named_files_of(run.sources, mc.config, std::move(named));
    RuleContext context{run.sources, mc.config, &mc.expansion};
    if (!files.files.empty()) context.named_files = &files;
    const std::string& config_path = run.sources.get(run.file).path();
    const RootedTree map_db_tree(map_db_root.empty() ? "/" : map_db_root);
    const model::MapDatabases databases =
        map_db_root.empty() ? model::MapDatabases{}
                            : inspect_map_databases(references_of(mc.config, nullptr, config_path),
                                                    &map_db_tree, InPlaceDirs(config_path, {}));
    if (!map_db_root.empty()) context.map_databases = &databases;
    run_rules(rules, context, run.findings);
    drop_indirect_fixes(mc, run.findings, 0, files.file_ids());
    sort_diagnostics(run.findings, run.sources);
    return run;
}

inline RuleRun run_mc_rule(std::string_view rule_id, std::string text, std::string path = "test.mc",
                           std::vector<NamedText> named = {}, const std::string& map_db_root = {}) {
    return run_mc_rules({rule_id}, std::move(text), std::move(path), std::move(named), map_db_root);
}

// The .cf beside an .mc that SM-C006's examples and fixtures give as a diff of the .mc's output
// (a whole generated .cf is too long to show): the `-` lines, one stretch in order, replaced by
// the `+` lines; without `-` lines the `+` lines are added at the end. Other lines are ignored.
inline std::string apply_cf_diff(std::string generated, std::string_view diff) {
    std::string removed, added;
    std::istringstream lines{std::string(diff)};
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("-")) removed += line.substr(1) + "\n";
        if (line.starts_with("+")) added += line.substr(1) + "\n";
    }
    if (removed.empty()) return generated + added;
    const size_t at = generated.find(removed);
    REQUIRE_MESSAGE(at != std::string::npos, "the .mc's output has no lines\n", removed);
    return generated.replace(at, removed.size(), added);
}

struct LoadedCfRun : RuleRun {
    FileId cf = kNoFile; // the .cf beside the .mc (RuleRun::file)
};

// Runs one rule on an .mc audited with the .cf that sendmail loads beside it, as `smaudit DIR`
// runs sendmail.mc when sendmail.cf is there; `cf_diff` makes that .cf of the .mc's output.
inline LoadedCfRun run_mc_rule_with_loaded_cf(std::string_view rule_id, std::string mc_text,
                                              std::string_view cf_diff,
                                              std::string mc_path = "sendmail.mc",
                                              std::string cf_path = "sendmail.cf") {
    LoadedCfRun run;
    run.file = run.sources.add(std::move(mc_path), std::move(mc_text), FileKind::Mc);
    McConfig mc =
        build_mc_config(run.sources, run.file, installed_cf_tree(), run.parse_diagnostics);
    run.cf = run.sources.add(std::move(cf_path), apply_cf_diff(mc.expansion.text, cf_diff),
                             FileKind::Cf);
    const analyze::CfDrift drift =
        analyze::compare_with_generated(run.sources, run.cf, mc.expansion.text);
    const Rule* rule = find_rule(rule_id);
    REQUIRE_MESSAGE(rule != nullptr, "no rule ", rule_id);
    RuleContext context{run.sources, mc.config, &mc.expansion, nullptr, true, &drift};
    size_t first = run.findings.size();
    run_rules({rule}, context, run.findings);
    drop_indirect_fixes(mc, run.findings, first);
    return run;
}

} // namespace smaudit::test
