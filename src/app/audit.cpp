#include "app/audit.hpp"

#include "app/mc_config.hpp"
#include "engine/rule.hpp"
#include "engine/score.hpp"
#include "engine/suppress.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"
#include "parse/maps_show.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace smaudit {

namespace {

// Reads a whole file as bytes. Returns false with a message when it cannot.
bool read_file(const std::string& path, std::string& text, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open file";
        return false;
    }
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    if (size > static_cast<std::streamoff>(kMaxFileBytes)) {
        error = "file is larger than 256 MiB";
        return false;
    }
    in.seekg(0, std::ios::beg);
    if (size > 0) {
        text.resize(static_cast<size_t>(size));
        in.read(text.data(), size);
        text.resize(static_cast<size_t>(in.gcount()));
    } else {
        // Pipes and /proc files report no size: read what there is, within the limit.
        std::ostringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
        if (text.size() > kMaxFileBytes) {
            error = "file is larger than 256 MiB";
            return false;
        }
    }
    if (in.bad()) {
        error = "read error";
        return false;
    }
    return true;
}

// Keeps a parser's syntax diagnostics only when their code is selected (they are rules too).
bool diagnostic_selected(const RuleSelection& selection, const Diagnostic& d) {
    const Rule* rule = find_rule(d.rule_id);
    return rule == nullptr || rule_selected(selection, *rule);
}

// Parses a text map; its syntax findings join the report and `show` gets its entries.
void audit_map(AuditRun& run, FileId id, FileKind kind, std::vector<Diagnostic>& out) {
    AuditedMap audited{id, {}};
    switch (kind) {
    case FileKind::Access:
        audited.shown = map_show_json(run.sources, parse_access(run.sources, id, out));
        break;
    case FileKind::Aliases:
        audited.shown = map_show_json(run.sources, parse_aliases(run.sources, id, out));
        break;
    case FileKind::ClassFile:
        audited.shown = map_show_json(run.sources, parse_class_file(run.sources, id, out));
        break;
    case FileKind::KeyValueMap:
        audited.shown = map_show_json(run.sources, parse_kv_map(run.sources, id, out));
        break;
    default:
        return;
    }
    run.maps.push_back(std::move(audited));
}

} // namespace

std::unique_ptr<AuditRun> run_audit(const AuditRequest& request, bool run_rules_too) {
    auto run = std::make_unique<AuditRun>();
    std::vector<DiscoveredFile> files = discover(request.paths, request.forced_kind, run->errors);
    std::vector<const Rule*> rules = selected_rules(request.selection);
    std::vector<Diagnostic> diagnostics;

    for (const DiscoveredFile& found : files) {
        std::string text, error;
        if (!read_file(found.path, text, error)) {
            run->errors.push_back({found.path, error});
            continue;
        }
        FileKind kind = found.kind == FileKind::Unknown ? kind_from_content(text) : found.kind;
        FileId id = run->sources.add(found.path, std::move(text), kind);
        run->result.files.push_back(id);

        if (kind == FileKind::Cf) {
            std::vector<Diagnostic> parse_diagnostics;
            ast::CfFile cf = parse_cf(run->sources, id, parse_diagnostics);
            AuditedConfig audited{id, model::build_config(run->sources, cf, parse_diagnostics)};
            if (run_rules_too && !found.msp_found_in_directory) {
                RuleContext context{run->sources, audited.config};
                run_rules(rules, context, diagnostics);
            }
            for (Diagnostic& d : parse_diagnostics)
                if (diagnostic_selected(request.selection, d)) diagnostics.push_back(std::move(d));
            run->configs.push_back(std::move(audited));
        } else if (kind == FileKind::Mc) {
            std::vector<Diagnostic> parse_diagnostics;
            McConfig mc = build_mc_config(run->sources, id, request.cf_dir, parse_diagnostics);
            if (run_rules_too && !found.msp_found_in_directory) {
                size_t first = diagnostics.size();
                RuleContext context{run->sources, mc.config};
                run_rules(rules, context, diagnostics);
                drop_indirect_fixes(mc, diagnostics, first);
            }
            for (Diagnostic& d : parse_diagnostics)
                if (diagnostic_selected(request.selection, d)) diagnostics.push_back(std::move(d));
            run->configs.push_back({id, std::move(mc.config)});
        } else {
            std::vector<Diagnostic> parse_diagnostics;
            audit_map(*run, id, kind, parse_diagnostics);
            for (Diagnostic& d : parse_diagnostics)
                if (diagnostic_selected(request.selection, d)) diagnostics.push_back(std::move(d));
        }
    }

    apply_suppressions(run->sources, run->result.files, diagnostics);
    sort_diagnostics(diagnostics, run->sources);
    run->result.scores = compute_scores(diagnostics);
    run->result.diagnostics = std::move(diagnostics);
    return run;
}

} // namespace smaudit
