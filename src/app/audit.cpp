#include "app/audit.hpp"

#include "analyze/drift.hpp"
#include "app/baseline.hpp"
#include "app/map_databases.hpp"
#include "app/mc_config.hpp"
#include "app/named_files.hpp"
#include "app/referenced_files.hpp"
#include "engine/role_severity.hpp"
#include "engine/rule.hpp"
#include "engine/score.hpp"
#include "engine/suppress.hpp"
#include "model/model_diagnostics.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <unordered_set>

namespace smaudit {

bool read_file_text(const std::string& path, std::string& text, std::string& error) {
    FileRead read = read_regular_file(path);
    if (!read.ok()) {
        error = std::move(read.error);
        return false;
    }
    text = std::move(read.text);
    return true;
}

bool read_config_text(const std::string& path, std::string& text, std::string& error,
                      std::optional<Position>* place) {
    if (!read_file_text(path, text, error)) return false;
    OverlongLine overlong = overlong_line(text);
    if (overlong.line == 0) return true;
    error = std::move(overlong.message);
    if (place != nullptr) *place = Position{overlong.line, overlong.column};
    text.clear();
    return false;
}

namespace {

// Keeps a parser's syntax diagnostics only when their code is selected (they are rules too).
bool diagnostic_selected(const RuleSelection& selection, const Diagnostic& d) {
    const Rule* rule = find_rule(d.rule_id);
    return rule == nullptr || rule_selected(selection, *rule);
}

std::string directory_of(const SourceSet& sources, FileId file) {
    return std::filesystem::path(sources.get(file).path()).parent_path().string();
}

// The maps of one directory (a configuration reads the maps beside it).
model::MapSet maps_in(const AuditRun& run, const std::string& dir) {
    return run.maps.view([&](FileId f) { return directory_of(run.sources, f) == dir; });
}

// An .mc and the .cf that sendmail loads beside it: the same directory and stem (sendmail.mc
// and sendmail.cf). Both are audited; what the .cf shares with the .mc's output is reported
// once, at the .mc, and the rest at the .cf. Paired only when the .mc expanded completely with
// a cf tree: the .cf is then compared with the very text the .mc generates.
struct LoadedCf {
    const AuditedConfig* mc = nullptr;
    const AuditedConfig* cf = nullptr;
    analyze::CfDrift drift;
};

// When the audit looked at the file system (live /etc/mail or --root): the configuration
// file's modification time.
std::optional<int64_t> config_mtime(const AuditedConfig& config) {
    for (const model::ReferencedFile* file :
         config.referenced.with_role(model::FileRole::ConfigFile))
        if (file->presence == model::Presence::Present) return file->stat.mtime;
    return std::nullopt;
}

std::vector<LoadedCf> loaded_cf_pairs(const AuditRun& run) {
    std::vector<LoadedCf> pairs;
    auto stem = [&](FileId file) {
        return std::filesystem::path(run.sources.get(file).path()).stem().string();
    };
    for (const AuditedConfig& mc : run.configs) {
        if (!mc.mc || !mc.rules_run || !mc.mc->expansion.complete ||
            mc.mc->expansion.cf_dir.empty())
            continue;
        for (const AuditedConfig& cf : run.configs)
            if (!cf.mc && cf.rules_run &&
                directory_of(run.sources, cf.file) == directory_of(run.sources, mc.file) &&
                stem(cf.file) == stem(mc.file)) {
                pairs.push_back(
                    {&mc, &cf,
                     analyze::compare_with_generated(run.sources, cf.file, mc.mc->expansion.text)});
                pairs.back().drift.mc_mtime = config_mtime(mc);
                pairs.back().drift.cf_mtime = config_mtime(cf);
            }
    }
    return pairs;
}

// A finding's identity across the loaded .cf and the .mc's output: its rule and message, and
// its place. A place in either .cf text is the text of the lines it is on as sendmail reads
// them (the same line in both is the same setting, wherever the files' lines shifted); a place
// in another file (a map) is that file's bytes; a default has none.
std::string finding_identity(const SourceSet& sources, const Diagnostic& d, const LoadedCf& pair) {
    std::string identity = d.rule_id + '\n' + d.message + '\n';
    const Location where = d.where;
    if (!where.valid()) return identity;
    if (where.file != pair.cf->file && where.file != pair.mc->mc->generated)
        return identity + std::to_string(where.file) + ':' + std::to_string(where.span.begin) +
               '-' + std::to_string(where.span.end);
    const SourceFile& file = sources.get(where.file);
    const uint32_t last = file.position(where.span.end).line;
    for (uint32_t line = file.position(where.span.begin).line; line <= last; ++line)
        identity += analyze::compared_line(file.line_text(line)) + '\n';
    return identity;
}

// The identities of what the .mc's output yields audited as the .cf it is, places left in that
// text (its syntax diagnostics too): what the .cf beside it is compared with, finding by finding.
// Without `rules` (nothing to compare them with), its syntax diagnostics alone, as the .mc's
// expansion found them.
std::unordered_multiset<std::string> generated_finding_ids(const AuditRun& run,
                                                           const LoadedCf& pair,
                                                           const std::vector<const Rule*>& rules,
                                                           const RuleSelection& selection,
                                                           const RuleContext& loaded) {
    std::unordered_multiset<std::string> identities;
    auto add = [&](const Diagnostic& d) {
        if (diagnostic_selected(selection, d))
            identities.insert(finding_identity(run.sources, d, pair));
    };
    if (rules.empty()) {
        std::for_each(pair.mc->mc->generated_syntax.begin(), pair.mc->mc->generated_syntax.end(),
                      add);
        return identities;
    }
    std::vector<Diagnostic> found;
    const ast::CfFile cf = parse_cf(run.sources, pair.mc->mc->generated, found);
    const model::Config config = model::build_config(run.sources, cf, found);
    // Judged for the loaded .cf's role: the same setting then reads the same in both.
    RuleContext context{run.sources, config, nullptr, loaded.maps};
    context.role = loaded.role;
    context.host = loaded.host;
    context.named_files = loaded.named_files;
    context.map_databases = loaded.map_databases;
    context.referenced = loaded.referenced;
    context.severity_overrides = loaded.severity_overrides;
    run_rules(rules, context, found);
    std::for_each(found.begin(), found.end(), add);
    return identities;
}

// A finding of the loaded .cf that the .mc's output does not have: sendmail acts on it, and
// the .mc gives no sign of it.
void mark_cf_only(const SourceSet& sources, const LoadedCf& pair, Diagnostic& d) {
    const std::string cf =
        std::filesystem::path(sources.get(pair.cf->file).path()).filename().string();
    const std::string mc =
        std::filesystem::path(sources.get(pair.mc->file).path()).filename().string();
    d.message += " (only in " + cf + ", which sendmail loads: " + mc + " generates something else)";
    if (d.fix && std::all_of(d.fix->edits.begin(), d.fix->edits.end(),
                             [&](const Edit& e) { return e.where.file == pair.cf->file; }))
        d.fix->title += " in " + cf + " (rebuilding it from " + mc + " would overwrite this edit)";
}

// Reports the loaded .cf's findings and syntax diagnostics that its .mc's output shares once:
// they are dropped here, the .mc reports them. The others are marked as the .cf's own.
void report_shared_once(const AuditRun& run, const LoadedCf& pair,
                        std::unordered_multiset<std::string>& shared,
                        std::vector<Diagnostic>& cf_findings) {
    std::erase_if(cf_findings, [&](Diagnostic& d) {
        auto it = shared.find(finding_identity(run.sources, d, pair));
        if (it != shared.end()) {
            shared.erase(it);
            return true;
        }
        mark_cf_only(run.sources, pair, d);
        return false;
    });
}

// Audits the loaded .cf of `pair` (its rules run in `context`, its syntax diagnostics taken out
// of `syntax`) and adds to `diagnostics` what the .mc's output does not share. When sendmail
// reads the very same bytes from both (drift's same_bytes: only comments and empty lines
// differ), the rules find the same in both and every finding is the .mc's: they are not run
// (they are the most of an audit's work: SM-S065's relay probes), the syntax is still compared.
void audit_loaded_cf(const AuditRun& run, const LoadedCf& pair, const RuleContext& context,
                     const std::vector<const Rule*>& rules, const RuleSelection& selection,
                     std::vector<Diagnostic>& syntax, std::vector<Diagnostic>& diagnostics) {
    const bool same_rules_findings = pair.drift.same_bytes;
    static const std::vector<const Rule*> no_rules;
    const std::vector<const Rule*>& compared = same_rules_findings ? no_rules : rules;
    std::vector<Diagnostic> cf_findings;
    run_rules(compared, context, cf_findings);
    const FileId cf = pair.cf->file;
    auto of_cf = std::stable_partition(syntax.begin(), syntax.end(), [&](const Diagnostic& d) {
        return d.where.valid() ? d.where.file != cf : d.config_file != cf;
    });
    for (auto it = of_cf; it != syntax.end(); ++it)
        if (diagnostic_selected(selection, *it)) cf_findings.push_back(std::move(*it));
    syntax.erase(of_cf, syntax.end());
    std::unordered_multiset<std::string> shared =
        generated_finding_ids(run, pair, compared, selection, context);
    report_shared_once(run, pair, shared, cf_findings);
    std::move(cf_findings.begin(), cf_findings.end(), std::back_inserter(diagnostics));
}

// Whether sendmail refuses to start on a .cf with this diagnostic's error: the codes whose table
// says so (SyntaxCode::stops_sendmail; every .cf code but SM-E013..SM-E015, and SM-E050..SM-E053,
// checked with sendmail 8.17 by tests/scripts/cf_errors_stop_sendmail.sh).
bool sendmail_refuses(const Diagnostic& d) {
    for (auto codes : {cf_syntax_rules(), model::model_syntax_codes()})
        for (const SyntaxCode& code : codes)
            if (code.id == d.rule_id) return code.stops_sendmail;
    return false;
}

// "path:line: message" of a diagnostic, or "path: message" without a line; without the
// message's "sendmail refuses to start" ending, which the caller says in its own words.
std::string place_and_message(const SourceSet& sources, const Diagnostic& d,
                              const std::string& path) {
    std::string place = path;
    if (uint32_t line = sources.line_of(d.where))
        place = sources.find(d.where.file)->path() + ":" + std::to_string(line);
    std::string_view message = d.message;
    if (message.ends_with(kStopsSendmail)) message.remove_suffix(kStopsSendmail.size());
    return place + ": " + std::string(message);
}

// Whether a syntax diagnostic is about the .cf of `audited` (for an .mc, the .cf it makes, whose
// places were moved to the .mc, to the files it read, or to none for the cf tree's own text).
bool about_config(const AuditedConfig& audited, const Diagnostic& d) {
    if (!d.where.valid()) return d.config_file == audited.file;
    if (d.where.file == audited.file) return true;
    if (!audited.mc) return false;
    const auto& included = audited.mc->expansion.included_by;
    return d.where.file == audited.mc->generated ||
           std::any_of(included.begin(), included.end(),
                       [&](const auto& file) { return file.file == d.where.file; });
}

// Why sendmail would get no configuration from `audited`, or "" when it would: for an .mc, the
// real m4 fails (a missing OSTYPE/DOMAIN/FEATURE/MAILER/include file, input ending inside a
// quote, comment or argument list: m4 exits non-zero), smaudit stopped expanding at a limit, or
// there is no cf tree to expand it with (only the .mc's own defines were read); for either kind,
// sendmail refuses the .cf (sendmail_refuses). The real m4 exits 0 after errprint messages and
// bad builtin arguments: those configurations are built.
std::string why_not_built(const AuditRun& run, const AuditedConfig& audited,
                          const std::vector<Diagnostic>& syntax) {
    const std::string& path = run.sources.get(audited.file).path();
    if (audited.mc) {
        const m4::Expansion& expansion = audited.mc->expansion;
        if (expansion.cf_dir.empty())
            return path + " could not be built: no sendmail cf tree was found to expand it with "
                          "(SM-E101), so only its own define() lines were read";
        for (const Diagnostic& d : expansion.diagnostics)
            if (d.rule_id == m4::kM4FileNotFound.id || d.rule_id == m4::kM4Unterminated.id ||
                d.rule_id == m4::kM4LimitExceeded.id)
                return path + " could not be built (" + place_and_message(run.sources, d, path) +
                       ")";
        if (!expansion.complete) return path + " could not be built (m4 expansion incomplete)";
    }
    for (const Diagnostic& d : syntax)
        if (sendmail_refuses(d) && about_config(audited, d))
            return path + " would not load: sendmail refuses " +
                   (audited.mc ? "the .cf it makes" : "a .cf") + " with this error (" +
                   place_and_message(run.sources, d, path) + ")";
    return {};
}

// Why the run's packs cannot be graded because a configuration could not be built: the first
// such configuration's reason, with the number of others; "" when every one was built.
std::string why_any_not_built(const AuditRun& run, const std::vector<Diagnostic>& syntax) {
    std::string first;
    size_t others = 0;
    for (const AuditedConfig& audited : run.configs) {
        if (!audited.rules_run) continue;
        std::string why = why_not_built(run, audited, syntax);
        if (why.empty()) continue;
        if (first.empty())
            first = std::move(why);
        else
            ++others;
    }
    if (others > 0)
        first += " (and " + std::to_string(others) + " more configuration" +
                 (others == 1 ? "" : "s") + " that could not be built)";
    return first;
}

// Which suppression codes the run reports (engine/suppress.hpp). A comment is judged unused
// only where every finding of its rule is known: the rules ran, every configuration was built,
// and the file is not a .cf whose findings an .mc beside it reports (report_shared_once) nor one
// only syntax-checked (a submit.cf found in a directory).
SuppressionChecks suppression_checks(const AuditRun& run, const AuditRequest& request,
                                     bool rules_ran, const std::string& not_built,
                                     const std::vector<LoadedCf>& pairs) {
    const RuleSelection& selection = request.selection;
    auto selected = [&](std::string_view id) {
        const Rule* rule = find_rule(id);
        return rule != nullptr && rule_selected(selection, *rule);
    };
    SuppressionChecks checks;
    checks.without_reason = selected("SM-E302");
    if (!rules_ran || !not_built.empty() || !selected("SM-E301")) return checks;
    std::set<FileId> partial;
    for (const AuditedConfig& audited : run.configs)
        if (!audited.rules_run) partial.insert(audited.file);
    for (const LoadedCf& pair : pairs)
        partial.insert(pair.cf->file);
    checks.rule_ran_on = [partial, selection, &run, &request](const Rule& rule, FileId file) {
        return !partial.count(file) && rule_selected(selection, rule) &&
               !request.path_ignores.ignores(run.sources.get(file).path(), rule);
    };
    return checks;
}

// "per-path-ignores" of the project configuration: the findings of the rules a glob names in the
// files it matches are left out, as --ignore leaves out a rule's everywhere.
void leave_out_path_ignores(const SourceSet& sources, const PathIgnores& ignores,
                            std::vector<Diagnostic>& diagnostics) {
    if (ignores.empty()) return;
    std::map<FileId, std::optional<std::string>> relative; // each file's path resolved once
    std::erase_if(diagnostics, [&](const Diagnostic& d) {
        const FileId file = d.where.valid() ? d.where.file : d.config_file;
        const Rule* rule = find_rule(d.rule_id);
        if (file == kNoFile || rule == nullptr) return false;
        auto [at, added] = relative.try_emplace(file);
        if (added) at->second = ignores.relative(sources.get(file).path());
        return at->second && ignores.ignores_relative(*at->second, *rule);
    });
}

// The project's severity overrides for the codes no rule check emits (the parsers' syntax codes,
// the suppression codes): run_rules gives the checks' findings theirs, with the role's.
void override_parser_severities(const SeverityOverrides& overrides,
                                std::vector<Diagnostic>& diagnostics,
                                std::vector<SuppressedFinding>& suppressed) {
    if (overrides.empty()) return;
    auto apply = [&](Diagnostic& d) {
        const Rule* rule = find_rule(d.rule_id);
        if (rule != nullptr && !rule->check) apply_severity(*rule, nullptr, &overrides, d);
    };
    std::for_each(diagnostics.begin(), diagnostics.end(), apply);
    for (SuppressedFinding& s : suppressed)
        apply(s.finding);
}

// The files `audited` references, looked up under --root, or under "/" for the live /etc/mail;
// elsewhere (a copy in a repository) not looked up, and the rules that need them stay silent.
model::ReferencedFiles look_up_references(const AuditRequest& request, const std::string& path,
                                          const std::vector<FileReference>& references) {
    std::optional<RootedTree> tree;
    if (!request.root.empty())
        tree.emplace(request.root);
    else if (analyze::is_live_config(path))
        tree.emplace("/");
    return inspect_references(references, tree ? &*tree : nullptr,
                              "the configuration is not the live /etc/mail and no --root was "
                              "given");
}

// The report's list of referenced files: each (role, path) once, the not looked up left out.
void add_referenced_rows(const model::ReferencedFiles& referenced, AuditResult& result) {
    if (!referenced.inspected) return;
    result.root = referenced.root;
    for (const model::ReferencedFile& file : referenced.files) {
        using model::Presence;
        if (file.presence == Presence::NotChecked) continue;
        ReferencedFileRow row;
        row.role = std::string(model::to_string(file.role));
        row.path = file.named;
        row.named_by = file.source;
        if (std::any_of(result.referenced.begin(), result.referenced.end(),
                        [&](const ReferencedFileRow& r) {
                            return r.role == row.role && r.path == row.path;
                        }))
            continue;
        row.status = file.presence == Presence::Present       ? "present"
                     : file.presence == Presence::Missing     ? "missing"
                     : file.presence == Presence::OutsideRoot ? "outside-root"
                                                              : "unreadable";
        if (file.presence == Presence::Present) {
            if (file.stat.type == model::FileType::Regular) row.size = file.stat.size;
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(file.stat.mode));
            row.mode = mode;
            row.uid = file.stat.uid;
            row.gid = file.stat.gid;
        }
        row.why = file.why;
        result.referenced.push_back(std::move(row));
    }
}

} // namespace

ConfigRole config_role(const AuditedConfig& audited) {
    return {audited.file,       std::string(to_string(audited.role.role)),
            audited.role.given, std::string(to_string(audited.role.detected)),
            audited.role.why,   audited.role.exposed};
}

std::unique_ptr<AuditRun> run_audit(const AuditRequest& request, bool run_rules_too) {
    auto run = std::make_unique<AuditRun>();
    std::vector<DiscoveredFile> files = discover(request.paths, request.forced_kind, run->errors);
    std::vector<const Rule*> rules = selected_rules(request.selection);
    std::vector<Diagnostic> diagnostics, syntax;

    // 1. Read and parse every file.
    for (const DiscoveredFile& found : files) {
        std::string text, error;
        auto given = request.texts ? request.texts->find(found.path)
                                   : std::map<std::string, std::string>::const_iterator();
        if (request.texts && given != request.texts->end()) {
            text = given->second;
        } else if (std::optional<Position> place;
                   !read_config_text(found.path, text, error, &place)) {
            run->errors.push_back({found.path, error, place});
            continue;
        }
        FileKind kind = found.kind;
        if (kind == FileKind::Unknown) {
            ContentKind by_content = kind_from_content(text);
            kind = by_content.kind;
            if (kind == FileKind::Unknown) {
                // Passing it silently would give a file smaudit never read a clean report.
                run->errors.push_back(
                    {found.path,
                     "cannot tell what kind of file this is from its name or content (" +
                         by_content.doubt +
                         "); name it with --kind (cf, mc, access, aliases, class, map)"});
                continue;
            }
        }
        if (kind == FileKind::M4) {
            run->errors.push_back({found.path,
                                   "an m4 file (OSTYPE, DOMAIN, FEATURE, HACK) is "
                                   "read through the .mc that uses it: audit that .mc"});
            continue;
        }
        FileId id = run->sources.add(found.path, std::move(text), kind);
        run->result.files.push_back(id);

        if (kind == FileKind::Cf) {
            ast::CfFile cf = parse_cf(run->sources, id, syntax);
            run->configs.push_back({id,
                                    model::build_config(run->sources, cf, syntax),
                                    nullptr,
                                    !found.msp_found_in_directory,
                                    {},
                                    {},
                                    {},
                                    {},
                                    {}});
        } else if (kind == FileKind::Mc) {
            auto mc = std::make_shared<McConfig>(
                build_mc_config(run->sources, id, request.cf_dir, syntax, request.include_dirs));
            model::Config config = std::move(mc->config); // one copy, in AuditedConfig
            run->configs.push_back(
                {id, std::move(config), mc, !found.msp_found_in_directory, {}, {}, {}, {}, {}});
        } else {
            run->maps.parse(run->sources, id, kind, syntax);
        }
    }
    const std::string not_built = why_any_not_built(*run, syntax);
    std::vector<std::string> audited_dirs;
    for (const std::string& path : request.paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) audited_dirs.push_back(path);
    }
    std::optional<RootedTree> root;
    if (!request.root.empty()) root.emplace(request.root);
    for (AuditedConfig& audited : run->configs) {
        model::MapSet maps = maps_in(*run, directory_of(run->sources, audited.file));
        if (audited.rules_run) {
            const std::string path = run->sources.get(audited.file).path();
            audited.named_files = read_named_files(run->sources, audited.config, path, audited_dirs,
                                                   root ? &*root : nullptr);
            const std::vector<FileReference> references =
                references_of(audited.config, &maps, path);
            audited.map_databases = inspect_map_databases(references, root ? &*root : nullptr,
                                                          InPlaceDirs(path, audited_dirs));
            audited.referenced = look_up_references(request, path, references);
        }
        audited.role = model::detect_role(run->sources, audited.config, &maps);
        if (request.role) audited.role = model::given_role(*request.role, audited.role);
        // The machine speaks for the host only in a live audit (host_figures.hpp).
        const model::OptionValue* queue = audited.config.option("QueueDirectory");
        const analyze::HostProbe this_machine;
        const analyze::HostProbe* probe = request.probe ? request.probe : &this_machine;
        audited.host = analyze::resolve_host_figures(
            request.figures,
            analyze::is_live_config(run->sources.get(audited.file).path()) ? probe : nullptr,
            queue && !queue->is_default ? std::string_view(queue->value) : std::string_view());
        if (audited.rules_run) run->result.roles.push_back(config_role(audited));
        add_referenced_rows(audited.referenced, run->result);
    }

    // 2. Run the rules: per configuration, with the maps of its directory; maps without any
    // configuration get the map rules alone.
    std::vector<LoadedCf> pairs;
    if (run_rules_too) {
        pairs = loaded_cf_pairs(*run);
        for (const LoadedCf& pair : pairs)
            run->built_from[pair.cf->file] = pair.mc->file;
        std::set<std::string> dirs_with_config;
        for (const AuditedConfig& audited : run->configs) {
            if (!audited.rules_run) continue;
            dirs_with_config.insert(directory_of(run->sources, audited.file));
            model::MapSet maps = maps_in(*run, directory_of(run->sources, audited.file));
            const model::MapSet* maps_seen = maps.empty() ? nullptr : &maps;
            auto pair_of = [&](auto member) {
                auto it = std::find_if(pairs.begin(), pairs.end(),
                                       [&](const LoadedCf& p) { return p.*member == &audited; });
                return it == pairs.end() ? nullptr : &*it;
            };
            const LoadedCf* as_mc = pair_of(&LoadedCf::mc);
            const LoadedCf* as_cf = pair_of(&LoadedCf::cf);
            RuleContext context{
                run->sources,  audited.config, audited.mc ? &audited.mc->expansion : nullptr,
                maps_seen,     true,           as_mc ? &as_mc->drift : nullptr,
                &audited.role, &audited.host,  &audited.named_files};
            context.map_databases = &audited.map_databases;
            context.referenced = &audited.referenced;
            context.severity_overrides = &request.severity_overrides;
            if (as_cf) {
                audit_loaded_cf(*run, *as_cf, context, rules, request.selection, syntax,
                                diagnostics);
                continue;
            }
            size_t first = diagnostics.size();
            run_rules(rules, context, diagnostics);
            if (audited.mc)
                drop_indirect_fixes(*audited.mc, diagnostics, first,
                                    audited.named_files.file_ids());
        }
        std::set<std::string> map_dirs;
        for (FileId map : run->maps.files())
            map_dirs.insert(directory_of(run->sources, map));
        for (const std::string& dir : map_dirs) {
            if (dirs_with_config.count(dir)) continue;
            model::MapSet maps = maps_in(*run, dir);
            model::Config none;
            RuleContext context{run->sources, none, nullptr, &maps, false};
            context.severity_overrides = &request.severity_overrides;
            run_rules(rules, context, diagnostics);
        }
    }
    for (Diagnostic& d : syntax)
        if (diagnostic_selected(request.selection, d)) diagnostics.push_back(std::move(d));

    drop_superseded(run->sources, diagnostics);
    leave_out_path_ignores(run->sources, request.path_ignores, diagnostics);
    if (!request.no_suppressions)
        apply_suppressions(run->sources, run->result.files, diagnostics, run->result.suppressed,
                           suppression_checks(*run, request, run_rules_too, not_built, pairs));
    override_parser_severities(request.severity_overrides, diagnostics, run->result.suppressed);
    sort_diagnostics(diagnostics, run->sources);
    std::stable_sort(run->result.suppressed.begin(), run->result.suppressed.end(),
                     [&](const SuppressedFinding& a, const SuppressedFinding& b) {
                         return report_order_less(a.finding, b.finding, run->sources);
                     });
    run->result.diagnostics = std::move(diagnostics);
    // Baselined findings are not findings: they are left out before scoring (docs/scoring.md).
    const std::vector<std::string>& baseline_roots =
        request.baseline_roots.empty() ? request.paths : request.baseline_roots;
    if (request.record_baseline) *request.record_baseline = make_baseline(*run, baseline_roots);
    if (request.baseline)
        apply_baseline(*run, *request.baseline, request.baseline_file, baseline_roots,
                       [&](std::string_view id) {
                           const Rule* rule = find_rule(id);
                           return rule != nullptr && rule_selected(request.selection, *rule);
                       });
    // A grade is a claim about a whole configuration: maps alone (an access file named on its
    // own) get their rules and findings, not a grade no configuration backs.
    const bool config_audited = std::any_of(run->configs.begin(), run->configs.end(),
                                            [](const AuditedConfig& c) { return c.rules_run; });
    const std::string not_graded =
        !not_built.empty() || config_audited || run->result.files.empty()
            ? not_built
            : "no configuration was audited (no sendmail.cf or .mc), only maps";
    run->result.scores = grade_packs(run->result.diagnostics, rules, not_graded);
    return run;
}

} // namespace smaudit
