// What the SMTP AUTH, STARTTLS and listening-socket rules share (KB §3.3, §3.4; SM-S032 to
// SM-S040): reading AuthOptions and TLSSrvOptions as sendmail reads them, the access map's
// per-host feature entries (Srv_Features:, Try_TLS:) as the .cf's own rulesets look them up, and
// whether the server side of STARTTLS can work at all.
#pragma once

#include "rules/rule_support.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// The letters sendmail reads from one AuthOptions or TLSSrvOptions value (readcf.c): the value's
// first character, then after each later separator (blank, tab or comma) the character that
// follows it, separators themselves read and ignored. So "A p y" and "A,p,y" read as A, p and
// y, but "y, p" reads as y alone (the blank after the comma is read in p's place) and "yp" too.
std::string read_flag_letters(std::string_view value);

// The letters the writer of a value meant: the first character of each word between separators,
// and every character of a word made only of `known` letters ("y, p" and "yp" mean y and p).
std::string meant_flag_letters(std::string_view value, std::string_view known);

// AuthOptions and TLSSrvOptions add up: every line ORs its letters in (readcf.c never clears
// them; checked with sendmail 8.17: `O AuthOptions=p` then `O AuthOptions=y` keeps p). The
// letters of every line of `option`, in order.
std::string option_letters(const model::Config& config, std::string_view option);

// One access map entry that a feature ruleset looks up.
struct AccessEntry {
    const ast::AccessFile* file = nullptr;
    const ast::MapEntry* entry = nullptr;
    std::string_view key() const { return file->key(*entry); }
    std::string_view value() const { return file->value(*entry); }
    Location where() const { return Location{file->file, entry->span()}; }
};

// The entries of one access tag that a ruleset of the configuration reads (proto.m4 writes
// srv_features, try_tls, ... to look up ${client_name}/${server_name}, then the address, then
// the tag alone, only with FEATURE(`access_db')). The entry of the tag alone is the fallback of
// every host without an entry of its own; an entry of its own replaces it (not added to it).
struct AccessFeatures {
    std::optional<AccessEntry> fallback;
    std::vector<AccessEntry> per_host;
};
// Empty when no ruleset named `ruleset` mentions `tag_text` ("Srv_Features") or no access map
// was audited with the configuration.
AccessFeatures access_features(const RuleContext& context, ast::AccessTag tag,
                               std::string_view ruleset, std::string_view tag_text);

// srvfeatures() (srvrsmtp.c): the first character of each word of the entry's value turns the
// feature of that letter on (lower case) or off (upper case); later words win. `letters` are
// the lower-case letters of one feature: "a" offer AUTH, "c" require encryption for plain-text
// AUTH (AuthOptions p), "l" require AUTH (M=a), "s" offer STARTTLS, "vr" ask for a client
// certificate (`R` is an undocumented alias of `V`).
bool feature_after(bool before, std::string_view value, std::string_view letters);

// The server side of STARTTLS (tls.c inittls() with TLS_I_SRV): sendmail offers STARTTLS only
// when ServerCertFile, ServerKeyFile, CACertPath and CACertFile all name absolute paths (and
// the files exist, which the live tree decides). Checked with sendmail 8.17.1.9: with any one
// of the four missing, EHLO offers no STARTTLS.
struct ServerTls {
    bool configured = false;
    std::vector<std::string> missing; // the options not set to an absolute path, in that order
    // The last line of the four options that is set (for the finding's place); null if none.
    const model::OptionSetting* last_set = nullptr;
};
ServerTls server_tls(const model::Config& config);

// The DaemonPortOptions line of a daemon of `config.daemons` (its OptionSetting, for fixes);
// null for sendmail's default daemon.
const model::OptionSetting* daemon_setting(const model::Config& config,
                                           const model::PortOptions& daemon);
// Where a finding about a daemon points: its value (in an .mc, the DAEMON_OPTIONS argument),
// else its line; invalid for sendmail's default daemon.
Location daemon_location(const model::Config& config, const model::PortOptions& daemon);

// One `Key=value` item of a DaemonPortOptions value whose key starts with `key` (daemon.c reads
// a key by its first letter, either case): the bytes of the whole item (from its first
// non-blank to before its comma) and of its value (trailing blanks left out).
struct DaemonItem {
    size_t begin = 0, end = 0;
    size_t value_begin = 0, value_end = 0;
};
std::optional<DaemonItem> find_daemon_item(std::string_view value, char key);

// Whether a fix may edit a daemon's value in place: a .cf's, or an .mc's written inside m4
// quotes (DAEMON_OPTIONS(`...')); not one from the cf tree (no place).
bool daemon_value_editable(const RuleContext& context, Location at);

// "a, b and c".
std::string join_words(const std::vector<std::string>& items);

} // namespace smaudit::rules
