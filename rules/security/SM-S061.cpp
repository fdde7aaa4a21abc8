// SM-S061 privacy-or-integrity-option: options that expose users or recipients, or send bounces
// where they do not belong or nowhere (KB SEC-061; op.me "O — Set Option"). Each is set on
// purpose by a line of the configuration; sendmail's defaults are all fine. The KB's legacy WIZ
// and DEBUG items are left out: sendmail 8 has no WIZ command and no W option, and whether the
// DEBUG command exists depends on the binary (SMTPDEBUG), not on the files.
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

struct OptionCheck {
    std::string_view option;
    // Whether the value the line sets is the flagged one.
    bool (*flagged)(std::string_view value);
    std::string_view consequence;
    Severity severity;
    std::string_view fixed_value; // empty: no fix
    bool fix_is_safe;
};

bool is_true(std::string_view value) {
    return model::sendmail_bool(value);
}
bool exposes_recipients(std::string_view value) {
    return equals_ignore_case(value, "add-to") || equals_ignore_case(value, "add-apparently-to");
}
bool is_set(std::string_view value) {
    return !value.empty();
}
bool is_empty(std::string_view value) {
    return value.empty();
}

constexpr OptionCheck kChecks[] = {
    {"MatchGECOS", is_true,
     "mail to a full name (`John.Smith`) goes to the account whose GECOS field matches it: "
     "anyone can probe real names for accounts, and a near match delivers to the wrong person",
     Severity::Low, "False", false},
    {"NoRecipientAction", exposes_recipients,
     "a message without To: or Cc: gets a header that lists its envelope recipients, Bcc "
     "recipients included, for every recipient to read",
     Severity::Low, "add-to-undisclosed", true},
    {"UseErrorsTo", is_true,
     "bounces go to the address of an Errors-To: header, which any sender writes: sendmail "
     "sends backscatter to third parties (RFC 1123 says the envelope sender)",
     Severity::Low, "False", true},
    {"PostmasterCopy", is_set,
     "the headers of every bounce go to this address too: the senders, recipients and subjects "
     "of other people's failed mail",
     Severity::Info, "", false},
    {"DoubleBounceAddress", is_empty,
     "a bounce that cannot be delivered is dropped without a trace: nobody learns that mail is "
     "lost",
     Severity::Info, "postmaster", true},
    {"ColonOkInAddr", is_true,
     "a colon is part of an address instead of RFC 822 group syntax, so sendmail reads such "
     "addresses differently from other mail software",
     Severity::Info, "False", false},
};

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    for (const OptionCheck& check : kChecks) {
        const model::OptionValue* option = config.option(check.option);
        if (is_unset(option)) continue;
        const model::OptionSetting& setting = option->settings.back();
        if (!check.flagged(setting.value)) continue;
        // Below configuration level 6 ColonOkInAddr is on by default (op.me): old configs need it.
        if (check.option == "ColonOkInAddr" &&
            (config.version_level.empty() || leading_integer(config.version_level) < 6))
            continue;
        std::string name(check.option);
        std::string shown =
            setting.value.empty() ? name + " is empty" : name + " is " + setting.value;
        Diagnostic& d =
            out.report(setting.value_where, shown + ": " + std::string(check.consequence),
                       set_here(context, setting, name));
        d.severity = check.severity;
        if (check.fixed_value.empty()) continue;
        if (auto edits = set_value(context, setting, check.option, check.fixed_value);
            !edits.empty())
            d.fix = Fix{"set " + name + " to " + std::string(check.fixed_value), check.fix_is_safe,
                        std::move(edits)};
    }
}

} // namespace

extern const Rule kSM_S061 = {
    "SM-S061",
    "privacy-or-integrity-option",
    Pack::Security,
    Severity::Low,
    2,
    "an option exposes users or recipients, or misroutes or drops bounces",
    "set the option back to sendmail's default",
    FixKind::Mixed,
    &check};

} // namespace smaudit::rules
