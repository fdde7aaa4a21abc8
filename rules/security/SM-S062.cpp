// SM-S062 smuggling-protection-disabled: srv_features letters that turn off what sendmail does
// against SMTP smuggling (CVE-2023-51765) and transaction stuffing (KB SEC-062; sendmail 8.18.1
// RELEASE_NOTES; op.me "srv_features"). Since 8.18.1, and in builds with the fix backported
// (Debian's 8.17.1.9-2+deb12u1 and later), sendmail by default accepts only CRLF.CRLF as the end
// of DATA (`O` turns that off), rejects bare LF and bare CR (`G`, `U`) and makes clients wait
// for the HELO/EHLO and DATA replies (`F`). Checked with Debian's sendmail 8.17.1.9-2+deb12u2
// and `sendmail -bs`: without a Srv_Features entry `\n.\r\n` does not end the message and bare
// LF gets "421 4.5.0 Bare linefeed (LF) not allowed"; with `O` (and `G`) it ends the message,
// so a second, smuggled MAIL FROM is read as a command. The lower-case letters are the defaults
// (`u2`/`g2` replace a bare CR/LF by a blank), so a missing `o` is not a finding, unlike the
// KB's wording. The letters come from the access map's Srv_Features: entries, or from rules of
// the .cf's srv_features rulesets (LOCAL_SRV_FEATURES) that return `$#` and letters.
#include "rules/map_support.hpp"
#include "rules/rule_support.hpp"

#include <cctype>

namespace smaudit::rules {

namespace {

// What each upper-case letter turns off.
std::string_view turns_off(char letter) {
    switch (letter) {
    case 'O':
        return "`O` accepts a bare `.` line ending in LF as the end of a message (SMTP smuggling)";
    case 'G':
        return "`G` accepts bare LF in messages";
    case 'U':
        return "`U` accepts bare CR in messages";
    case 'F':
        return "`F` lets clients send commands before the HELO/EHLO and DATA replies "
               "(transaction stuffing)";
    default:
        return {};
    }
}

struct Disabled {
    std::string letters;    // "OG"
    std::string what;       // "`O` accepts ...; `G` accepts ..."
    std::string re_enabled; // the value with those letters in lower case
};

std::optional<Disabled> disabled_letters(std::string_view value) {
    Disabled found;
    found.re_enabled = std::string(value);
    for (size_t i = 0; i < value.size(); ++i) {
        std::string_view what = turns_off(value[i]);
        if (what.empty()) continue;
        found.re_enabled[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
        if (found.letters.find(value[i]) != std::string::npos) continue;
        found.letters += value[i];
        found.what += (found.what.empty() ? "" : "; ") + std::string(what);
    }
    if (found.letters.empty()) return std::nullopt;
    return found;
}

// `O` for every client is the smuggling hole itself; the other letters, or any letter for some
// clients only (what 8.18.1's notes recommend for trusted networks), weigh less.
Severity weight(const Disabled& disabled, bool every_client) {
    bool smuggling = disabled.letters.find('O') != std::string::npos;
    if (every_client) return smuggling ? Severity::Medium : Severity::Low;
    return smuggling ? Severity::Low : Severity::Info;
}

// Whether the configuration reads Srv_Features: entries of the access map (FEATURE(`access_db')
// writes the lookup into its srv_features ruleset). True when no configuration was audited.
bool reads_access_features(const RuleContext& context) {
    if (!context.config_present) return true;
    const model::RulesetDef* ruleset = context.config.ruleset("srv_features");
    if (ruleset == nullptr) return false;
    for (const model::RuleDef& rule : ruleset->rules)
        if (rule.rhs.find("Srv_Features") != std::string::npos) return true;
    return false;
}

void check_access(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr || !reads_access_features(context)) return;
    for (const ast::AccessFile& access : context.maps->access)
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.duplicate() || entry.tag != ast::AccessTag::SrvFeatures) continue;
            auto disabled = disabled_letters(access.value(entry));
            if (!disabled) continue;
            std::string_view key = access.bare_key(entry);
            const bool every_client = key.empty();
            std::string clients = every_client ? "every client without an entry of its own"
                                               : "clients matching `" + std::string(key) + "`";
            Diagnostic& d =
                out.report(at(access.file, entry.value_span()),
                           "Srv_Features turns off sendmail's protection for " + clients + ": " +
                               disabled->what +
                               " (sendmail 8.18.1 and later, and builds with the CVE-2023-51765 "
                               "fix)",
                           "turns protections off");
            d.severity = weight(*disabled, every_client);
            // Unsafe: clients that send bare LF or pipeline early are refused again. The map
            // must be rebuilt (makemap) for it to count.
            d.fix = Fix{"turn the protections back on (" + disabled->letters + " in lower case)",
                        false,
                        {Edit{at(access.file, entry.value_span()), disabled->re_enabled}}};
        }
}

// Rules of the .cf's own srv_features rulesets that return letters: `R$*	$# O G`.
void check_rulesets(const RuleContext& context, Emitter& out) {
    if (!context.config_present) return;
    for (const model::RulesetDef& ruleset : context.config.rulesets) {
        if (!equals_ignore_case(ruleset.name, "srv_features") &&
            !equals_ignore_case(ruleset.name, "Local_srv_features"))
            continue;
        for (const model::RuleDef& rule : ruleset.rules) {
            std::string_view rhs = rule.rhs;
            while (!rhs.empty() && (rhs.front() == ' ' || rhs.front() == '\t'))
                rhs.remove_prefix(1);
            if (!rhs.starts_with("$#")) continue;
            rhs.remove_prefix(2);
            // `$# $1` (proto.m4: the access map's value) and other macros are not letters.
            if (rhs.find('$') != std::string_view::npos) continue;
            auto disabled = disabled_letters(rhs);
            if (!disabled) continue;
            const bool every_client = rule.lhs == "$*";
            Diagnostic& d =
                out.report(rule.where,
                           "the " + ruleset.name + " ruleset turns off sendmail's protection for " +
                               (every_client ? std::string("every client")
                                             : "clients matching `" + rule.lhs + "`") +
                               ": " + disabled->what,
                           "returns srv_features letters");
            d.severity = weight(*disabled, every_client);
        }
    }
}

void check(const RuleContext& context, Emitter& out) {
    check_access(context, out);
    check_rulesets(context, out);
}

} // namespace

extern const Rule kSM_S062 = {"SM-S062",
                              "smuggling-protection-disabled",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "srv_features turns off the SMTP smuggling or stuffing protection",
                              "remove O, G, U and F from the Srv_Features entry",
                              FixKind::Unsafe,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
