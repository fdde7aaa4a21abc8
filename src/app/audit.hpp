// The audit pipeline behind `smaudit audit` and `smaudit show`: discover, read, parse, build the
// effective configuration, run the rules, suppress, sort, score.
#pragma once

#include "analyze/host_figures.hpp"
#include "analyze/role.hpp"
#include "app/discover.hpp"
#include "app/mc_config.hpp"
#include "app/project_config.hpp"
#include "diag/audit_result.hpp"
#include "engine/select.hpp"
#include "model/config.hpp"
#include "model/map_set.hpp"
#include "model/named_files.hpp"
#include "model/referenced_files.hpp"
#include "source/file_reader.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace smaudit {

struct Baseline;

struct AuditRequest {
    std::vector<std::string> paths;
    std::optional<FileKind> forced_kind;
    RuleSelection selection;
    std::string cf_dir; // sendmail's cf tree for .mc files; empty: the usual places
    std::vector<std::string> include_dirs; // --include-dir: more places an .mc may include from
    std::optional<model::Role> role; // --role: the host's role; none: detected per configuration
    analyze::GivenFigures figures;   // --cpus, --memory, --queue-fs-size
    bool no_suppressions = false;    // --no-suppressions: inline suppression comments ignored
    // --write-baseline: set to the baseline of the run's findings (app/baseline.hpp); null: none.
    Baseline* record_baseline = nullptr;
    // --baseline: the findings it lists are left out before scoring; null: none.
    const Baseline* baseline = nullptr;
    std::string baseline_file; // its path, as the reports name it
    // The directories baseline entries' paths are relative to (baseline_path); empty: `paths`.
    // A fleet's hosts give the fleet's directory, so one baseline serves every host.
    std::vector<std::string> baseline_roots;
    // --root: the directory every absolute path the configurations name is looked up under
    // (app/referenced_files.hpp). Empty: "/" for the live /etc/mail, nothing looked up else.
    std::string root;
    // What the machine says about itself in a live audit (analyze::is_live_config); null: the
    // real machine. Tests give their own.
    const analyze::HostProbe* probe = nullptr;
    // Texts to audit instead of what the files hold, by path as discovered (the fixer audits a
    // fixed text in memory before it writes anything); null: read every file.
    const std::map<std::string, std::string>* texts = nullptr;
    // The project configuration's (docs/configuration.md): severities by rule, applied where the
    // role's are (engine/role_severity.hpp), and rules left out by file glob.
    SeverityOverrides severity_overrides;
    PathIgnores path_ignores;
    // Policies (--policy, the project configuration's "policies") are no part of the request:
    // the command loads them before the run (resolve_settings) and keeps them loaded, as rules
    // of the registry the run selects from (engine/rule.hpp LoadedRules).
};

// One configuration built from a .cf, or from an .mc through its expansion.
struct AuditedConfig {
    FileId file = kNoFile;
    model::Config config;
    std::shared_ptr<const McConfig> mc; // set for an .mc: its expansion and indirect places
    bool rules_run = true;              // false: syntax only (submit.cf found in a directory)
    model::HostRole role;               // detected, or given with --role (model::given_role)
    analyze::HostFigures host = {};     // CPUs, memory, queue file system (host_figures.hpp)
    model::NamedFiles named_files;      // the files it names (its help file), as found
    model::MapDatabases map_databases;  // its .db maps, as found and compared with the sources
    model::ReferencedFiles referenced;  // every file it references, as found (--root, live)
};

struct AuditRun {
    SourceSet sources;
    std::vector<DiscoveryError> errors; // unreadable paths and the like: exit code 2
    std::vector<AuditedConfig> configs;
    model::ParsedMaps maps; // text maps: what `show` prints and the map rules read
    AuditResult result;
    // A .cf audited with the .mc beside it that generates it (sendmail.cf, sendmail.mc) -> that
    // .mc: a fix edits the .mc, since rebuilding the .cf would undo an edit of it.
    std::map<FileId, FileId> built_from;
};

// A configuration's role as the reports show it.
ConfigRole config_role(const AuditedConfig& audited);

// Reads a whole regular file (read_regular_file: no FIFO, device or socket, at most
// kMaxFileBytes). False with a message when it cannot.
bool read_file_text(const std::string& path, std::string& text, std::string& error);
// read_file_text for a configuration or map: also refused when a line is longer than
// kMaxLineBytes (overlong_line); PLACE, when given, gets that line and column.
bool read_config_text(const std::string& path, std::string& text, std::string& error,
                      std::optional<Position>* place = nullptr);

std::unique_ptr<AuditRun> run_audit(const AuditRequest& request, bool run_rules);

} // namespace smaudit
