// Runs one rule on text maps (access, aliases, relay-domains class file, virtusertable), with an
// optional .cf beside them, the way `smaudit audit` runs it on a directory: each map parsed by
// its parser into one ParsedMaps, the .cf (if any) through parse_cf and build_config; without a .cf
// the rule sees an empty configuration with `config_present` false.
#pragma once

#include "rule_test_support.hpp"

#include "model/map_set.hpp"
#include "parse/maps.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace smaudit::test {

// The map kind a fixture or example file stands for, from its name's last extension.
inline std::optional<FileKind> map_kind_of(std::string_view name) {
    if (name.ends_with(".access") || name == "access") return FileKind::Access;
    if (name.ends_with(".aliases") || name == "aliases") return FileKind::Aliases;
    if (name.ends_with(".relay-domains") || name == "relay-domains") return FileKind::ClassFile;
    if (name.ends_with(".trusted-users") || name == "trusted-users") return FileKind::ClassFile;
    if (name.ends_with(".virtusertable") || name == "virtusertable") return FileKind::KeyValueMap;
    return std::nullopt;
}

struct MapRun {
    SourceSet sources;
    std::vector<FileId> files; // in the order given
    std::vector<Diagnostic> parse_diagnostics;
    model::ParsedMaps maps;
    std::vector<Diagnostic> findings;

    uint32_t line(const Diagnostic& d) const {
        return d.where.valid() ? sources.get(d.where.file).position(d.where.span.begin).line : 0;
    }
    std::string_view text(Location where) const {
        return sources.get(where.file).slice(where.span);
    }
};

// `files`: {path, text} pairs; paths ending in .cf are the configuration (at most one), the
// others must have a map kind.
inline MapRun run_rule_on_maps(std::string_view rule_id,
                               std::vector<std::pair<std::string, std::string>> files) {
    MapRun run;
    std::optional<ast::CfFile> cf;
    for (auto& [path, text] : files) {
        bool is_cf = path.ends_with(".cf");
        std::optional<FileKind> kind = is_cf ? FileKind::Cf : map_kind_of(path);
        REQUIRE_MESSAGE(kind.has_value(), "no map kind for ", path);
        FileId id = run.sources.add(path, std::move(text), *kind);
        run.files.push_back(id);
        if (is_cf) {
            REQUIRE_MESSAGE(!cf.has_value(), "two .cf files in one run");
            cf = parse_cf(run.sources, id, run.parse_diagnostics);
        } else {
            REQUIRE(run.maps.parse(run.sources, id, *kind, run.parse_diagnostics));
        }
    }
    model::Config config;
    if (cf) config = model::build_config(run.sources, *cf, run.parse_diagnostics);
    const Rule* rule = find_rule(rule_id);
    REQUIRE_MESSAGE(rule != nullptr, "no rule ", rule_id);
    model::MapSet maps = run.maps.view([](FileId) { return true; });
    RuleContext context{run.sources, config, nullptr, maps.empty() ? nullptr : &maps,
                        cf.has_value()};
    run_rules({rule}, context, run.findings);
    // A finding about a default belongs to the configuration, as the audit reports it.
    if (cf)
        for (Diagnostic& d : run.findings)
            if (!d.where.valid()) d.config_file = cf->file;
    return run;
}

} // namespace smaudit::test
