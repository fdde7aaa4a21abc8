// The project configuration (docs/configuration.md): `.smaudit.json`, found upward from the
// audited path or named by --config / SMAUDIT_CONFIG, and the SMAUDIT_* environment. Each layer
// says what it sets; the command line wins over the environment, the environment over the file.
#pragma once

#include "analyze/role.hpp"
#include "engine/rule.hpp"
#include "engine/select.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

inline constexpr std::string_view kProjectConfigName = ".smaudit.json";

// What one layer (file, environment, command line) sets; what it leaves unset falls to the
// layer below.
struct SettingsLayer {
    std::optional<std::vector<std::string>> select; // replaces the layers below
    std::vector<std::string> ignore;                // adds to the layers below
    std::optional<std::string> fail_on;             // a severity or "none"
    std::optional<model::Role> role;
    std::optional<std::string> cf_dir;
};

// True when the glob PATTERN matches PATH, both `/`-separated and relative: each segment as
// fnmatch(3) without flags matches it (`*`, `?`, `[...]` never cross a `/`), a `**` segment
// matches any number of segments (none too), and a pattern without `/` matches the last
// segment (the file name) in any directory.
bool glob_match(std::string_view pattern, std::string_view path);

// "per-path-ignores": rules left out of the findings of the files their glob matches, the globs
// relative to the configuration file's directory.
struct PathIgnores {
    struct Entry {
        std::string pattern;
        std::vector<std::string> selectors; // as --ignore takes them
    };
    std::string base; // absolute directory the patterns are relative to
    std::vector<Entry> entries;

    // The path of the file at PATH (as the audit names it) that the patterns match: relative to
    // `base`, symbolic links resolved; nullopt for a file outside `base`, which none matches.
    std::optional<std::string> relative(const std::string& path) const;
    // Whether RULE's findings in the file at PATH are left out; `relative_path` as relative() gives
    // it.
    bool ignores_relative(const std::string& relative_path, const Rule& rule) const;
    bool ignores(const std::string& path, const Rule& rule) const;
    bool empty() const { return entries.empty(); }
};

struct ProjectConfig {
    std::string path; // the file read; empty: no project configuration
    SettingsLayer settings;
    SeverityOverrides severity;
    PathIgnores per_path_ignores;
    std::vector<std::string> policies; // policy files, resolved against the file's directory

    // A rule selector or rule ID the file gives (select, ignore, per-path-ignores, severity),
    // with its JSON pointer: it may name a policy's rule, so it is checked once the policies are
    // loaded (check_rule_names).
    struct RuleName {
        std::string pointer, name;
        bool exact_id = false; // a severity key: the rule's ID exactly, not a selector
    };
    std::vector<RuleName> rule_names;
};

// Reads TEXT as the configuration file PATH. Each error is one message naming the JSON pointer of
// what is wrong ("PATH: /fail-on: expected a string, got number"); false when there is one. The
// rule names it gives are collected in `rule_names`, not checked.
bool parse_project_config(std::string_view text, const std::string& path, ProjectConfig& config,
                          std::vector<std::string>& errors);
bool load_project_config(const std::string& path, ProjectConfig& config,
                         std::vector<std::string>& errors);
// Checks CONFIG's rule names against the rules known now, the built-in ones and the loaded
// policies' ("PATH: /severity/SM-S999: unknown rule ID"); false when one names no rule.
bool check_rule_names(const ProjectConfig& config, std::vector<std::string>& errors);

// The `.smaudit.json` that applies to AUDITED (a file or directory): the first one in its
// directory or above, up to the directory holding `.git` (a repository's top) or the file
// system's root. Empty when there is none.
std::string find_project_config(const std::string& audited);

// getenv(3), or a test's table.
using GetEnv = std::function<const char*(const char*)>;

// What the command line gave: its layer, and which configuration file it names.
struct CommandLineSettings {
    SettingsLayer layer;
    std::string config_file;               // --config
    bool no_config = false;                // --no-config: no file at all (the environment still
                                           // applies)
    std::vector<std::string> policy_files; // --policy: loaded after the file's policies
};

// Policy files' rules, loaded (engine/rule.hpp LoadedRules) for as long as it lives.
struct LoadedPolicies;

struct ResolvedSettings {
    SettingsLayer merged; // command line over environment over file
    ProjectConfig project;
    // The file's policies, then the command line's, loaded; null when there are none. Keep it
    // for the whole run: the audit, its fixes and its reports see their rules.
    std::unique_ptr<LoadedPolicies> policies;

    // Out of line: LoadedPolicies is complete only in project_config.cpp.
    ResolvedSettings();
    ~ResolvedSettings();
    ResolvedSettings(ResolvedSettings&&) noexcept;
    ResolvedSettings& operator=(ResolvedSettings&&) noexcept;
};

// Reads the configuration file the command line, SMAUDIT_CONFIG or discovery from PATHS' first
// entry gives, loads its policies and the command line's, then reads the environment's layer and
// checks the rule names of both (which may name the policies' rules), and merges them with the
// command line's (whose selectors the caller checks). False with messages in ERRORS (a usage
// error: exit 2).
bool resolve_settings(const CommandLineSettings& command_line,
                      const std::vector<std::string>& paths, const GetEnv& getenv,
                      ResolvedSettings& resolved, std::vector<std::string>& errors);

// The layers merged: select from the highest layer that sets it, ignore from all of them, the
// other settings from the highest layer that sets them.
SettingsLayer merge_settings(const SettingsLayer& command_line, const SettingsLayer& environment,
                             const SettingsLayer& file);

} // namespace smaudit
