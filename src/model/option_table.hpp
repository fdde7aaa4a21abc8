// Every .cf option sendmail 8.17/8.18 knows: canonical long name, legacy single-letter alias,
// how repeated lines combine, and the compiled-in default (setdefaults() in conf.c,
// inittimeouts() in readcf.c, op.me "O — Set Option"). Written from those sources' facts; the
// `#O Name=value` examples proto.m4 writes are NOT defaults and are not used here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::model {

// How the lines setting one option combine (KB §1.2.3).
enum class OptionMerge {
    LastWins,       // ordinary options
    PrivacyFlags,   // PrivacyOptions: every line ORs more flags in, none can be removed
    DontBlameFlags, // DontBlameSendmail: flags accumulate, the word `safe` clears earlier ones
    PortList,       // DaemonPortOptions / ClientPortOptions: each line is one more socket/profile
    AliasList,      // AliasFile: each line adds databases
};

struct OptionInfo {
    std::string_view name; // canonical long name ("PrivacyOptions"); empty for letter-only 'g'/'M'
    char letter = 0;       // legacy single-letter form ('p'), 0 when there is none
    OptionMerge merge = OptionMerge::LastWins;
    bool has_suboptions = false; // Timeout.*, Milter.*
    // The compiled-in value when no active line sets the option; nullopt when sendmail leaves it
    // unset or the default depends on the host (then `default_note` says what happens).
    std::optional<std::string_view> default_value;
    std::string_view default_note;
    // Non-empty when only some builds know the option (compile flag), e.g. "_FFR_MTA_STS".
    std::string_view requires_build;
    // False for options the reference build (Debian 12's sendmail 8.17.1.9, the usual build
    // flags) does not compile in: their exact names are still understood, but they take no
    // part in prefix matching, so abbreviations resolve as that sendmail resolves them.
    bool in_reference_build = true;
};

// Sub-options of Timeout and Milter: exact names only (no prefixes), case-insensitive.
struct SubOptionInfo {
    std::string_view name; // "queuewarn", "macros.connect", "LogLevel"
    std::optional<std::string_view> default_value;
    std::string_view default_note;
};

// The table, in sendmail's OptionTab order (prefix resolution depends on that order).
const std::vector<OptionInfo>& option_table();
const std::vector<SubOptionInfo>& timeout_suboptions();
const std::vector<SubOptionInfo>& milter_suboptions();

// Resolution of a long option name the way readcf.c's setoption() does it: case-insensitive;
// an exact name wins; otherwise a prefix matching exactly one name is accepted (sendmail logs
// "used as abbreviation"); two matches before an exact one make the name ambiguous. Checked
// against the reference build for every prefix of every option name
// (tests/model/data/sendmail_option_names.tsv).
struct OptionLookup {
    enum class Status { Found, Unknown, Ambiguous };
    Status status = Status::Unknown;
    const OptionInfo* info = nullptr;  // Found: the option; Ambiguous: the first match
    const OptionInfo* other = nullptr; // Ambiguous: the second match
    bool abbreviated = false;          // Found through a prefix
};
OptionLookup lookup_option(std::string_view name);
const OptionInfo* option_by_letter(char letter);
// Exact (case-insensitive) canonical name, no prefixes.
const OptionInfo* option_by_name(std::string_view name);
const SubOptionInfo* find_timeout_suboption(std::string_view name); // "queuewarn.*" == queuewarn
const SubOptionInfo* find_milter_suboption(std::string_view name);

// Canonical name of a resolved option (with a sub-option: "Timeout.queuewarn", "Milter.LogLevel",
// sub-option spelled as sendmail's table spells it).
std::string canonical_name(const OptionInfo& option, const SubOptionInfo* sub = nullptr);

// Flag words of PrivacyOptions (conf.c PrivacyValues), lower-case, in sendmail's order.
const std::vector<std::string_view>& privacy_flag_names();
// The flags `goaway` stands for (PRIV_GOAWAY: every flag below 0x10000, plus noreflection).
const std::vector<std::string_view>& goaway_flag_names();
// Flag words of DontBlameSendmail (conf.c DontBlameSendmailValues), lower-case, incl. "safe".
const std::vector<std::string_view>& dont_blame_flag_names();

// FEATURE names of the cf/feature directory (8.17/8.18), used to tell a FEATURE banner in a .cf
// from an OSTYPE/DOMAIN/MAILER/HACK banner.
bool is_known_feature(std::string_view name);

// Case-insensitive ASCII comparison helpers shared by the model.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);

} // namespace smaudit::model
