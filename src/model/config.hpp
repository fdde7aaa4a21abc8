// The effective configuration: what sendmail will actually use, one model for .cf and .mc
// sources. Every value knows where it came from (a Location), or that it is sendmail's built-in
// default (an invalid Location, `is_default`).
#pragma once

#include "ast/cf.hpp"
#include "diag/diagnostic.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::model {

// A stretch of a setting's value that came from one place, for a value pieced together from
// several (in an .mc, a define that adds to an earlier one with defn()): value bytes
// [offset, offset + length) are the bytes `where` when `exact`, else they came from the call or
// statement `where` as a whole (invalid: from sendmail's cf tree).
struct ValuePiece {
    uint32_t offset = 0;
    uint32_t length = 0;
    Location where;
    bool exact = false;
};

// One active `O` line that contributed to an option's value.
struct OptionSetting {
    std::string value;        // the value written on that line
    Location where;           // the whole line (in an .mc, the statement that set the value)
    Location value_where;     // the value's bytes (for carets and fixes)
    std::string written_name; // the name as written ("Privacy", "p")
    // Where each part of the value came from, when value_where cannot say it alone (it then
    // holds the statement that put them together); in value order, empty otherwise.
    std::vector<ValuePiece> value_pieces;
};

struct OptionValue {
    std::string name;        // canonical long name, e.g. "PrivacyOptions", "Timeout.queuewarn"
    std::string value;       // effective value (accumulated for PrivacyOptions/DontBlameSendmail)
    bool is_default = false; // no active line: sendmail's compiled-in default applies
    // For a default: what it means when the value alone does not say ("0: unlimited").
    std::string_view default_note;
    // The lines that made the value, in order (empty for a default). For last-wins options the
    // effective one is settings.back(); for accumulating ones every line counts.
    std::vector<OptionSetting> settings;
    Location where() const { return settings.empty() ? Location{} : settings.back().where; }
    Location value_where() const {
        return settings.empty() ? Location{} : settings.back().value_where;
    }
};

// `DaemonPortOptions` / `ClientPortOptions` parsed into key=value pairs (KB §1.5): only the first
// character of a key counts, so keys are normalised to the long names sendmail documents
// ("Addr", "Family", "Port", "Name", "Modifiers", ...).
struct PortOptions {
    std::vector<std::pair<std::string, std::string>> pairs; // as normalised, in order
    Location where;          // the whole O line; invalid for sendmail's default daemon
    bool is_default = false; // no DaemonPortOptions line: the daemon sendmail opens by itself
    std::optional<std::string> get(std::string_view key) const;
};

struct ClassDef {
    std::string name;
    std::vector<std::string> words;   // from C lines
    std::vector<Location> word_where; // the bytes of each of `words`, in the same order
    std::vector<std::string> files;   // from F lines (paths or |programs)
    struct FileLine {                 // each F line that reads a file (no program, no map)
        std::string path;
        bool optional = false; // -o: sendmail goes on silently without it
        Location where;        // the F line
        std::string pattern;   // the scanf pattern ("%[^#]"); empty: sendmail's "%s"
    };
    std::vector<FileLine> file_lines;
    std::vector<Location> where; // every line that added to it
};

struct MacroDef {
    std::string name;
    std::string value;
    Location where;
};

// `HReceived: $?sfrom $s $.by $j ($v/$Z)...`: a header sendmail adds to messages.
struct HeaderDef {
    std::string name;      // "Received"
    std::string condition; // between `?...?` (mailer flags or ${macro}); empty when none
    std::string value;     // as sendmail reads it: continuation lines keep their "\n\t"
    Location where;        // the whole H line
    Location value_where;  // the value's bytes
};

struct MapDef {
    std::string name;
    std::string type;
    std::string spec;
    std::vector<std::string> args;
    Location where;
};

struct MailerDef {
    std::string name;
    std::map<char, std::string> fields;   // by field letter: 'P' path, 'F' flags, 'A' argv, ...
    std::map<char, Location> field_where; // each field's value bytes, for carets and fixes
    Location where;
};

struct RuleDef {
    std::string lhs, rhs, comment;
    Location where;
};

struct RulesetDef {
    std::string name;
    std::optional<int> number;
    std::vector<RuleDef> rules;
    Location where;
};

// `Qname, P=..., R=...` queue groups and `Xname, S=..., F=...` milters, fields by letter.
struct QueueGroupDef {
    std::string name;
    std::map<char, std::string> fields;
    Location where;
};
struct MilterDef {
    std::string name;
    std::map<char, std::string> fields;
    Location where;
    std::map<char, Location> field_where; // each field's value bytes (quotes included)
};

// A FEATURE known to be active: from the .mc call, or recognised in a .cf by the rules m4
// writes for it (the relay FEATUREs, model/relay_features.hpp) or else by its banner.
struct Feature {
    std::string name;
    std::vector<std::string> args;
    Location where;
};

struct Config {
    std::vector<FileId> files; // the sources this configuration was built from
    std::string version_level; // from the V line ("10"), empty when absent
    Location version_where;

    // Canonical option name (case-insensitive) -> value in effect, defaults included for every
    // option smaudit knows a default of.
    std::map<std::string, OptionValue> options;
    std::vector<PortOptions> daemons; // one per DaemonPortOptions line (or the default socket)
    std::vector<PortOptions> clients; // one per address family: a later line replaces its family
    std::map<std::string, ClassDef> classes; // "w", "R", "TrustAuthMech", ...
    std::map<std::string, MacroDef> macros;
    std::vector<HeaderDef> headers; // in file order
    std::map<std::string, MapDef> maps;
    std::map<std::string, MailerDef> mailers;
    std::vector<RulesetDef> rulesets; // in file order; a repeated S line appends to its ruleset
    // In file order. From a .cf: each banner once, except dnsbl/enhdnsbl (one entry per zone,
    // args {zone}); greet_pause gets args {ms}. Other .cf features have no args. The relay
    // FEATUREs (promiscuous_relay, relay_entire_domain, relay_based_on_MX, relay_local_from,
    // relay_mail_from, loose_relay_check) come from their rules, at the rule that shows them,
    // never from a banner.
    std::vector<Feature> features;
    std::vector<QueueGroupDef> queue_groups;
    std::vector<MilterDef> milters;

    // The option in effect, by canonical long name (case-insensitive). Never null for an option
    // with a known default; null for an unknown name or an unset option without a default.
    const OptionValue* option(std::string_view name) const;
    const RulesetDef* ruleset(std::string_view name) const;
    const Feature* feature(std::string_view name) const;
    // Whether PrivacyOptions includes `flag` (lower-case word), directly or through `goaway`.
    bool privacy_has(std::string_view flag) const;
    // Whether DontBlameSendmail includes `flag` (lower-case word) after every `safe` reset.
    bool dont_blame_has(std::string_view flag) const;
};

// greet_pause's rule that returns the FEATURE's pause: `R<?> <$*>  $# <ms>` after the access
// lookups, or `R$*  $# <ms>` without an access map (greet_pause.m4).
bool is_greet_pause_default(const RuleDef& rule);

// Builds the effective configuration of one parsed .cf (KB §1.2/§1.4). Problems sendmail itself
// reports while reading the file (unknown/ambiguous option names SM-E050/SM-E051, unknown
// PrivacyOptions/DontBlameSendmail words SM-E052, unknown port option keys SM-E053: sendmail
// then refuses to start; abbreviated option names SM-E054: it warns) are appended to
// `diagnostics`; a rejected setting is left out, as sendmail's reader leaves it out.
//
// Semantics: last line wins, except PrivacyOptions (flags OR-ed, value = normalised lower-case
// comma list, "public" when empty), DontBlameSendmail (same, `safe` clears, "safe" when empty),
// AliasFile (values joined with ','), DaemonPortOptions/ClientPortOptions (value = last line, every
// line also one entry of `daemons`/`clients`). `O QueueTimeout`/`OT` sets Timeout.queuereturn and
// Timeout.queuewarn; Timeout.queuewarn/queuereturn also set their .normal/.urgent/.non-urgent/.dsn
// classes, Timeout.resolver.retrans/retry their .first/.normal; `O Timeout=a,b=c` (legacy `Or`)
// follows inittimeouts(). Options without an active line get their binary default
// (is_default=true) when sendmail has one; ColonOkInAddr's depends on the V level.
Config build_config(const SourceSet& sources, const ast::CfFile& cf,
                    std::vector<Diagnostic>& diagnostics);

} // namespace smaudit::model
