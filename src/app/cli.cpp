#include "app/cli.hpp"

#include "app/audit.hpp"
#include "app/baseline.hpp"
#include "app/cli_docs.hpp"
#include "app/fix_run.hpp"
#include "app/fleet.hpp"
#include "app/monitoring.hpp"
#include "app/project_config.hpp"
#include "app/relay_test.hpp"
#include "app/rule_index.hpp"
#include "app/sarif_context.hpp"
#include "app/show.hpp"
#include "engine/role_severity.hpp"
#include "engine/rule.hpp"
#include "engine/rule_docs.hpp"
#include "fix/diff.hpp"
#include "fix/write.hpp"
#include "policy/policy.hpp"
#include "report/github.hpp"
#include "report/gitlab.hpp"
#include "report/json.hpp"
#include "report/monitoring.hpp"
#include "report/sarif.hpp"
#include "report/terminal.hpp"
#include "source/parallel.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace smaudit {

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

const char* const kSubcommands[] = {"audit",      "show",  "rules",    "explain",        "expand",
                                    "relay-test", "merge", "help-man", "help-completion"};

// `smaudit /etc/mail` means `smaudit audit /etc/mail`: insert the default subcommand unless the
// first argument already is a subcommand or asks for help/version.
std::vector<std::string> with_default_command(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    if (args.size() < 2) return args;
    const std::string& first = args[1];
    for (const char* sub : kSubcommands)
        if (first == sub) return args;
    if (first == "-h" || first == "--help" || first == "--version") return args;
    args.insert(args.begin() + 1, "audit");
    return args;
}

// Writes to --output (or stdout) what WRITE writes, as it is made (`show` of a million-entry
// map and `audit`'s report of 30,000 findings are never held as one text). Returns false with a
// message on failure.
bool emit_streamed(const std::function<void(std::ostream&)>& write, const std::string& output) {
    if (output.empty() || output == "-") {
        write(std::cout);
        std::cout << std::flush;
        return static_cast<bool>(std::cout);
    }
    // A device or FIFO (-o /dev/null, a pipe) is written in place: a file renamed over it would
    // replace it.
    std::error_code status_error;
    const auto status = std::filesystem::status(output, status_error);
    if (!status_error && std::filesystem::exists(status) &&
        !std::filesystem::is_regular_file(status)) {
        std::ofstream out(output, std::ios::binary);
        if (out) write(out);
        out.close();
        if (!out) std::cerr << "smaudit: cannot write " << output << "\n";
        return static_cast<bool>(out);
    }
    // Written beside it, then renamed over it: a CI step never reads half a report, and an
    // earlier report stays whole if this one cannot be written.
    const std::string temporary = output + ".smaudit-" + std::to_string(getpid()) + ".tmp";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out) write(out);
    out.close();
    std::error_code ec;
    if (out) std::filesystem::rename(temporary, output, ec);
    if (!out || ec) {
        std::filesystem::remove(temporary, ec);
        std::cerr << "smaudit: cannot write " << output << "\n";
        return false;
    }
    return true;
}

// Writes TEXT to --output (or stdout), like emit_streamed.
bool emit(const std::string& text, const std::string& output) {
    return emit_streamed([&](std::ostream& out) { out << text; }, output);
}

bool colour_wanted(bool no_color_flag, const std::string& output) {
    // no-color.org: NO_COLOR set to a non-empty value turns colour off; `NO_COLOR=` does not.
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color_flag || (no_color != nullptr && *no_color != '\0')) return false;
    if (!output.empty() && output != "-") return false;
    return isatty(fileno(stdout)) != 0;
}

// --format nagios among the arguments: errors then exit UNKNOWN (3), as monitoring plugins do.
bool nagios_wanted(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--format=nagios" ||
            (args[i] == "--format" && i + 1 < args.size() && args[i + 1] == "nagios"))
            return true;
    return false;
}

int report_errors(const std::vector<DiscoveryError>& errors) {
    for (const DiscoveryError& e : errors)
        std::cerr << "smaudit: " << describe(e) << "\n";
    return errors.empty() ? kExitClean : kExitError;
}

struct CommonOptions {
    std::vector<std::string> paths;
    std::string cpus, memory, queue_fs_size; // audit only: host figures (host_figures.hpp)
    std::string format = "terminal";
    std::string output;
    std::string kind;
    std::string cf_dir;
    std::vector<std::string> include_dirs;
    std::string role;
    std::string root; // audit only: --root
    bool no_color = false;
    std::string config; // --config
    bool no_config = false;
};

std::vector<std::string> role_names() {
    std::vector<std::string> names;
    for (model::Role role : model::kRoles)
        names.emplace_back(to_string(role));
    return names;
}

// --include-dir: where an .mc may include from besides its own directory and the cf tree.
void add_include_dir(CLI::App* app, std::vector<std::string>& dirs) {
    app->add_option("--include-dir", dirs,
                    "A directory an .mc may include from (repeatable), searched after its own "
                    "directory and the cf tree as `m4 -I DIR`; an include of any other file, "
                    "symbolic links resolved, is refused (SM-E107)")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(CLI::ExistingDirectory);
}

void add_common(CLI::App* app, CommonOptions& o, const std::vector<std::string>& formats) {
    app->add_option("paths", o.paths, "Files or directories (an /etc/mail-style layout)")
        ->required();
    app->add_option("--format", o.format, "Output format")
        ->check(CLI::IsMember(formats))
        ->capture_default_str();
    app->add_option("-o,--output", o.output, "Write the report to FILE instead of stdout");
    app->add_option("--kind", o.kind, "Force the file kind: mc, cf, access, aliases, class, map")
        ->check(CLI::IsMember({"mc", "cf", "access", "aliases", "class", "map"}));
    app->add_option("--cf-dir", o.cf_dir,
                    "sendmail's cf tree for .mc files (default: /usr/share/sendmail/cf, "
                    "/usr/share/sendmail-cf, /usr/lib/mail)");
    add_include_dir(app, o.include_dirs);
    app->add_option("--role", o.role,
                    "The host's role, instead of detecting each configuration's (docs/roles.md): "
                    "mx, relay-hub, submission, client-only, msp (a submit.cf stays msp unless "
                    "msp is given)")
        ->check(CLI::IsMember(role_names()));
    CLI::Option* config =
        app->add_option("--config", o.config,
                        "Read the project configuration from FILE (default: SMAUDIT_CONFIG, else "
                        "the .smaudit.json in the first path's directory or above, up to a "
                        "repository's top); the command line and SMAUDIT_* variables override it "
                        "(docs/configuration.md)")
            ->type_name("FILE");
    app->add_flag("--no-config", o.no_config,
                  "Read no project configuration file (SMAUDIT_* variables still apply)")
        ->excludes(config);
    app->add_flag("--no-color", o.no_color,
                  "Never colour the output (nor does a non-empty NO_COLOR; colours only on a "
                  "terminal)");
}

// --policy FILE (repeatable), for the commands that know the policies of docs/policies.md.
void add_policy_option(CLI::App* app, std::vector<std::string>& files, const std::string& help) {
    app->add_option("--policy", files, help)
        ->type_name("FILE")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

// --cpus, --memory, --queue-fs-size: what a good load-average threshold, MaxDaemonChildren and
// MinFreeBlocks depend on. Sizes take a unit (8G, 512M); a bare number counts bytes, and one too
// small to be meant (`--memory 8`) is refused.
void add_host_figures(CLI::App* app, CommonOptions& o) {
    auto size = [](uint64_t minimum) {
        return CLI::Validator(
            [minimum](std::string& text) {
                std::string error;
                return analyze::parse_size(text, minimum, error) ? std::string() : error;
            },
            "");
    };
    app->add_option("--cpus", o.cpus,
                    "CPUs of the host the configuration runs on, for the load-average thresholds "
                    "(default: this machine's when auditing the live /etc/mail, else 4 assumed)")
        ->type_name("N")
        ->check(CLI::Range(1, 1 << 20).description(""));
    app->add_option("--memory", o.memory,
                    "Memory of that host, e.g. 8G, for MaxDaemonChildren (default: this "
                    "machine's MemTotal for the live /etc/mail, else 4G assumed)")
        ->type_name("SIZE")
        ->check(size(uint64_t{1} << 20));
    app->add_option("--queue-fs-size", o.queue_fs_size,
                    "Size of the file system holding its queue, e.g. 50G, for MinFreeBlocks "
                    "(default: statvfs of its QueueDirectory for the live /etc/mail, else 20G "
                    "assumed)")
        ->type_name("SIZE")
        ->check(size(uint64_t{1} << 20));
    app->add_option("--root", o.root,
                    "Look up every file the configuration names (alias files, maps, queue, TLS "
                    "files, smrsh, ...) under DIR, an image or chroot audited offline; symbolic "
                    "links stay inside DIR (default: / for the live /etc/mail, nothing looked "
                    "up for a copy elsewhere)")
        ->type_name("DIR")
        ->check(CLI::ExistingDirectory);
    app->footer("The live /etc/mail: a configuration file whose directory, symbolic links "
                "resolved, is /etc/mail. Only there are this machine's CPUs, memory and queue "
                "file system taken for the host's; a copy audited elsewhere gets --cpus, --memory "
                "and --queue-fs-size, or the assumption, and each finding says which figure it "
                "used.");
}

AuditRequest make_request(const CommonOptions& o) {
    AuditRequest request;
    std::string ignored;
    if (!o.cpus.empty()) request.figures.cpus = std::stoull(o.cpus);
    if (!o.memory.empty()) request.figures.memory = analyze::parse_size(o.memory, 0, ignored);
    if (!o.queue_fs_size.empty())
        request.figures.queue_fs = analyze::parse_size(o.queue_fs_size, 0, ignored);
    request.paths = o.paths;
    if (!o.kind.empty()) request.forced_kind = parse_kind(o.kind);
    request.cf_dir = o.cf_dir;
    request.include_dirs = o.include_dirs;
    request.root = o.root;
    if (!o.role.empty()) request.role = model::parse_role(o.role);
    return request;
}

// Puts the project configuration and the SMAUDIT_* environment under the command line
// (docs/configuration.md) into REQUEST, and the --fail-on in effect into FAIL_ON (null: not set
// anywhere). RESOLVED keeps the policies (the file's, then POLICY_FILES from --policy) loaded:
// hold it for the run. False after printing the errors (exit 2).
bool apply_project_config(const CommonOptions& o, std::optional<std::string> cli_fail_on,
                          const std::vector<std::string>& policy_files, AuditRequest& request,
                          std::optional<std::string>& fail_on, ResolvedSettings& resolved) {
    CommandLineSettings command_line;
    if (!request.selection.select.empty()) command_line.layer.select = request.selection.select;
    command_line.layer.ignore = request.selection.ignore;
    command_line.layer.fail_on = std::move(cli_fail_on);
    command_line.layer.role = request.role;
    if (!o.cf_dir.empty()) command_line.layer.cf_dir = o.cf_dir;
    command_line.config_file = o.config;
    command_line.no_config = o.no_config;
    command_line.policy_files = policy_files;
    std::vector<std::string> errors;
    if (!resolve_settings(command_line, o.paths, std::getenv, resolved, errors)) {
        for (const std::string& e : errors)
            std::cerr << "smaudit: " << e << "\n";
        return false;
    }
    request.selection.select = resolved.merged.select.value_or(std::vector<std::string>{});
    request.selection.ignore = resolved.merged.ignore;
    request.role = resolved.merged.role;
    request.cf_dir = resolved.merged.cf_dir.value_or(std::string());
    request.severity_overrides = resolved.project.severity;
    request.path_ignores = resolved.project.per_path_ignores;
    fail_on = resolved.merged.fail_on;
    return true;
}

// --write-baseline FILE: writes RECORDED to FILE and says in one line what it wrote, in place of
// the report it was written from (as ruff's --add-noqa does). False when FILE cannot be written.
bool write_baseline(const Baseline& recorded, const std::string& file) {
    if (!emit(baseline_json(recorded), file)) return false;
    const size_t count = recorded.entries.size();
    std::cout << "recorded " << count << (count == 1 ? " finding" : " findings") << " in " << file
              << "\n";
    return true;
}

// The file of each loaded policy's rule, by rule ID, for the terminal's `more:` line.
std::map<std::string, std::string, std::less<>> policy_files_by_rule() {
    std::map<std::string, std::string, std::less<>> files;
    for (const Rule& rule : loaded_rules())
        if (rule.policy != nullptr) files.emplace(rule.id, rule.policy->file);
    return files;
}

// `smaudit rules`: the rule index (app/rule_index.hpp) in the format asked for.
int list_rules(const std::string& format, const RuleIndexOptions& options,
               const std::string& output) {
    bool written =
        format == "json" ? emit(rule_index_json(options).dump(2) + "\n", output)
        : format == "markdown"
            ? emit(rule_index_markdown(options), output)
            : emit_streamed([&](std::ostream& out) { write_rule_index_terminal(out, options); },
                            output);
    return written ? kExitClean : kExitError;
}

int explain(const std::string& id_or_name) {
    const Rule* rule = find_rule(id_or_name);
    if (!rule) {
        std::cerr << "smaudit: no rule " << id_or_name << " (see `smaudit rules`)\n";
        return kExitError;
    }
    std::string_view page = rule_doc(rule->id);
    if (page.empty()) {
        std::cerr << "smaudit: rule " << rule->id << " has no documentation page\n";
        return kExitError;
    }
    std::cout << page;
    if (page.back() != '\n') std::cout << "\n";
    if (const RoleSeverityRow* row = find_role_severity(rule->id)) {
        std::cout << "\nSeverity by host role (docs/roles.md):";
        for (model::Role role : model::kRoles) {
            std::optional<Severity> severity = row->on(role);
            std::cout << (role == model::kRoles.front() ? " " : ", ") << to_string(role) << " "
                      << (severity ? to_string(*severity) : "not a finding");
        }
        std::cout << "\n";
    }
    return kExitClean;
}

// One m4 diagnostic on stderr as path:line:col: ID message (`fallback`: no place).
void print_m4_diagnostic(const SourceSet& sources, const Diagnostic& d,
                         const std::string& fallback) {
    std::string place = fallback;
    if (const SourceFile* file = d.where.valid() ? sources.find(d.where.file) : nullptr) {
        const Position at = file->position(d.where.span.begin);
        place = file->path() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
    }
    std::cerr << place << ": " << d.rule_id << " " << d.message << "\n";
}

// `smaudit expand`: the expansion on stdout (or --output), m4's complaints and smaudit's own
// (missing cf tree or file, limits) on stderr as path:line:col. Exit 1 when the expansion is
// incomplete or something it needed is missing, 2 when the .mc cannot be read.
int expand(const std::string& path, const std::string& cf_dir,
           const std::vector<std::string>& include_dirs, const std::string& output) {
    AuditRequest request;
    request.paths = {path};
    request.forced_kind = FileKind::Mc;
    request.cf_dir = cf_dir;
    request.include_dirs = include_dirs;
    request.selection.select = {"SM-E1"}; // only the m4 layer's own diagnostics matter here
    auto run = run_audit(request, false);
    if (report_errors(run->errors) != kExitClean) return kExitError;
    if (run->configs.empty() || !run->configs.front().mc) return kExitError;
    const m4::Expansion& expansion = run->configs.front().mc->expansion;
    bool trouble = !expansion.complete || expansion.cf_dir.empty();
    for (const Diagnostic& d : expansion.diagnostics) {
        print_m4_diagnostic(run->sources, d, path);
        if (d.rule_id == "SM-E101" || d.rule_id == "SM-E102" ||
            d.rule_id == m4::kM4IncludeRefused.id)
            trouble = true;
    }
    if (!emit(expansion.text, output)) return kExitError;
    return trouble ? kExitFindings : kExitClean;
}

// A path as --diff names it after a/ and b/: relative to the current directory when the file
// is below it, else absolute without its leading `/` (so `patch -p1` run in `/` applies it).
std::string diff_path(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec).lexically_normal();
    const fs::path relative = absolute.lexically_relative(fs::current_path(ec));
    if (!relative.empty() && *relative.begin() != "..") return relative.string();
    return absolute.relative_path().string();
}

// `--diff`: the unified diff of what `--fix` would write, on stdout or --output; what is not
// applied, and why, on stderr. Exit 1 when there is something to apply, 0 when not.
int print_fix_diff(const AuditRequest& request, bool unsafe, const std::string& output) {
    FixPlan plan = plan_fixes(request, unsafe);
    int status = report_errors(plan.errors);
    if (status != kExitClean && !plan.read_anything) return status;
    std::string diff;
    for (const FixedFile& file : plan.files)
        diff += unified_diff(diff_path(file.path), file.original, file.fixed);
    if (!emit(diff, output)) return kExitError;
    for (const FixedFile& file : plan.files)
        plan.summary.applied.emplace_back(file.path, file.fixes);
    std::cerr << report::render_fix_summary(plan.summary, true);
    if (status != kExitClean) return status;
    return plan.files.empty() ? kExitClean : kExitFindings;
}

// `--fix`: writes what plan_fixes proved, file by file (write_fixed_file), then audits the files
// as they now are. `summary` gets the summary for the report; false when a file was not written.
// Unreadable paths are reported by the audit that follows.
bool apply_fix_plan(const AuditRequest& request, bool unsafe, FixingSummary& summary) {
    FixPlan plan = plan_fixes(request, unsafe);
    summary = plan.summary;
    const std::vector<std::string> trees = audited_trees(request.paths);
    bool all_written = true;
    for (const FixedFile& file : plan.files) {
        std::string why = write_fixed_file(file.path, file.original, file.stamp, file.fixed, trees);
        if (why.empty()) {
            summary.applied.emplace_back(file.path, file.fixes);
            continue;
        }
        all_written = false;
        std::cerr << "smaudit: " << why << "\n";
        summary.notes.push_back(why);
    }
    return all_written;
}

} // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"smaudit: static auditor and hardening linter for sendmail configuration",
                 "smaudit"};
    app.set_version_flag("--version", "smaudit " + std::string(kToolVersion));
    // No require_subcommand: the subcommand is optional (with_default_command supplies audit).
    app.require_subcommand(0, 1);
    app.footer("Exit codes: 0 no finding at or above --fail-on (default low); 1 findings at or "
               "above it (after --fix: among those that remain); 2 usage error (a mistake in "
               ".smaudit.json or a SMAUDIT_* variable too), unreadable path, "
               "a fixed file that could not be written, or internal error. --diff: 1 when there "
               "is a fix to apply. show, expand: 1 when an .mc's include was refused (SM-E107; "
               "expand also when the expansion is incomplete). --format nagios: 0/1/2/3 for "
               "OK/WARNING/CRITICAL/UNKNOWN "
               "(docs/monitoring.md).\n"
               "Without a subcommand, `smaudit PATH...` means `smaudit audit PATH...`.");

    CommonOptions audit_opts;
    std::string fail_on = "low", warn_on = "medium";
    RuleSelection selection;
    bool quiet = false;
    CLI::App* audit = app.add_subcommand(
        "audit", "Audit files or directories (the default command: `smaudit /etc/mail`)");
    add_common(audit, audit_opts,
               {"terminal", "json", "sarif", "github", "gitlab", "nagios", "openmetrics"});
    audit->get_option("--format")
        ->description("Output format (sarif: SARIF 2.1.0 for code scanning, docs/sarif.md; "
                      "github: GitHub Actions annotations, gitlab: GitLab Code Quality report, "
                      "paths relative to the working directory, docs/ci.md; nagios, "
                      "openmetrics: monitoring, docs/monitoring.md)");
    audit->get_option("paths")->description(
        "Files or directories (an /etc/mail-style layout), or one directory holding a host per "
        "subdirectory (a fleet: NAME/etc/mail or NAME with a sendmail.cf/.mc; docs/ci.md)");
    add_host_figures(audit, audit_opts);
    audit
        ->add_option("--fail-on", fail_on,
                     "Exit 1 when a finding is at or above this severity (none: never; over "
                     "SMAUDIT_FAIL_ON and .smaudit.json's fail-on); with --format nagios: "
                     "CRITICAL, default high")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info", "none"}))
        ->capture_default_str();
    // --format nagios: CRITICAL at --fail-on (high unless given), WARNING at --warn-on.
    CLI::Option* fail_on_given = audit->get_option("--fail-on");
    audit
        ->add_option("--warn-on", warn_on,
                     "With --format nagios: WARNING when a finding is at or above this severity "
                     "(CRITICAL from --fail-on, default high there; docs/monitoring.md)")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "info", "none"}))
        ->capture_default_str();
    // One value per occurrence, split at commas; repeated occurrences add up. A list option
    // that took every following word would swallow the paths after it.
    auto list_option = [&](const std::string& name, std::vector<std::string>& values,
                           const std::string& help) {
        return audit->add_option(name, values, help)
            ->delimiter(',')
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    };
    // RULE: the completion script offers rule IDs (app/cli_docs.hpp).
    list_option("--select", selection.select,
                "Run only these rules: ID prefixes (SM-S, SM-S02), IDs or names, comma-separated "
                "(repeatable; replaces SMAUDIT_SELECT's and .smaudit.json's select)")
        ->type_name("RULE");
    list_option("--ignore", selection.ignore,
                "Skip these rules (same forms as --select; added to SMAUDIT_IGNORE's and "
                ".smaudit.json's ignore)")
        ->type_name("RULE");
    list_option("--pack", selection.packs,
                "Run only these packs, comma-separated: security, performance, consistency, "
                "syntax (only the packs that run are scored; a pack only some of whose rules "
                "run is not graded)")
        ->check(CLI::IsMember({"security", "performance", "consistency", "syntax"}));
    std::vector<std::string> policy_files;
    add_policy_option(audit, policy_files,
                      "Also judge by the policies of this JSON file (repeatable): the "
                      "organisation's own rules, docs/policies.md");
    audit->add_flag("-q,--quiet", quiet, "Print only the findings, no summary");
    bool diff = false, fix = false, unsafe_fixes = false;
    auto* diff_flag = audit->add_flag(
        "--diff", diff,
        "Print a unified diff of the fixes --fix would apply (with its options) instead of the "
        "report, and write nothing; exit 1 when there is a fix to apply (docs/fixes.md)");
    audit
        ->add_flag("--fix", fix,
                   "Apply the safe fixes of the reported findings (not of those --baseline or a "
                   "suppression accepts), each proven first (the fixed files expand and parse, "
                   "the finding is gone), in passes until nothing more applies; then report what "
                   "remains, exit code from it (docs/fixes.md)")
        ->excludes(diff_flag);
    audit->add_flag("--unsafe-fixes", unsafe_fixes,
                    "With --fix or --diff: the unsafe fixes too (they change what sendmail does)");
    // Suppressions and baselines (docs/baselines.md).
    bool no_suppressions = false;
    std::string baseline_file, write_baseline_file;
    audit->add_flag("--no-suppressions", no_suppressions,
                    "Ignore inline `smaudit: ignore[...]` comments: report every finding (for "
                    "auditors)");
    audit
        ->add_option("--baseline", baseline_file,
                     "Report only the findings this baseline file does not list, and count the "
                     "listed ones that are gone (fixed); docs/baselines.md")
        ->type_name("FILE");
    // Fleets (docs/ci.md "Fleets", app/fleet.hpp).
    unsigned jobs = 0;
    std::string shard_text;
    audit
        ->add_option("-j,--jobs", jobs,
                     "Audit a fleet's hosts, or one audit's large maps (from 4 MiB: their "
                     "parse, rules and report), on N threads (default 0: one per core); the "
                     "report is the same for any N")
        ->type_name("N")
        ->check(CLI::Range(0, 4096));
    audit
        ->add_option("--shard", shard_text,
                     "Audit only the fleet's hosts of shard I of N (a host's shard: a hash of its "
                     "name), for one CI job of N; `smaudit merge` joins the shards' JSON reports "
                     "or SARIF logs (docs/ci.md)")
        ->type_name("I/N");
    std::string sarif_output;
    audit
        ->add_option("--sarif-output", sarif_output,
                     "The SARIF log too, to FILE, from the same audit as the report of --format "
                     "(a CI job's terminal log or a shard's JSON report, and the log to upload, "
                     "in one run; docs/ci.md)")
        ->type_name("FILE");
    std::string host_times_file;
    audit
        ->add_option("--host-times", host_times_file,
                     "For benchmarks (bench/fleet): write each fleet host's audit CPU time to "
                     "FILE, a `HOST<TAB>MICROSECONDS` line per host in report order (the CPU "
                     "clock of the thread that audited it); the report is unchanged")
        ->type_name("FILE");
    audit
        ->add_option("--write-baseline", write_baseline_file,
                     "Record the findings of this run in FILE (by rule, file and line content, "
                     "not line number) and print how many instead of the report, then exit 0")
        ->type_name("FILE");

    CommonOptions show_opts;
    CLI::App* show = app.add_subcommand(
        "show", "Print the effective configuration: every option in effect and where it was set");
    add_common(show, show_opts, {"terminal", "json"});

    std::string rules_format = "terminal", rules_output;
    RuleIndexOptions rules_options;
    CLI::App* rules = app.add_subcommand(
        "rules", "List every check of the catalog (SEC, PERF, CFG) with the rule that implements "
                 "it or its status, then smaudit's own checks (docs/rules/index.md)");
    rules->add_option("--format", rules_format, "Output format (markdown: docs/rules/index.md)")
        ->check(CLI::IsMember({"terminal", "json", "markdown"}))
        ->capture_default_str();
    rules->add_flag("--implemented", rules_options.implemented_only,
                    "Only the rules smaudit has: leave out catalog entries with no rule");
    rules->add_option("-o,--output", rules_output, "Write the list to FILE instead of stdout");
    std::vector<std::string> rules_policy_files;
    add_policy_option(rules, rules_policy_files,
                      "Also list the policies of this JSON file (repeatable; docs/policies.md)");

    std::string explain_id;
    CLI::App* explain_cmd = app.add_subcommand("explain", "Print a rule's documentation page");
    explain_cmd->add_option("rule", explain_id, "Rule ID (SM-S023) or name (vrfy-enabled)")
        ->type_name("RULE")
        ->required();
    std::vector<std::string> explain_policy_files;
    add_policy_option(explain_cmd, explain_policy_files,
                      "Also know the policies of this JSON file (repeatable): explain prints a "
                      "policy's doc text");

    std::string expand_path, expand_cf_dir, expand_output;
    std::vector<std::string> expand_include_dirs;
    CLI::App* expand_cmd = app.add_subcommand(
        "expand", "Print the .cf text an .mc expands to, as m4 would write it (nothing is run)");
    expand_cmd->add_option("file", expand_path, "The .mc file")->required();
    expand_cmd->add_option("--cf-dir", expand_cf_dir,
                           "sendmail's cf tree (default: /usr/share/sendmail/cf, "
                           "/usr/share/sendmail-cf, /usr/lib/mail)");
    add_include_dir(expand_cmd, expand_include_dirs);
    expand_cmd->add_option("-o,--output", expand_output, "Write the .cf text to FILE");

    std::vector<std::string> merge_files;
    std::string merge_output;
    CLI::App* merge_cmd = app.add_subcommand(
        "merge", "Join the JSON reports, or the SARIF logs, of a fleet's shards (audit --shard "
                 "I/N --format json or sarif) into the report, or the log, of the whole fleet "
                 "(docs/ci.md)");
    merge_cmd->add_option("reports", merge_files, "The shards' JSON reports, or SARIF logs")
        ->required()
        ->check(CLI::ExistingFile);
    merge_cmd->add_option("-o,--output", merge_output,
                          "Write the report to FILE instead of stdout");

    RelayTestOptions relay_test_opts;
    CLI::App* relay_test_cmd = add_relay_test_command(app, relay_test_opts);

    // Hidden (no group): the build writes the man page and the bash completion with them, from
    // this very definition (app/cli_docs.hpp).
    std::string docs_output;
    CLI::App* help_man = app.add_subcommand("help-man", "Write the man page smaudit.1")->group("");
    CLI::App* help_completion =
        app.add_subcommand("help-completion", "Write the bash completion script")->group("");
    for (CLI::App* docs : {help_man, help_completion})
        docs->add_option("-o,--output", docs_output, "Write it to FILE instead of stdout");

    // Bare `smaudit`: nothing to audit and no subcommand is a usage error, not a parse error
    // about a subcommand that is optional.
    if (argc < 2) {
        std::cerr << app.help();
        return kExitError;
    }
    std::vector<std::string> args = with_default_command(argc, argv);
    std::vector<char*> arg_ptrs;
    for (std::string& a : args)
        arg_ptrs.push_back(a.data());
    try {
        app.parse(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        if (code != 0 && nagios_wanted(args)) {
            report::write_nagios_unknown(std::cout, std::string("usage: ") + e.what());
            return kNagiosUnknown;
        }
        return code == 0 ? kExitClean : kExitError;
    }

    try {
        if (*help_man || *help_completion) {
            std::vector<std::string> rule_ids;
            for (const Rule& rule : all_rules())
                rule_ids.emplace_back(rule.id);
            return emit_streamed(
                       [&](std::ostream& out) {
                           *help_man ? write_man_page(out, app)
                                     : write_bash_completion(out, app, rule_ids, kSubcommands[0]);
                       },
                       docs_output)
                       ? kExitClean
                       : kExitError;
        }
        // The policies (--policy) are rules like the built-in ones while they are loaded.
        policy::PolicySet policies;
        std::optional<LoadedRules> loaded;
        auto load_policies = [&](const std::vector<std::string>& files) {
            std::vector<std::string> errors;
            bool ok = policy::load_policy_files(files, policies, errors);
            for (const std::string& error : errors)
                std::cerr << "smaudit: " << error << "\n";
            if (ok) loaded.emplace(policies.rules());
            return ok;
        };
        if (*rules) {
            if (!load_policies(rules_policy_files)) return kExitError;
            return list_rules(rules_format, rules_options, rules_output);
        }
        if (*explain_cmd) {
            if (!load_policies(explain_policy_files)) return kExitError;
            return explain(explain_id);
        }
        if (*expand_cmd)
            return expand(expand_path, expand_cf_dir, expand_include_dirs, expand_output);
        if (*relay_test_cmd) return run_relay_test(relay_test_opts);
        if (*merge_cmd)
            return merge_fleet_reports(
                merge_files, [&](const auto& write) { return emit_streamed(write, merge_output); });

        // The project configuration, and the policies loaded for the whole run.
        ResolvedSettings resolved;
        if (*show) {
            AuditRequest request = make_request(show_opts);
            std::optional<std::string> no_fail_on;
            if (!apply_project_config(show_opts, std::nullopt, {}, request, no_fail_on, resolved))
                return kExitError;
            auto run = run_audit(request, false);
            int status = report_errors(run->errors);
            if (status != kExitClean && run->result.files.empty()) return status;
            // What an .mc was refused (an include outside its tree) is said here too, and exits
            // 1 as expand does: the configuration shown lacks it.
            bool refused = false;
            for (const AuditedConfig& config : run->configs)
                if (config.mc)
                    for (const Diagnostic& d : config.mc->expansion.diagnostics)
                        if (d.rule_id == m4::kM4IncludeRefused.id) {
                            print_m4_diagnostic(run->sources, d, {});
                            refused = true;
                        }
            const bool json = show_opts.format == "json";
            if (!emit_streamed(
                    [&](std::ostream& out) {
                        json ? write_show_json(*run, out) : write_show_terminal(*run, out);
                    },
                    show_opts.output))
                return kExitError;
            return status == kExitClean && refused ? kExitFindings : status;
        }

        AuditRequest request = make_request(audit_opts);
        request.selection = selection;
        std::optional<std::string> fail_on_set;
        // --policy adds to the policy files the project config names (its `policies`); they are
        // loaded before any selector is checked, which may name them.
        if (!apply_project_config(audit_opts,
                                  fail_on_given->count() ? std::optional(fail_on) : std::nullopt,
                                  policy_files, request, fail_on_set, resolved))
            return kExitError;
        fail_on = fail_on_set.value_or(fail_on);
        std::vector<std::string> unknown = unknown_selectors(selection);
        for (const std::string& s : unknown)
            std::cerr << "smaudit: --select/--ignore: no rule matches `" << s << "`\n";
        if (!unknown.empty()) return kExitError;

        request.no_suppressions = no_suppressions;
        Baseline baseline, recorded;
        if (std::string error;
            !baseline_file.empty() && !read_baseline(baseline_file, baseline, error)) {
            std::cerr << "smaudit: baseline " << error << "\n";
            return kExitError;
        }
        if (unsafe_fixes && !fix && !diff) {
            std::cerr << "smaudit: --unsafe-fixes goes with --fix or --diff\n";
            return kExitError;
        }
        std::optional<Shard> shard;
        if (std::string error; !shard_text.empty() && !(shard = parse_shard(shard_text, error))) {
            std::cerr << "smaudit: " << error << "\n";
            return kExitError;
        }
        std::vector<std::string> not_hosts;
        std::vector<FleetHost> hosts;
        if (audit_opts.paths.size() == 1) hosts = find_fleet(audit_opts.paths.front(), not_hosts);
        // One audit: a large map's parse, rules and report on --jobs threads; a fleet: its
        // hosts on them, each host on one.
        set_work_threads(hosts.empty() ? jobs : 1);
        if (hosts.empty() && (shard || !host_times_file.empty())) {
            std::cerr << "smaudit: " << (shard ? "--shard" : "--host-times")
                      << ": the path is no fleet (a directory of hosts, docs/ci.md)\n";
            return kExitError;
        }
        if (!sarif_output.empty()) {
            const char* refused =
                audit_opts.format == "sarif"
                    ? "the report of --format sarif is the SARIF log already "
                      "(-o names its file)"
                : audit_opts.format == "nagios" || audit_opts.format == "openmetrics"
                    ? "not with a monitoring --format (nagios, openmetrics)"
                : diff ? "--diff prints no report"
                       : nullptr;
            if (refused != nullptr) {
                std::cerr << "smaudit: --sarif-output: " << refused << "\n";
                return kExitError;
            }
        }
        if (!hosts.empty()) {
            const char* refused = fix || diff                          ? "--fix and --diff"
                                  : !audit_opts.root.empty()           ? "--root"
                                  : audit_opts.format == "gitlab"      ? "--format gitlab"
                                  : audit_opts.format == "nagios"      ? "--format nagios"
                                  : audit_opts.format == "openmetrics" ? "--format openmetrics"
                                                                       : nullptr;
            if (refused != nullptr) {
                std::cerr << "smaudit: " << refused << ": not for a fleet of hosts ("
                          << audit_opts.paths.front() << "); audit one host's directory\n";
                return kExitError;
            }
            for (const std::string& dir : not_hosts)
                std::cerr << "smaudit: " << dir
                          << ": no host (no sendmail.cf or sendmail.mc in it or its etc/mail); "
                             "left out\n";
            if (shard)
                std::erase_if(hosts, [&](const FleetHost& host) {
                    return shard_of(host.name, shard->count) != shard->index;
                });
            if (!baseline_file.empty()) request.baseline = &baseline;
            request.baseline_file = baseline_file;
            FleetOptions fleet;
            fleet.jobs = jobs != 0 ? jobs : std::max(1U, std::thread::hardware_concurrency());
            fleet.format = audit_opts.format;
            fleet.terminal.color = colour_wanted(audit_opts.no_color, audit_opts.output);
            fleet.terminal.summary = !quiet;
            fleet.terminal.policy_files = policy_files_by_rule();
            if (fail_on != "none") fleet.fail_on = parse_severity(fail_on);
            fleet.shard = shard;
            if (!write_baseline_file.empty()) fleet.record_baseline = &recorded;
            const bool report = write_baseline_file.empty();
            std::string host_times;
            if (!host_times_file.empty()) fleet.host_times = &host_times;
            if (!sarif_output.empty())
                fleet.sarif_too = [&](const auto& write) {
                    return emit_streamed(write, sarif_output);
                };
            const int status =
                run_fleet(request, audit_opts.paths.front(), hosts, fleet, [&](const auto& write) {
                    if (report) return emit_streamed(write, audit_opts.output);
                    std::ostream discarded(nullptr); // the baseline's line instead
                    write(discarded);
                    return true;
                });
            if (status != kExitError && !report && !write_baseline(recorded, write_baseline_file))
                return kExitError;
            if (!host_times_file.empty() && !emit(host_times, host_times_file)) return kExitError;
            return status;
        }
        // Before the fixes: --fix and --diff fix what the report reports, as ruff does, not the
        // findings the baseline accepts (docs/baselines.md).
        if (!baseline_file.empty()) request.baseline = &baseline;
        request.baseline_file = baseline_file;
        if (diff) return print_fix_diff(request, unsafe_fixes, audit_opts.output);
        std::optional<FixingSummary> fixing;
        bool fixes_written = true;
        if (fix) {
            fixing.emplace();
            fixes_written = apply_fix_plan(request, unsafe_fixes, *fixing);
        }
        if (!write_baseline_file.empty()) request.record_baseline = &recorded;

        auto run = run_audit(request, true);
        run->result.fixing = std::move(fixing);
        // --sarif-output: the log of this audit, whatever else is printed.
        auto write_sarif_output = [&] {
            return sarif_output.empty() ||
                   emit_streamed(
                       [&](std::ostream& out) {
                           report::write_sarif(out, run->sources, run->result, sarif_context(*run));
                       },
                       sarif_output);
        };
        if (!write_baseline_file.empty()) {
            int status = report_errors(run->errors);
            if (!fixes_written) status = kExitError;
            if (status != kExitClean && run->result.files.empty()) return status;
            if (run->result.fixing)
                std::cout << report::render_fix_summary(*run->result.fixing, false);
            if (!write_sarif_output()) return kExitError;
            return write_baseline(recorded, write_baseline_file) ? status : kExitError;
        }
        if (audit_opts.format == "nagios" || audit_opts.format == "openmetrics")
            return report_for_monitoring(
                *run, audit_opts.format,
                audit_opts.format == "nagios" && !fail_on_set ? "high" : fail_on, warn_on,
                [&](auto write) { return emit_streamed(write, audit_opts.output); });
        int status = report_errors(run->errors);
        if (!fixes_written) status = kExitError;
        // Nothing read: a report of no findings and full scores would only mislead.
        if (status != kExitClean && run->result.files.empty()) return status;
        const bool json = audit_opts.format == "json";
        report::TerminalOptions options;
        if (!json) {
            options.color = colour_wanted(audit_opts.no_color, audit_opts.output);
            options.summary = !quiet;
            options.policy_files = policy_files_by_rule();
        }
        // The log first: a report that fails the gate still leaves the log to upload.
        if (!write_sarif_output()) return kExitError;
        // Streamed finding by finding, like show: 30,000 findings are never one text or tree.
        if (!emit_streamed(
                [&](std::ostream& out) {
                    if (audit_opts.format == "sarif")
                        report::write_sarif(out, run->sources, run->result, sarif_context(*run));
                    else if (audit_opts.format == "github")
                        report::write_github(out, run->sources, run->result, report_root());
                    else if (audit_opts.format == "gitlab")
                        report::write_gitlab(out, run->sources, run->result, report_root());
                    else if (json)
                        report::write_json(out, run->sources, run->result);
                    else
                        report::write_terminal(out, run->sources, run->result, options);
                },
                audit_opts.output))
            return kExitError;
        if (status != kExitClean) return status;
        if (fail_on == "none") return kExitClean;
        Severity threshold = *parse_severity(fail_on);
        for (const Diagnostic& d : run->result.diagnostics)
            if (d.severity >= threshold) return kExitFindings;
        return kExitClean;
    } catch (const std::exception& e) {
        std::cerr << "smaudit: internal error: " << e.what() << "\n";
        if (nagios_wanted(args)) {
            report::write_nagios_unknown(std::cout, std::string("internal error: ") + e.what());
            return kNagiosUnknown;
        }
        return kExitError;
    }
}

} // namespace smaudit
