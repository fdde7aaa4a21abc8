// The project configuration loader (docs/configuration.md): each error with its JSON pointer,
// precedence command line > environment > file, discovery upward, per-path globs.
#include "../support/temp_dir.hpp"
#include "app/audit.hpp"
#include "app/project_config.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

// The errors of reading TEXT and checking its rule names (against the built-in rules).
std::vector<std::string> errors_of(std::string_view text) {
    ProjectConfig config;
    std::vector<std::string> errors;
    const bool read = parse_project_config(text, "repo/.smaudit.json", config, errors);
    CHECK_FALSE((check_rule_names(config, errors) && read));
    return errors;
}

std::string only_error(std::string_view text) {
    std::vector<std::string> errors = errors_of(text);
    REQUIRE(errors.size() == 1);
    return errors.front();
}

ProjectConfig parsed(std::string_view text, const std::string& path = "repo/.smaudit.json") {
    ProjectConfig config;
    std::vector<std::string> errors;
    CHECK(parse_project_config(text, path, config, errors));
    CHECK(check_rule_names(config, errors));
    CHECK(errors.empty());
    return config;
}

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

GetEnv environment(std::map<std::string, std::string> table) {
    return [table = std::move(table)](const char* name) -> const char* {
        auto it = table.find(name);
        return it == table.end() ? nullptr : it->second.c_str();
    };
}

} // namespace

TEST_CASE("every key is read") {
    ProjectConfig c = parsed(R"({
        "$schema": "x", "select": ["SM-S", "vrfy-enabled"], "ignore": ["SM-S02"],
        "severity": {"SM-S001": "info"}, "fail-on": "none", "role": "relay-hub",
        "cf-dir": "cf", "per-path-ignores": {"hosts/**": ["SM-P"]},
        "policies": ["p/org.json", "/etc/base.json"]})");
    CHECK(c.settings.select == std::vector<std::string>{"SM-S", "vrfy-enabled"});
    CHECK(c.settings.ignore == std::vector<std::string>{"SM-S02"});
    CHECK(c.severity.at("SM-S001") == Severity::Info);
    CHECK(c.settings.fail_on == "none");
    CHECK(c.settings.role == model::Role::RelayHub);
    // Relative paths are the file's directory's, made absolute.
    const fs::path repo = fs::weakly_canonical(fs::absolute("repo"));
    CHECK(c.settings.cf_dir == (repo / "cf").string());
    CHECK(c.policies ==
          std::vector<std::string>{(repo / "p" / "org.json").string(), "/etc/base.json"});
    REQUIRE(c.per_path_ignores.entries.size() == 1);
    CHECK(c.per_path_ignores.entries[0].pattern == "hosts/**");
    CHECK(fs::path(c.per_path_ignores.base).is_absolute());
}

TEST_CASE("each error names the key's JSON pointer") {
    CHECK(only_error(R"({"severity": {"SM-S999": "low"}})") ==
          "repo/.smaudit.json: /severity/SM-S999: unknown rule ID");
    CHECK(only_error(R"({"severity": {"sm-s001": "low"}})") ==
          "repo/.smaudit.json: /severity/sm-s001: unknown rule ID (the rule's ID is SM-S001)");
    CHECK(only_error(R"({"severity": {"SM-S001": "urgent"}})") ==
          "repo/.smaudit.json: /severity/SM-S001: `urgent` is not a severity (critical, high, "
          "medium, low, info)");
    CHECK(only_error(R"({"severity": {"SM-S001": 3}})") ==
          "repo/.smaudit.json: /severity/SM-S001: expected a severity, got number");
    CHECK(only_error(R"({"severity": []})") ==
          "repo/.smaudit.json: /severity: expected an object of rule IDs to severities, got array");
    CHECK(only_error(R"({"fail_on": "high"})")
              .starts_with("repo/.smaudit.json: /fail_on: unknown key (keys: select, ignore"));
    CHECK(only_error(R"({"fail-on": 1})") ==
          "repo/.smaudit.json: /fail-on: expected a string, got number");
    CHECK(only_error(R"({"fail-on": "loud"})") ==
          "repo/.smaudit.json: /fail-on: `loud` is not one of critical, high, medium, low, info, "
          "none");
    CHECK(only_error(R"({"role": "smarthost"})") ==
          "repo/.smaudit.json: /role: `smarthost` is not a host role (mx, relay-hub, "
          "submission, client-only, msp)");
    CHECK(only_error(R"({"select": "SM-S"})") ==
          "repo/.smaudit.json: /select: expected an array of rule selectors, got string");
    CHECK(only_error(R"({"ignore": ["SM-S", 7]})") ==
          "repo/.smaudit.json: /ignore/1: expected a string, got number");
    CHECK(only_error(R"({"select": ["SM-X"]})") ==
          "repo/.smaudit.json: /select/0: no rule matches `SM-X`");
    CHECK(only_error(R"({"cf-dir": ""})") == "repo/.smaudit.json: /cf-dir: empty path");
    CHECK(only_error(R"({"policies": ["a.json", null]})") ==
          "repo/.smaudit.json: /policies/1: expected a path, got null");
    // RFC 6901: `/` in a key is `~1`, `~` is `~0`.
    CHECK(only_error(R"({"per-path-ignores": {"hosts/legacy/**": ["SM-X"]}})") ==
          "repo/.smaudit.json: /per-path-ignores/hosts~1legacy~1**/0: no rule matches `SM-X`");
    CHECK(only_error(R"({"per-path-ignores": {"~/a": "SM-S"}})") ==
          "repo/.smaudit.json: /per-path-ignores/~0~1a: expected an array of rule selectors, got "
          "string");
    CHECK(only_error(R"({"per-path-ignores": {"/etc/mail/*": ["SM-S"]}})") ==
          "repo/.smaudit.json: /per-path-ignores/~1etc~1mail~1*: a glob relative to the "
          "configuration file's directory, without `..`");
    CHECK(only_error(R"({"per-path-ignores": {"../x": ["SM-S"]}})").ends_with("without `..`"));
    CHECK(only_error("[1]") == "repo/.smaudit.json: (document): expected an object, got array");
    // Every error is reported, not just the first.
    CHECK(errors_of(R"({"a": 1, "role": "x", "severity": {"SM-S999": "low"}})").size() == 3);
}

TEST_CASE("JSON that does not parse is reported with its line and column") {
    std::string error = only_error("{\n  \"fail-on\": \"high\",\n}");
    CHECK(error.starts_with("repo/.smaudit.json:3:1: not valid JSON: "));
    CHECK(only_error("").starts_with("repo/.smaudit.json:1:1: not valid JSON: "));
    // Columns count code points, as the reports' columns do: the `]` is the 15th character
    // (the 16th byte: é is two).
    CHECK(only_error("{\"role\": \"\u00e9\", ]}")
              .starts_with("repo/.smaudit.json:1:15: not valid JSON: syntax error while parsing "
                           "object key"));
}

TEST_CASE("precedence: command line over environment over file; ignore lists add up") {
    SettingsLayer file, env, cli;
    file.select = {{"SM-S"}};
    file.ignore = {"SM-S001"};
    file.fail_on = "medium";
    file.role = model::Role::Mx;
    file.cf_dir = "/file/cf";
    SettingsLayer merged = merge_settings(cli, env, file);
    CHECK(merged.select == file.select);
    CHECK(merged.fail_on == "medium");
    CHECK(merged.role == model::Role::Mx);
    CHECK(merged.cf_dir == "/file/cf");

    env.select = {{"SM-P"}};
    env.ignore = {"SM-P004"};
    env.fail_on = "high";
    env.role = model::Role::ClientOnly;
    merged = merge_settings(cli, env, file);
    CHECK(merged.select == env.select);
    CHECK(merged.ignore == std::vector<std::string>{"SM-S001", "SM-P004"});
    CHECK(merged.fail_on == "high");
    CHECK(merged.role == model::Role::ClientOnly);
    CHECK(merged.cf_dir == "/file/cf");

    cli.select = {{"SM-C"}};
    cli.ignore = {"SM-C001"};
    cli.fail_on = "none";
    cli.cf_dir = "/cli/cf";
    merged = merge_settings(cli, env, file);
    CHECK(merged.select == cli.select);
    CHECK(merged.ignore == std::vector<std::string>{"SM-S001", "SM-P004", "SM-C001"});
    CHECK(merged.fail_on == "none");
    CHECK(merged.role == model::Role::ClientOnly);
    CHECK(merged.cf_dir == "/cli/cf");
}

TEST_CASE("resolve_settings reads the environment and the file, and names bad variables") {
    TempDir tmp("smaudit-config");
    write(tmp.path / ".git" / "HEAD", "ref: refs/heads/main\n");
    write(tmp.path / ".smaudit.json", R"({"fail-on": "medium", "role": "mx"})");
    write(tmp.path / "mail" / "sendmail.cf", "V10/Berkeley\n");
    const std::vector<std::string> paths = {(tmp.path / "mail" / "sendmail.cf").string()};

    ResolvedSettings resolved;
    std::vector<std::string> errors;
    REQUIRE(resolve_settings({}, paths, environment({{"SMAUDIT_ROLE", "msp"}}), resolved, errors));
    CHECK(resolved.project.path == (tmp.path / ".smaudit.json").string());
    CHECK(resolved.merged.fail_on == "medium");
    CHECK(resolved.merged.role == model::Role::Msp);

    CommandLineSettings cli;
    cli.layer.fail_on = "critical";
    resolved = {};
    REQUIRE(
        resolve_settings(cli, paths, environment({{"SMAUDIT_FAIL_ON", "high"}}), resolved, errors));
    CHECK(resolved.merged.fail_on == "critical");

    // An empty variable is an unset one; --no-config reads no file.
    cli = {};
    cli.no_config = true;
    resolved = {};
    REQUIRE(resolve_settings(cli, paths, environment({{"SMAUDIT_FAIL_ON", ""}}), resolved, errors));
    CHECK(resolved.project.path.empty());
    CHECK_FALSE(resolved.merged.fail_on);

    // SMAUDIT_CONFIG names the file; --config wins over it.
    write(tmp.path / "other.json", R"({"fail-on": "info"})");
    write(tmp.path / "third.json", R"({"fail-on": "low"})");
    resolved = {};
    REQUIRE(resolve_settings({}, paths,
                             environment({{"SMAUDIT_CONFIG", (tmp.path / "other.json").string()}}),
                             resolved, errors));
    CHECK(resolved.merged.fail_on == "info");
    cli = {};
    cli.config_file = (tmp.path / "third.json").string();
    resolved = {};
    REQUIRE(resolve_settings(cli, paths,
                             environment({{"SMAUDIT_CONFIG", (tmp.path / "other.json").string()}}),
                             resolved, errors));
    CHECK(resolved.merged.fail_on == "low");
    CHECK(errors.empty());

    resolved = {};
    CHECK_FALSE(resolve_settings({}, paths,
                                 environment({{"SMAUDIT_FAIL_ON", "loud"},
                                              {"SMAUDIT_ROLE", "hub"},
                                              {"SMAUDIT_SELECT", "SM-S, SM-X"},
                                              {"SMAUDIT_IGNORE", "nothing-like-this"}}),
                                 resolved, errors));
    CHECK(errors == std::vector<std::string>{
                        "SMAUDIT_SELECT: no rule matches `SM-X`",
                        "SMAUDIT_IGNORE: no rule matches `nothing-like-this`",
                        "SMAUDIT_FAIL_ON: `loud` is not one of critical, high, medium, low, "
                        "info, none",
                        "SMAUDIT_ROLE: `hub` is not a host role"});

    errors.clear();
    cli = {};
    cli.config_file = (tmp.path / "missing.json").string();
    CHECK_FALSE(resolve_settings(cli, paths, environment({}), resolved, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with(cli.config_file + ": "));
}

TEST_CASE(
    "resolve_settings loads the policies before it checks the rule names that may name them") {
    TempDir tmp("smaudit-config");
    write(tmp.path / ".git" / "HEAD", "ref: refs/heads/main\n");
    const std::string policy =
        R"({"policies": [{"id": "ID", "severity": "high", "pack": "security", "message": "m",
                          "option": "MaxMessageSize", "max": 1000}]})";
    write(tmp.path / "p" / "org.json", std::regex_replace(policy, std::regex("ID"), "ORG-001"));
    write(tmp.path / "cli.json", std::regex_replace(policy, std::regex("ID"), "CLI-001"));
    write(tmp.path / ".smaudit.json", R"({"policies": ["p/org.json"], "select": ["ORG", "CLI"],
        "severity": {"ORG-001": "low", "CLI-001": "info"},
        "per-path-ignores": {"legacy/**": ["org-001"]}})");
    write(tmp.path / "mail" / "sendmail.cf", "V10/Berkeley\n");
    const std::vector<std::string> paths = {(tmp.path / "mail" / "sendmail.cf").string()};

    CommandLineSettings cli;
    cli.policy_files = {(tmp.path / "cli.json").string()};
    std::vector<std::string> errors;
    {
        ResolvedSettings resolved;
        REQUIRE(resolve_settings(cli, paths, environment({{"SMAUDIT_IGNORE", "cli-001"}}), resolved,
                                 errors));
        CHECK(errors.empty());
        CHECK(resolved.merged.select == std::vector<std::string>{"ORG", "CLI"});
        CHECK(resolved.merged.ignore == std::vector<std::string>{"cli-001"});
        CHECK(resolved.project.severity.at("ORG-001") == Severity::Low);
        CHECK(resolved.project.severity.at("CLI-001") == Severity::Info);
        // Loaded while the settings live: the file's policies, then the command line's.
        REQUIRE(loaded_rules().size() == 2);
        CHECK(loaded_rules()[0].id == "ORG-001");
        CHECK(loaded_rules()[1].id == "CLI-001");
    }
    CHECK(loaded_rules().empty());

    // Without the command line's policy file its rules are unknown again, in the file and in
    // the environment alike; the file's are still known.
    ResolvedSettings resolved;
    CHECK_FALSE(resolve_settings({}, paths, environment({{"SMAUDIT_IGNORE", "cli-001,org-001"}}),
                                 resolved, errors));
    const std::string file = (tmp.path / ".smaudit.json").string();
    CHECK(errors == std::vector<std::string>{"SMAUDIT_IGNORE: no rule matches `cli-001`",
                                             file + ": /select/1: no rule matches `CLI`",
                                             file + ": /severity/CLI-001: unknown rule ID"});
    // A policy file that does not load: its error alone, not one per name of its rules.
    errors.clear();
    resolved = {};
    cli.policy_files = {(tmp.path / "missing.json").string()};
    CHECK_FALSE(resolve_settings(cli, paths, environment({{"SMAUDIT_IGNORE", "cli-001"}}), resolved,
                                 errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with(cli.policy_files[0] + ": "));
}

TEST_CASE("discovery goes upward from the audited path and stops at the repository's top") {
    TempDir tmp("smaudit-config");
    const fs::path repo = tmp.path / "repo";
    write(repo / ".git" / "HEAD", "ref: refs/heads/main\n");
    write(repo / "hosts" / "mx1" / "sendmail.mc", "dnl\n");
    const std::string mc = (repo / "hosts" / "mx1" / "sendmail.mc").string();

    // Above the repository's top: not read.
    write(tmp.path / ".smaudit.json", "{}");
    CHECK(find_project_config(mc).empty());
    CHECK(find_project_config((repo / "hosts").string()).empty());

    write(repo / ".smaudit.json", "{}");
    CHECK(find_project_config(mc) == (repo / ".smaudit.json").string());
    CHECK(find_project_config((repo / "hosts" / "mx1").string()) ==
          (repo / ".smaudit.json").string());
    CHECK(find_project_config(repo.string()) == (repo / ".smaudit.json").string());

    // The nearest wins.
    write(repo / "hosts" / ".smaudit.json", "{}");
    CHECK(find_project_config(mc) == (repo / "hosts" / ".smaudit.json").string());

    // A worktree's `.git` is a file: it ends the search too.
    const fs::path worktree = tmp.path / "wt";
    write(worktree / ".git", "gitdir: /elsewhere\n");
    write(worktree / "sendmail.cf", "V10\n");
    CHECK(find_project_config((worktree / "sendmail.cf").string()).empty());

    // Without any `.git`, up to the root: the temporary directory's file is found.
    write(tmp.path / "plain" / "a" / "sendmail.cf", "V10\n");
    CHECK(find_project_config((tmp.path / "plain" / "a" / "sendmail.cf").string()) ==
          (tmp.path / ".smaudit.json").string());
}

TEST_CASE("glob_match: segments with fnmatch, ** for any number, no / for the file name") {
    CHECK(glob_match("hosts/legacy/**", "hosts/legacy/mx1/sendmail.mc"));
    CHECK(glob_match("hosts/legacy/**", "hosts/legacy/sendmail.cf"));
    CHECK_FALSE(glob_match("hosts/legacy/**", "hosts/legacy2/sendmail.cf"));
    CHECK_FALSE(glob_match("hosts/legacy/**", "other/hosts/legacy/sendmail.cf"));
    CHECK(glob_match("**/submit.cf", "submit.cf"));
    CHECK(glob_match("**/submit.cf", "a/b/submit.cf"));
    CHECK(glob_match("hosts/**/sendmail.cf", "hosts/sendmail.cf"));
    CHECK(glob_match("hosts/**/sendmail.cf", "hosts/a/b/sendmail.cf"));
    CHECK(glob_match("hosts/*/sendmail.mc", "hosts/mx1/sendmail.mc"));
    CHECK_FALSE(glob_match("hosts/*/sendmail.mc", "hosts/a/mx1/sendmail.mc"));
    CHECK_FALSE(glob_match("hosts/*", "hosts/a/b"));
    CHECK(glob_match("hosts/mx?/*.cf", "hosts/mx1/sendmail.cf"));
    CHECK(glob_match("hosts/mx[0-9]/*.cf", "hosts/mx7/sendmail.cf"));
    CHECK_FALSE(glob_match("hosts/mx[!0-9]/*.cf", "hosts/mx7/sendmail.cf"));
    CHECK(glob_match("*.access", "maps/site.access"));
    CHECK(glob_match("*.access", "site.access"));
    CHECK(glob_match("sendmail.cf", "a/b/sendmail.cf"));
    CHECK_FALSE(glob_match("sendmail.cf", "a/b/submit.cf"));
    CHECK(glob_match("./hosts/*.cf", "hosts/a.cf"));
    CHECK(glob_match("*", ".hidden"));
}

TEST_CASE("per-path ignores match paths relative to the configuration's directory") {
    TempDir tmp("smaudit-config");
    write(tmp.path / "hosts" / "legacy" / "sendmail.cf", "V10\n");
    write(tmp.path / "hosts" / "new" / "sendmail.cf", "V10\n");
    ProjectConfig c = parsed(R"({"per-path-ignores": {"hosts/legacy/**": ["SM-S0"]}})",
                             (tmp.path / ".smaudit.json").string());
    const Rule* s001 = find_rule("SM-S001");
    const Rule* p004 = find_rule("SM-P004");
    REQUIRE(s001);
    REQUIRE(p004);
    CHECK(c.per_path_ignores.ignores((tmp.path / "hosts/legacy/sendmail.cf").string(), *s001));
    CHECK_FALSE(
        c.per_path_ignores.ignores((tmp.path / "hosts/legacy/sendmail.cf").string(), *p004));
    CHECK_FALSE(c.per_path_ignores.ignores((tmp.path / "hosts/new/sendmail.cf").string(), *s001));
    // Through `..` and from another directory, the same file.
    CHECK(
        c.per_path_ignores.ignores((tmp.path / "hosts/new/../legacy/sendmail.cf").string(), *s001));
    CHECK_FALSE(c.per_path_ignores.ignores("/etc/mail/sendmail.cf", *s001));
}

TEST_CASE("every json example of docs/configuration.md is read without error") {
    std::ifstream in(std::string(SMAUDIT_SOURCE_DIR) + "/docs/configuration.md");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::regex block("```json\n([^`]*)```");
    int examples = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), block);
         it != std::sregex_iterator(); ++it, ++examples) {
        CAPTURE((*it)[1].str());
        parsed((*it)[1].str());
    }
    CHECK(examples >= 3);
}
