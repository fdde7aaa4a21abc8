#include "app/project_config.hpp"

#include "app/audit.hpp"
#include "policy/policy.hpp"
#include "source/text_position.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fnmatch.h>

namespace smaudit {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFailOnValues = "critical, high, medium, low, info, none";

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t at = 0;
    while (at <= path.size()) {
        size_t slash = std::min(path.find('/', at), path.size());
        if (slash > at) out.push_back(path.substr(at, slash - at)); // `a//b` is `a/b`
        at = slash + 1;
    }
    return out;
}

bool segments_match(const std::vector<std::string_view>& pattern, size_t p,
                    const std::vector<std::string_view>& path, size_t q) {
    if (p == pattern.size()) return q == path.size();
    if (pattern[p] == "**") {
        for (size_t skip = q; skip <= path.size(); ++skip)
            if (segments_match(pattern, p + 1, path, skip)) return true;
        return false;
    }
    if (q == path.size()) return false;
    const std::string segment(pattern[p]), name(path[q]);
    return fnmatch(segment.c_str(), name.c_str(), 0) == 0 &&
           segments_match(pattern, p + 1, path, q + 1);
}

// RFC 6901: `~` and `/` in a key are written `~0` and `~1`.
std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key)
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
}

// "PATH: POINTER: MESSAGE", the form of every error in a configuration file.
std::string config_error(const std::string& path, const std::string& pointer,
                         const std::string& message) {
    return path + ": " + (pointer.empty() ? std::string("(document)") : pointer) + ": " + message;
}

// Reads one configuration file's JSON, each problem reported with its JSON pointer.
class Reader {
  public:
    Reader(const std::string& path, std::vector<std::string>& errors,
           std::vector<ProjectConfig::RuleName>& rule_names)
        : path_(path), errors_(errors), rule_names_(rule_names) {}

    void error(const std::string& pointer, const std::string& message) {
        errors_.push_back(config_error(path_, pointer, message));
    }

    // A rule name, checked later (check_rule_names): it may name a policy not loaded yet.
    void rule_name(const std::string& pointer, const std::string& name, bool exact_id) {
        rule_names_.push_back({pointer, name, exact_id});
    }

    bool expect(const nlohmann::json& value, nlohmann::json::value_t type,
                std::string_view type_name, const std::string& pointer) {
        const bool ok = value.type() == type;
        if (!ok)
            error(pointer,
                  "expected " + std::string(type_name) + ", got " + std::string(value.type_name()));
        return ok;
    }

    // A list of rule selectors (--select's forms).
    std::optional<std::vector<std::string>> selectors(const nlohmann::json& value,
                                                      const std::string& pointer) {
        if (!expect(value, nlohmann::json::value_t::array, "an array of rule selectors", pointer))
            return std::nullopt;
        std::vector<std::string> out;
        bool ok = true;
        for (size_t i = 0; i < value.size(); ++i) {
            const std::string at = pointer + "/" + std::to_string(i);
            if (!expect(value[i], nlohmann::json::value_t::string, "a string", at)) {
                ok = false;
                continue;
            }
            const std::string selector = value[i].get<std::string>();
            if (selector.empty()) {
                error(at, "no rule matches ``");
                ok = false;
                continue;
            }
            rule_name(at, selector, false);
            out.push_back(selector);
        }
        return ok ? std::optional(std::move(out)) : std::nullopt;
    }

    std::optional<Severity> severity(const nlohmann::json& value, const std::string& pointer) {
        if (!expect(value, nlohmann::json::value_t::string, "a severity", pointer))
            return std::nullopt;
        std::optional<Severity> s = parse_severity(value.get<std::string>());
        if (!s)
            error(pointer, "`" + value.get<std::string>() +
                               "` is not a severity (critical, high, medium, low, info)");
        return s;
    }

    // A path as the file gives it: relative ones against the file's directory.
    std::optional<std::string> path(const nlohmann::json& value, const std::string& pointer,
                                    const fs::path& directory) {
        if (!expect(value, nlohmann::json::value_t::string, "a path", pointer)) return std::nullopt;
        const std::string text = value.get<std::string>();
        if (text.empty()) {
            error(pointer, "empty path");
            return std::nullopt;
        }
        return (directory / text).lexically_normal().string();
    }

  private:
    const std::string& path_;
    std::vector<std::string>& errors_;
    std::vector<ProjectConfig::RuleName>& rule_names_;
};

std::optional<std::string> fail_on_value(const std::string& text) {
    if (text == "none" || parse_severity(text)) return text;
    return std::nullopt;
}

std::vector<std::string> comma_list(std::string_view text) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at <= text.size()) {
        size_t comma = std::min(text.find(',', at), text.size());
        std::string_view item = text.substr(at, comma - at);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
            item.remove_prefix(1);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
            item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        at = comma + 1;
    }
    return out;
}

// SMAUDIT_SELECT, SMAUDIT_IGNORE, SMAUDIT_FAIL_ON, SMAUDIT_ROLE, SMAUDIT_CF_DIR. An empty
// variable is an unset one. The selectors are checked against the rules known now (with the
// policies loaded) unless CHECK_SELECTORS is false (a policy file failed to load: a selector
// naming one of its rules is no error of its own).
void read_environment(const GetEnv& getenv, bool check_selectors, SettingsLayer& layer,
                      std::vector<std::string>& errors) {
    auto value = [&](const char* name) -> std::optional<std::string> {
        const char* text = getenv(name);
        if (text == nullptr || *text == '\0') return std::nullopt;
        return std::string(text);
    };
    auto selectors = [&](const char* name) -> std::optional<std::vector<std::string>> {
        std::optional<std::string> text = value(name);
        if (!text) return std::nullopt;
        RuleSelection probe;
        probe.select = comma_list(*text);
        if (check_selectors)
            for (const std::string& s : unknown_selectors(probe))
                errors.push_back(std::string(name) + ": no rule matches `" + s + "`");
        return probe.select;
    };
    layer.select = selectors("SMAUDIT_SELECT");
    if (std::optional<std::vector<std::string>> ignore = selectors("SMAUDIT_IGNORE"))
        layer.ignore = *ignore;
    if (std::optional<std::string> fail_on = value("SMAUDIT_FAIL_ON")) {
        layer.fail_on = fail_on_value(*fail_on);
        if (!layer.fail_on)
            errors.push_back("SMAUDIT_FAIL_ON: `" + *fail_on + "` is not one of " +
                             std::string(kFailOnValues));
    }
    if (std::optional<std::string> role = value("SMAUDIT_ROLE")) {
        layer.role = model::parse_role(*role);
        if (!layer.role) errors.push_back("SMAUDIT_ROLE: `" + *role + "` is not a host role");
    }
    layer.cf_dir = value("SMAUDIT_CF_DIR");
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
    std::vector<std::string_view> p = segments(pattern), q = segments(path);
    while (!p.empty() && p.front() == ".")
        p.erase(p.begin());
    if (pattern.find('/') == std::string_view::npos) {
        if (q.empty() || p.size() != 1) return false;
        return segments_match(p, 0, {q.back()}, 0);
    }
    return segments_match(p, 0, q, 0);
}

std::optional<std::string> PathIgnores::relative(const std::string& path) const {
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
    const fs::path relative = file.lexically_relative(base);
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    return relative.generic_string();
}

bool PathIgnores::ignores_relative(const std::string& relative_path, const Rule& rule) const {
    for (const Entry& entry : entries) {
        if (!glob_match(entry.pattern, relative_path)) continue;
        for (const std::string& selector : entry.selectors)
            if (selector_matches(selector, rule)) return true;
    }
    return false;
}

bool PathIgnores::ignores(const std::string& path, const Rule& rule) const {
    if (entries.empty()) return false;
    std::optional<std::string> relative_path = relative(path);
    return relative_path && ignores_relative(*relative_path, rule);
}

bool parse_project_config(std::string_view text, const std::string& path, ProjectConfig& config,
                          std::vector<std::string>& errors) {
    const size_t errors_before = errors.size();
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        errors.push_back(json_syntax_error(path, text, e.byte, e.what()));
        return false;
    }
    Reader reader(path, errors, config.rule_names);
    config.path = path;
    std::error_code ec;
    const fs::path directory = fs::weakly_canonical(fs::absolute(path, ec), ec).parent_path();
    config.per_path_ignores.base = directory.string();
    if (!reader.expect(document, nlohmann::json::value_t::object, "an object", "")) return false;

    for (const auto& [key, value] : document.items()) {
        const std::string at = "/" + pointer_token(key);
        if (key == "$schema") {
            reader.expect(value, nlohmann::json::value_t::string, "a string", at);
        } else if (key == "select") {
            config.settings.select = reader.selectors(value, at);
        } else if (key == "ignore") {
            if (auto list = reader.selectors(value, at)) config.settings.ignore = *list;
        } else if (key == "fail-on") {
            if (!reader.expect(value, nlohmann::json::value_t::string, "a string", at)) continue;
            config.settings.fail_on = fail_on_value(value.get<std::string>());
            if (!config.settings.fail_on)
                reader.error(at, "`" + value.get<std::string>() + "` is not one of " +
                                     std::string(kFailOnValues));
        } else if (key == "role") {
            if (!reader.expect(value, nlohmann::json::value_t::string, "a string", at)) continue;
            config.settings.role = model::parse_role(value.get<std::string>());
            if (!config.settings.role) {
                std::string names;
                for (model::Role role : model::kRoles)
                    names += (names.empty() ? "" : ", ") + std::string(to_string(role));
                reader.error(at, "`" + value.get<std::string>() + "` is not a host role (" + names +
                                     ")");
            }
        } else if (key == "cf-dir") {
            config.settings.cf_dir = reader.path(value, at, directory);
        } else if (key == "severity") {
            if (!reader.expect(value, nlohmann::json::value_t::object,
                               "an object of rule IDs to severities", at))
                continue;
            for (const auto& [id, level] : value.items()) {
                const std::string rule_at = at + "/" + pointer_token(id);
                reader.rule_name(rule_at, id, true);
                if (std::optional<Severity> s = reader.severity(level, rule_at))
                    config.severity[id] = *s;
            }
        } else if (key == "per-path-ignores") {
            if (!reader.expect(value, nlohmann::json::value_t::object,
                               "an object of globs to rule selectors", at))
                continue;
            for (const auto& [pattern, selectors] : value.items()) {
                const std::string glob_at = at + "/" + pointer_token(pattern);
                const std::vector<std::string_view> parts = segments(pattern);
                if (pattern.empty() || pattern.front() == '/' ||
                    std::find(parts.begin(), parts.end(), "..") != parts.end()) {
                    reader.error(glob_at, "a glob relative to the configuration file's directory, "
                                          "without `..`");
                    continue;
                }
                if (auto list = reader.selectors(selectors, glob_at))
                    config.per_path_ignores.entries.push_back({pattern, *list});
            }
        } else if (key == "policies") {
            if (!reader.expect(value, nlohmann::json::value_t::array,
                               "an array of policy file paths", at))
                continue;
            for (size_t i = 0; i < value.size(); ++i)
                if (auto file = reader.path(value[i], at + "/" + std::to_string(i), directory))
                    config.policies.push_back(*file);
        } else {
            reader.error(at, "unknown key (keys: select, ignore, severity, fail-on, role, cf-dir, "
                             "per-path-ignores, policies, $schema)");
        }
    }
    return errors.size() == errors_before;
}

bool load_project_config(const std::string& path, ProjectConfig& config,
                         std::vector<std::string>& errors) {
    std::string text, error;
    if (!read_file_text(path, text, error)) {
        errors.push_back(path + ": " + error);
        return false;
    }
    return parse_project_config(text, path, config, errors);
}

bool check_rule_names(const ProjectConfig& config, std::vector<std::string>& errors) {
    const size_t errors_before = errors.size();
    for (const ProjectConfig::RuleName& name : config.rule_names) {
        if (name.exact_id) {
            const Rule* rule = find_rule(name.name);
            if (rule == nullptr || rule->id != name.name)
                errors.push_back(config_error(config.path, name.pointer,
                                              rule == nullptr
                                                  ? "unknown rule ID"
                                                  : "unknown rule ID (the rule's ID is " +
                                                        std::string(rule->id) + ")"));
            continue;
        }
        RuleSelection probe;
        probe.select = {name.name};
        if (!unknown_selectors(probe).empty())
            errors.push_back(
                config_error(config.path, name.pointer, "no rule matches `" + name.name + "`"));
    }
    return errors.size() == errors_before;
}

std::string find_project_config(const std::string& audited) {
    std::error_code ec;
    fs::path directory = fs::absolute(audited, ec).lexically_normal();
    if (directory.has_filename() && !fs::is_directory(directory, ec))
        directory = directory.parent_path();
    while (true) {
        const fs::path candidate = directory / kProjectConfigName;
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
        // The repository's top (`.git` is a directory, or a file in a worktree) ends the search.
        if (fs::exists(directory / ".git", ec)) return {};
        const fs::path parent = directory.parent_path();
        if (parent == directory || directory.empty()) return {};
        directory = parent;
    }
}

SettingsLayer merge_settings(const SettingsLayer& command_line, const SettingsLayer& environment,
                             const SettingsLayer& file) {
    auto first = [](const auto& a, const auto& b, const auto& c) { return a ? a : b ? b : c; };
    SettingsLayer merged;
    merged.select = first(command_line.select, environment.select, file.select);
    for (const SettingsLayer* layer : {&file, &environment, &command_line})
        merged.ignore.insert(merged.ignore.end(), layer->ignore.begin(), layer->ignore.end());
    merged.fail_on = first(command_line.fail_on, environment.fail_on, file.fail_on);
    merged.role = first(command_line.role, environment.role, file.role);
    merged.cf_dir = first(command_line.cf_dir, environment.cf_dir, file.cf_dir);
    return merged;
}

struct LoadedPolicies {
    policy::PolicySet set;
    std::optional<LoadedRules> active; // after `set`: unloaded before the rules it points to go
};

ResolvedSettings::ResolvedSettings() = default;
ResolvedSettings::~ResolvedSettings() = default;
ResolvedSettings::ResolvedSettings(ResolvedSettings&&) noexcept = default;
ResolvedSettings& ResolvedSettings::operator=(ResolvedSettings&&) noexcept = default;

bool resolve_settings(const CommandLineSettings& command_line,
                      const std::vector<std::string>& paths, const GetEnv& getenv,
                      ResolvedSettings& resolved, std::vector<std::string>& errors) {
    const size_t errors_before = errors.size();
    std::string config_file;
    if (!command_line.no_config) {
        const char* named = getenv("SMAUDIT_CONFIG");
        if (!command_line.config_file.empty())
            config_file = command_line.config_file;
        else if (named != nullptr && *named != '\0')
            config_file = named;
        else if (!paths.empty())
            config_file = find_project_config(paths.front());
    }
    if (!config_file.empty()) load_project_config(config_file, resolved.project, errors);
    // The policies before the rule names of the file and the environment, which may name theirs.
    std::vector<std::string> policy_files = resolved.project.policies;
    policy_files.insert(policy_files.end(), command_line.policy_files.begin(),
                        command_line.policy_files.end());
    bool policies_loaded = true;
    resolved.policies.reset();
    if (!policy_files.empty()) {
        resolved.policies = std::make_unique<LoadedPolicies>();
        policies_loaded = policy::load_policy_files(policy_files, resolved.policies->set, errors);
        if (policies_loaded) resolved.policies->active.emplace(resolved.policies->set.rules());
    }
    SettingsLayer environment;
    read_environment(getenv, policies_loaded, environment, errors);
    if (policies_loaded) check_rule_names(resolved.project, errors);
    if (errors.size() != errors_before) return false;
    resolved.merged = merge_settings(command_line.layer, environment, resolved.project.settings);
    return true;
}

} // namespace smaudit
