// The rule API. A rule is a plain table entry (no static self-registration): rules/registry.cpp
// lists them all, sorted by ID. IDs are stable forever and never reused.
#pragma once

#include "analyze/drift.hpp"
#include "analyze/host_figures.hpp"
#include "analyze/role.hpp"
#include "diag/diagnostic.hpp"
#include "m4/expand.hpp"
#include "model/config.hpp"
#include "model/map_databases.hpp"
#include "model/map_set.hpp"
#include "model/named_files.hpp"
#include "model/referenced_files.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

namespace policy {
struct Policy;
}

// Severities the project sets per rule (.smaudit.json "severity", docs/configuration.md): rule ID
// -> the severity a finding at the rule's default severity gets, on every host role.
using SeverityOverrides = std::map<std::string, Severity, std::less<>>;

// What a rule sees: the sources (to read text for fixes), the effective configuration, and
// what else was audited with it.
struct RuleContext {
    const SourceSet& sources;
    // When no .cf/.mc was audited (an access file alone), an empty Config with
    // `config_present` false: configuration rules then stay quiet.
    const model::Config& config;
    // The .mc's expansion (its macro calls, m4's errprint messages, ...) when the configuration
    // came from an .mc; null for a .cf.
    const m4::Expansion* expansion = nullptr;
    // The text maps audited with this configuration (same directory); null when there are none.
    const model::MapSet* maps = nullptr;
    bool config_present = true;
    // For an .mc audited with the .cf sendmail loads beside it (sendmail.cf beside
    // sendmail.mc): how that .cf departs from the .mc's output. Null otherwise.
    const analyze::CfDrift* loaded_cf = nullptr;
    // The host role of this configuration (--role, or detected). run_rules detects it when
    // null, so a rule's check always sees one when a configuration is audited. Rules need it
    // only when their logic depends on the role: severities by role are data
    // (engine/role_severity.hpp), applied by run_rules.
    const model::HostRole* role = nullptr;
    // The CPUs, memory and queue file system of the host (--cpus/--memory/--queue-fs-size, the
    // machine of a live audit, or the catalog's assumption): rules read them through
    // rules::host_figures(), which gives the assumption when this is null.
    const analyze::HostFigures* host = nullptr;
    // The text files the configuration names (its help file), read where the audit may read
    // them, or why not (app/named_files.hpp). Null: none were looked up (a test's text).
    const model::NamedFiles* named_files = nullptr;
    // The map databases sendmail loads (K hash/btree maps, AliasFile), as found on disk and
    // compared with their sources (app/map_databases.hpp). Null: not looked up.
    const model::MapDatabases* map_databases = nullptr;
    // Every file the configuration references, with what the file system holds there in a live
    // audit or under --root (app/referenced_files.hpp). Null: none were looked up.
    const model::ReferencedFiles* referenced = nullptr;
    // The project's severity overrides, applied by run_rules in place of the role's cell
    // (engine/role_severity.hpp). Null: none.
    const SeverityOverrides* severity_overrides = nullptr;
    // Which part of its work a rule of several parts (Rule::parts) does in this call: run_rules
    // runs the parts on threads for a large map; kAllParts (one call) otherwise.
    static constexpr unsigned kAllParts = ~0u;
    unsigned part = kAllParts;
    bool does_part(unsigned p) const { return part == kAllParts || part == p; }
};

struct Rule;

// Collects a rule's findings, filling in the rule's ID, name, pack and default severity.
class Emitter {
  public:
    Emitter(const Rule& rule, std::vector<Diagnostic>& out) : rule_(rule), out_(out) {}
    // Reports a finding at `where`. Returns it so the rule can add a fix, notes or a different
    // severity.
    Diagnostic& report(Location where, std::string message, std::string label = {});
    // Reports a finding about a default: a value no line sets, so there is no place.
    Diagnostic& report_default(std::string message);
    // The rule whose findings these are (a policy's check reads its policy there).
    const Rule& rule() const { return rule_; }
    // Room for `more` findings, when a rule knows it will make many: a findings array grown by
    // doubling holds its old and new copies at once (a third of a million-entry map audit's
    // memory on top of the map).
    void reserve(size_t more) { out_.reserve(out_.size() + more); }

  private:
    const Rule& rule_;
    std::vector<Diagnostic>& out_;
};

// The fixes a rule's findings carry (design.md: a fix is labelled safe or unsafe). Not every
// finding of a rule with fixes gets one: only those whose text the fix can edit. `Mixed`: safe
// for some findings, unsafe for others. A test runs every rule on its fixtures and holds this
// to what the rule emits.
enum class FixKind { None, Safe, Unsafe, Mixed };
std::string_view to_string(FixKind kind); // "none", "safe", "unsafe", "mixed"

struct Rule {
    std::string_view id;   // "SM-S023"
    std::string_view name; // "vrfy-enabled": names the flagged pattern
    Pack pack;
    Severity severity;          // default severity
    int weight;                 // score points the pack loses per finding at the default severity
    std::string_view summary;   // one line
    std::string_view fix_title; // what the fix does, e.g. "add goaway to PrivacyOptions"
    FixKind fix_kind;           // whether findings come with a fix, and how safe it is
    void (*check)(const RuleContext&, Emitter&);
    // What the rule reads: a configuration (.cf/.mc), or only text maps (access, aliases, ...),
    // which run also when no configuration was audited with them.
    enum class Scope { Config, Maps } scope = Scope::Config;
    // A syntax code this rule's findings stand in for: a diagnostic of that code on the line of
    // one of this rule's findings is dropped (SM-C002 explains m4's own ordering errors, which
    // would otherwise be reported twice, once as SM-E105).
    std::string_view supersedes = {};
    // Rules an organisation declares in a policy file (src/policy/, docs/policies.md): their
    // documentation text (built-in rules have embedded pages, engine/rule_docs.hpp) and the
    // policy their check reads. Empty and null for built-in rules.
    std::string_view doc = {};
    const policy::Policy* policy = nullptr;
    // Independent parts of the check (RuleContext::part), which run_rules may run on threads
    // of their own: the findings are the same as one call's, in another order before the
    // report's sort (by place, rule and message).
    unsigned parts = 1;
};

// The sorted table of every rule (rules/registry.cpp).
const std::vector<Rule>& all_rules();
// The rules loaded at run time (policy packs, --policy): empty unless a LoadedRules is alive.
// find_rule, the selection, the scores and the reporters see them beside all_rules().
const std::vector<Rule>& loaded_rules();
// Makes `rules` the loaded rules while it lives (the command that read the policy files keeps
// it for the whole run, its fixes and its reports); the previous ones come back after.
// Threads: the policy set is the same for every audit of a run, so it is made once and shared
// read-only. Create and destroy a LoadedRules only while no audit runs on another thread (a
// fleet's threads start after the command made it and are joined before it goes:
// app/fleet.hpp); while it lives, loaded_rules(), find_rule and the rules themselves are only
// read, safe from any number of threads.
class LoadedRules {
  public:
    explicit LoadedRules(const std::vector<Rule>& rules);
    ~LoadedRules();
    LoadedRules(const LoadedRules&) = delete;
    LoadedRules& operator=(const LoadedRules&) = delete;

  private:
    const std::vector<Rule>* previous_;
};
// By ID ("SM-S023") or name ("vrfy-enabled"), case-insensitive; null when unknown.
const Rule* find_rule(std::string_view id_or_name);

// Drops the diagnostics that a finding of a rule with `supersedes` stands in for.
void drop_superseded(const SourceSet& sources, std::vector<Diagnostic>& diagnostics);

// Runs the selected rules on one configuration and appends their findings, each at its severity
// on the configuration's role (engine/role_severity.hpp; none without a configuration).
void run_rules(const std::vector<const Rule*>& rules, const RuleContext& context,
               std::vector<Diagnostic>& out);

} // namespace smaudit
