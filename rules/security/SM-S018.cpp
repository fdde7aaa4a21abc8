// SM-S018 weak-auth-mech-relays: KB SEC-018. Every client that authenticates with a mechanism of
// class TrustAuthMech (TRUST_AUTH_MECH) relays: Rcpt_ok's `R$* $| $={TrustAuthMech}  $# RELAY`.
// A client can use a mechanism only when sendmail offers it: AuthMechanisms (its default has
// neither ANONYMOUS nor PLAIN/LOGIN) intersected with Cyrus SASL's plugins, less the mechanisms
// AuthOptions `y` (anonymous) or `p` (plaintext without a security layer) exclude; readcf.c reads
// the first character of each word of AuthOptions, and a daemon whose Modifiers have `A` offers
// no AUTH at all. Checked with a real daemon and Debian's SASL
// plugins: AUTH ANONYMOUS is answered `235 Authenticated` and a remote recipient accepted, and
// with AuthOptions=y the mechanism is not offered
// (tests/scripts/relay_rules_agree_with_sendmail.sh).
#include "model/rewrite_tokens.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

// Whether some rule tests class TrustAuthMech (m4 writes it in Rcpt_ok since 8.10).
bool rules_read_trust_auth_mech(const model::Config& config) {
    for (const model::RulesetDef& ruleset : config.rulesets)
        for (const model::RuleDef& rule : ruleset.rules) {
            std::vector<std::string> lhs = model::rewrite_tokens(rule.lhs);
            if (std::find(lhs.begin(), lhs.end(), "$={TrustAuthMech}") != lhs.end()) return true;
        }
    return false;
}

bool lists_word(std::string_view list, std::string_view word) {
    for (const std::string& item : split_flag_words(list, FlagSeparators::BlanksAndCommas))
        if (equals_ignore_case(item, word)) return true;
    return false;
}

// Whether AuthOptions holds the option letter: readcf.c looks at the first byte of each word.
bool auth_option(const model::Config& config, char letter) {
    const model::OptionValue* option = config.option("AuthOptions");
    if (option == nullptr) return false;
    for (const std::string& word : split_flag_words(option->value, FlagSeparators::BlanksAndCommas))
        if (!word.empty() && word[0] == letter) return true;
    return false;
}

// Whether some daemon offers AUTH at all: one whose Modifiers have `A` (daemon.c's D_NOAUTH)
// leaves AUTH out of its EHLO reply and answers the command `503 5.3.3 AUTH not available`.
bool some_daemon_offers_auth(const model::Config& config) {
    return config.daemons.empty() ||
           std::any_of(config.daemons.begin(), config.daemons.end(), [](const auto& daemon) {
               return daemon.get("Modifiers").value_or("").find('A') == std::string::npos;
           });
}

std::string offered_mechanisms(const model::Config& config) {
    const model::OptionValue* option = config.option("AuthMechanisms");
    return option == nullptr ? std::string() : option->value;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    auto trusted = context.config.classes.find("TrustAuthMech");
    if (trusted == context.config.classes.end() || !rules_read_trust_auth_mech(context.config))
        return;
    const model::ClassDef& cls = trusted->second;
    const std::string offered = offered_mechanisms(context.config);
    const bool no_anonymous = auth_option(context.config, 'y');
    const bool no_plaintext = auth_option(context.config, 'p');
    const bool auth_offered = some_daemon_offers_auth(context.config);
    for (size_t i = 0; i < cls.words.size(); ++i) {
        const std::string& mechanism = cls.words[i];
        const bool anonymous = equals_ignore_case(mechanism, "ANONYMOUS");
        const bool plaintext =
            equals_ignore_case(mechanism, "PLAIN") || equals_ignore_case(mechanism, "LOGIN");
        if (!anonymous && !plaintext) continue;
        const bool is_offered = auth_offered && lists_word(offered, mechanism);
        std::string message;
        std::optional<Severity> severity;
        if (anonymous && is_offered && !no_anonymous) {
            message =
                "TRUST_AUTH_MECH lists ANONYMOUS, which AuthMechanisms offers and AuthOptions "
                "does not forbid (no `y`): any client that says AUTH ANONYMOUS, which takes "
                "no password, may relay mail to anywhere (an open relay wherever Cyrus "
                "SASL's anonymous plugin is installed, as Debian's libsasl2-modules does)";
        } else if (anonymous) {
            message = std::string("TRUST_AUTH_MECH lists ANONYMOUS; it is not offered now (") +
                      (no_anonymous    ? "AuthOptions has `y`"
                       : !auth_offered ? "every daemon has the `A` modifier: no AUTH"
                                       : "AuthMechanisms does not list it") +
                      "), but offering it would make every client that says AUTH ANONYMOUS, "
                      "without a password, a relay user";
            severity = Severity::Low;
        } else if (is_offered && !no_plaintext) {
            message = "TRUST_AUTH_MECH lists " + mechanism +
                      ", which AuthMechanisms offers before STARTTLS (AuthOptions has no `p`): "
                      "the password of a client that authenticates to relay can cross the "
                      "network in clear text, and whoever reads it relays as that user";
            severity = Severity::High;
        } else {
            continue; // PLAIN/LOGIN not offered, or only inside TLS: the intended use
        }
        Diagnostic& d = out.report(class_word_location(cls, i), std::move(message),
                                   "AUTH " + mechanism + " relays");
        if (severity) d.severity = *severity;
        if (std::optional<Edit> edit = remove_class_word(context, cls, i))
            d.fix = Fix{"take " + mechanism +
                            " out of TRUST_AUTH_MECH (clients that use it no longer relay)",
                        false,
                        {std::move(*edit)}};
    }
}

extern const Rule kSM_S018 = {
    "SM-S018",
    "weak-auth-mech-relays",
    Pack::Security,
    Severity::Critical,
    10,
    "AUTH with ANONYMOUS, or PLAIN/LOGIN in clear text, lets a client relay",
    "take ANONYMOUS (and PLAIN/LOGIN unless AuthOptions has `p`) out of TRUST_AUTH_MECH; set "
    "AuthOptions to `p,y`",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
