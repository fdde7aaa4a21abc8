// What several rules share: reading option values the way sendmail reads them, splitting flag
// lists into words with their bytes, and building the edits of fixes.
#pragma once

#include "engine/rule.hpp"
#include "model/option_table.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// ASCII case-insensitive comparison (option names, flag words, port option keys).
bool equals_ignore_case(std::string_view a, std::string_view b);

// The host's CPUs, memory and queue file system (analyze/host_figures.hpp): the audit's, else
// the catalog's assumption. A finding that uses one names it with describe_cpus() and the like.
const analyze::HostFigures& host_figures(const RuleContext& context);

// True when no active line sets the option, so sendmail's compiled-in default applies (also for
// an option the model knows nothing of).
bool is_unset(const model::OptionValue* option);

// sendmail reads numeric options with atoi()/atol(): leading blanks, a sign, digits; the first
// other byte ends the number, so a value that is not a number at all reads as 0.
long long leading_integer(std::string_view text);
// True when `text` is a plain integer (what leading_integer() reads is all there is).
bool is_plain_integer(std::string_view text);
// The number a value meant when stray characters before it keep atoi() from reading it: the
// value with blanks and quote characters (' " `) around it taken off, when what is left is a
// plain integer ('1000000' -> 1000000, which sendmail reads as 0). None otherwise.
std::optional<long long> number_behind_stray_characters(std::string_view text);
// That number as a limit a fix keeps, when it is above 0 ("50" for '50'); none otherwise.
std::optional<std::string> limit_behind_stray_characters(std::string_view text);
// How a finding names a number: name + verb + number for a plain one ("LogLevel is 8"), else
// what sendmail reads: "LogLevel `high` reads as 0", "LogLevel has no value and reads as 0".
std::string describe_number(std::string_view name, std::string_view written, long long value,
                            std::string_view verb);

// One word of a flag list (PrivacyOptions, DontBlameSendmail), lower-cased, with its bytes.
struct FlagWord {
    std::string text;    // lower-case
    std::string written; // as written
    Location where;      // the word's bytes; the whole value when they cannot be told apart
    bool exact = false;  // `where` covers exactly this word (fixes may edit it)
};

// What sendmail skips between flag words: blanks and commas (DontBlameSendmail), blanks and any
// punctuation (PrivacyOptions).
enum class FlagSeparators { BlanksAndCommas, BlanksAndPunctuation };

// Splits one line's value into its words. Words get their own bytes when the value's raw text
// splits into the same words (continuation lines are blanks to both); otherwise each word points
// at the whole value.
std::vector<FlagWord> split_flags(const SourceSet& sources, const model::OptionSetting& setting,
                                  FlagSeparators separators);
std::vector<std::string> split_flag_words(std::string_view value, FlagSeparators separators);

// A user and group value (DefaultUser, RunAsUser, a mailer's U=) whose user part is uid 0:
// `root`, `0`, `root:wheel`, `0:0`.
bool names_root(std::string_view user_and_group);
// The RunAsUser line when it makes sendmail give up root (a user other than root), else null.
const model::OptionSetting* run_as_non_root(const model::Config& config);

// The value bytes of field `letter` of an M (mailer) or X (milter) line when the audited file
// wrote them as they read, so a fix may edit them; none otherwise (a value from elsewhere).
std::optional<Location> written_field(const RuleContext& context,
                                      const std::map<char, std::string>& fields,
                                      const std::map<char, Location>& field_where, char letter);

// The label of a finding on an option's setting: "Name is set here", or, for a value no line of
// the file wrote (an .mc's value from sendmail's cf tree, or from the file an OSTYPE/DOMAIN
// call reads), what set it.
std::string set_here(const RuleContext& context, const model::OptionSetting& setting,
                     std::string_view option);

// Edits for fixes. They are written so that all fixes of a report applied at once (the contract
// of src/fix/apply.hpp) give what each promises: edits of one value never overlap, or are
// identical, or add up (insertions at one place, lines that each change the value as it stands).
//
// Replaces a line's value; for `O Name` written without `=` it adds the `=` too.
Edit replace_value(const SourceSet& sources, const model::OptionSetting& setting,
                   std::string replacement);
// The edits that make an option's value `replacement`: its value bytes replaced when the file
// wrote them (in an .mc, quoted when they were not, and the whole list with the quoting edits of
// mc_support's UnquotedList when they were an unquoted comma list); in an .mc whose value comes
// from the cf tree or an OSTYPE/DOMAIN/FEATURE file, an overriding define(`confX',
// `replacement')dnl line (after that call). Empty when there is nowhere to write.
std::vector<Edit> set_value(const RuleContext& context, const model::OptionSetting& setting,
                            std::string_view option, std::string_view replacement);
// Adds a flag to an option whose lines add up (PrivacyOptions): `,flag` inserted at the end of
// the line's value. Always with the comma (sendmail skips extra separators), so two such
// insertions at one place compose ("a,novrfy,noexpn"). A long-form line without `=` gets
// `=flag`. An .mc's unquoted comma list is quoted as well (UnquotedList). In an .mc whose value
// comes from the cf tree or an OSTYPE/DOMAIN file: define(`confX', defn(`confX')`,flag')dnl.
// Insertions that are not at the end of a written value are list items (Edit::list_item), so
// the flags of several fixes go into one `=a,b` or one define line. Empty when there is nowhere
// to write.
std::vector<Edit> add_flag(const RuleContext& context, const model::OptionSetting& setting,
                           std::string_view option, std::string_view flag);
// A new `O Name=value` line for an option no line sets: after the last option line of the
// configuration's .cf, else after its V line, else at its top. For an .mc, a
// define(`confX', `value')dnl line before its first MAILER() (else after its last call); none
// when the option has no m4 name.
std::optional<Edit> insert_option_line(const RuleContext& context, std::string_view name,
                                       std::string_view value);

// An edit of the whole physical lines `where` spans: deleted with their line break, or replaced
// by `replacement` (one line without its break; the file's own line ending is added). None when
// other text shares those lines: only blanks may stand before and after `where`, and, with
// `dnl_comment`, an m4 `dnl` with the rest of its line after it (`FEATURE(`x')dnl # why`).
std::optional<Edit> replace_lines(const SourceSet& sources, Location where,
                                  std::string_view replacement = {}, bool dnl_comment = false);

// Where the i-th word of a class was written: its bytes, or the class's first line when they
// are unknown.
Location class_word_location(const model::ClassDef& cls, size_t i);

// The edit that takes the i-th word out of its class line (`C{ResOk}TEMP`, an .mc's
// `TRUST_AUTH_MECH(`... PLAIN')`), when the file wrote exactly that word there.
std::optional<Edit> remove_class_word(const RuleContext& context, const model::ClassDef& cls,
                                      size_t i);

// An edit that deletes the whole line `where` starts on (with its continuation lines and its
// line end), when it is text the configuration's own file wrote: a .cf line, or in an .mc a
// line it wrote itself (LOCAL_CONFIG). None otherwise.
std::optional<Edit> delete_line(const RuleContext& context, Location where);

// For an .mc: `define(`NAME', ``value'')dnl` for an m4 macro that is no option
// (confRECEIVED_HEADER), where insert_option_line puts a define. Quoted twice, so that m4 copies
// the value where proto.m4 uses it without expanding any word of it. None when the value holds
// a quote character or the configuration is no .mc.
std::optional<Edit> insert_mc_text_define(const RuleContext& context, std::string_view m4_name,
                                          std::string_view value);

// For an .mc whose flag comes from the cf tree or an OSTYPE/DOMAIN file: a line that takes the
// word out of the macro's value as it stands at that point of the expansion,
// define(`confX', patsubst(defn(`confX'), `,?\<word\>\|\(.\)', ``\1''))dnl, so that one
// such line per flag, applied together, removes them all. Only for words of letters and digits
// (DontBlameSendmail's). None when the value's bytes can be edited instead, or there is nowhere
// to write.
std::optional<Edit> remove_flag_by_define(const RuleContext& context,
                                          const model::OptionSetting& setting,
                                          std::string_view option, std::string_view flag);

// Labels for the earlier lines of an option whose lines add up (PrivacyOptions,
// DontBlameSendmail); the finding itself points at the last one.
void add_earlier_settings(Diagnostic& finding, const model::OptionValue& option,
                          std::string_view text);

// Numeric limits where 0 or less means "no limit" (MaxDaemonChildren, ConnectionRateThrottle,
// MaxMessageSize): one finding when the effective value is unlimited.
struct UnlimitedCheck {
    std::string_view option;      // "MaxMessageSize"
    std::string_view consequence; // "a client can send a message of any size"
    std::string_view recommended; // "52428800", the value the fix writes
    bool fix_is_safe = false;
};
// Returns the finding, or null when the option has a limit.
Diagnostic* check_unlimited(const RuleContext& context, Emitter& out, const UnlimitedCheck& check);

// Marks a finding at `setting` as about a default when no line wrote the value: in an .mc, a
// value of sendmail's cf tree (cfhead.m4's PrivacyOptions=authwarnings, proto.m4's HelpFile).
void mark_if_default(Diagnostic& d, const model::OptionSetting& setting);

// "a", "a and b", "a, b and c" (`last` joins the last two: "and", "or").
std::string word_list(const std::vector<std::string>& items, std::string_view last = "and");

// "no restrictmailq (goaway does not include it)", "no a or b (goaway includes none of them)":
// what PrivacyOptions lacks (PrivacyGap::lacks) when goaway sets none of the flags.
std::string lacks_beyond_goaway(const std::vector<std::string>& flags);

// A PrivacyOptions flag a check wants, and the words that give what it gives: the flag itself,
// `goaway` for the flags it includes (model::goaway_flag_names), `noexpn` for noverb (sendmail
// offers VERB only with EXPN).
struct PrivacyNeed {
    std::string_view flag;
    std::vector<std::string_view> met_by; // includes `flag`
};
// The needs no PrivacyOptions line meets (every line ORs its words in, KB §1.2.3), in order.
std::vector<PrivacyNeed> unmet_privacy_needs(const model::Config& config,
                                             const std::vector<PrivacyNeed>& needs);
// What a finding about unmet needs says: "<state>: PrivacyOptions has <lacks>, so
// <consequence>", or without any PrivacyOptions line "PrivacyOptions not set: sendmail's
// default `public` applies, so <state> and <consequence>".
struct PrivacyGap {
    std::string state;       // "VRFY is enabled"
    std::string lacks;       // "neither novrfy nor goaway"
    std::string consequence; // "any client can check which mailboxes exist"
};
// Reports `unmet` (not empty) as one finding on the last PrivacyOptions line (or the default),
// the earlier lines as notes, with one unsafe fix that adds every unmet flag. In an .mc whose
// unquoted list m4 cut short, the message says which written word m4 dropped, and the fix
// quotes the list (adding what the dropped words do not give).
Diagnostic& report_privacy_gap(const RuleContext& context, Emitter& out,
                               const std::vector<PrivacyNeed>& unmet, const PrivacyGap& gap);

// Boolean options whose True costs something (CheckAliases, MatchGECOS, HoldExpensive): one
// finding at the line that makes the option true, as atobool() reads it ("O MatchGECOS" with no
// value is true), "<Option> is True: <consequence>", with an unsafe fix to False. Null when a
// line sets it false or none sets it (sendmail's default for all of them is False).
Diagnostic* check_true_option(const RuleContext& context, Emitter& out, std::string_view option,
                              std::string_view consequence);

// SMTP commands that PrivacyOptions turns off (EXPN, VRFY): a finding when no line sets the
// command's flag or `goaway`, which implies it.
struct PrivacyCheck {
    std::string_view flag;        // "novrfy"
    std::string_view command;     // "VRFY"
    std::string_view consequence; // "any client can check which mailboxes exist"
};
void check_privacy_flag(const RuleContext& context, Emitter& out, const PrivacyCheck& check);

} // namespace smaudit::rules
