// Runs one rule on .cf text the way `smaudit audit` does (parse_cf, build_config, the rule
// alone), for the fixture, doc-example and per-rule tests of tests/rules.
#pragma once

#include "app/map_databases.hpp"
#include "engine/rule.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <string>
#include <vector>

namespace smaudit::test {

struct RuleRun {
    SourceSet sources;
    FileId file = kNoFile;
    std::vector<Diagnostic> parse_diagnostics; // from parse_cf and build_config
    std::vector<Diagnostic> findings;          // from the rule

    // The one finding the rule reported (fails the test unless there is exactly one).
    const Diagnostic& only() const {
        REQUIRE(findings.size() == 1);
        return findings[0];
    }
    // 1-based line of a finding, 0 for one about a default (no line).
    uint32_t line(Location where) const {
        return where.valid() ? sources.get(where.file).position(where.span.begin).line : 0;
    }
    uint32_t line(const Diagnostic& d) const { return line(d.where); }
    std::string_view text(Location where) const {
        return sources.get(where.file).slice(where.span);
    }
    // The file (the configuration, or `in`: a help file) after applying every edit of one fix
    // (edits must not overlap).
    std::string apply(const Fix& fix, FileId in = kNoFile) const {
        const FileId target = in == kNoFile ? file : in;
        std::vector<Edit> edits = fix.edits;
        std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
            return a.where.span.begin > b.where.span.begin;
        });
        std::string out = sources.get(target).text();
        for (const Edit& e : edits) {
            REQUIRE(e.where.file == target);
            out.replace(e.where.span.begin, e.where.span.size(), e.replacement);
        }
        return out;
    }
};

// A file the configuration names, given as text: the help file a test or fixture supplies, as
// the audit reads it from disk (app/named_files.hpp) when it sits beside the configuration.
struct NamedText {
    std::string option; // "HelpFile"
    std::string path;   // the name it gets in the SourceSet ("bad.helpfile")
    std::string text;
};

// The files of `named` as read, for the options `config` sets.
inline model::NamedFiles named_files_of(SourceSet& sources, const model::Config& config,
                                        std::vector<NamedText> named) {
    model::NamedFiles files;
    for (NamedText& n : named) {
        const model::OptionValue* option = config.option(n.option);
        REQUIRE_MESSAGE(option != nullptr, "the configuration does not set ", n.option);
        const FileId id = sources.add(n.path, std::move(n.text));
        model::NamedFile file{
            n.option, option->value, model::NamedFile::Found::Read, n.path, false, id, {}};
        files.files.push_back(std::move(file));
    }
    return files;
}

// `map_db_root`: a tree whose map databases the rule sees (map_db_tree.hpp); empty: none.
inline RuleRun run_rule(std::string_view rule_id, std::string text, std::string path = "test.cf",
                        std::vector<NamedText> named = {}, const std::string& map_db_root = {}) {
    RuleRun run;
    run.file = run.sources.add(std::move(path), std::move(text), FileKind::Cf);
    ast::CfFile cf = parse_cf(run.sources, run.file, run.parse_diagnostics);
    model::Config config = model::build_config(run.sources, cf, run.parse_diagnostics);
    const Rule* rule = find_rule(rule_id);
    REQUIRE_MESSAGE(rule != nullptr, "no rule ", rule_id);
    const model::NamedFiles files = named_files_of(run.sources, config, std::move(named));
    RuleContext context{run.sources, config};
    if (!files.files.empty()) context.named_files = &files;
    const std::string& config_path = run.sources.get(run.file).path();
    const RootedTree map_db_tree(map_db_root.empty() ? "/" : map_db_root);
    const model::MapDatabases databases =
        map_db_root.empty() ? model::MapDatabases{}
                            : inspect_map_databases(references_of(config, nullptr, config_path),
                                                    &map_db_tree, InPlaceDirs(config_path, {}));
    if (!map_db_root.empty()) context.map_databases = &databases;
    run_rules({rule}, context, run.findings);
    return run;
}

} // namespace smaudit::test
