// SM-S032 plaintext-auth-without-tls: AUTH PLAIN and LOGIN carry the password itself; without
// AuthOptions `p` sendmail offers them on a session that is not encrypted (KB SEC-032).
#include "rules/tls_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

// AuthOptions letters sendmail knows (readcf.c); `m` needs Cyrus SASL 2.1.1 or later.
constexpr std::string_view kAuthOptionLetters = "Aacdfmpy";

// The plain-text mechanisms AuthMechanisms lists (sendmail offers the intersection of it and
// what the SASL library has, compared without case). Its default, "EXTERNAL GSSAPI KERBEROS_V4
// DIGEST-MD5 CRAM-MD5" (conf.h), has neither: without the option no plain-text AUTH is offered.
std::vector<std::string> plaintext_mechanisms(const model::Config& config) {
    std::vector<std::string> found;
    const model::OptionValue* mechanisms = config.option("AuthMechanisms");
    if (mechanisms == nullptr) return found;
    for (const std::string& word :
         split_flag_words(mechanisms->value, FlagSeparators::BlanksAndCommas))
        for (std::string_view name : {"PLAIN", "LOGIN"})
            if (word == model::to_lower(name) &&
                std::find(found.begin(), found.end(), name) == found.end())
                found.emplace_back(name);
    return found;
}

// What the finding says about the AuthOptions lines: why `p` is not read.
std::string auth_options_state(const model::Config& config) {
    const model::OptionValue* option = config.option("AuthOptions");
    if (is_unset(option)) return "AuthOptions is not set (no `p`)";
    for (const model::OptionSetting& setting : option->settings) {
        std::string meant = meant_flag_letters(setting.value, kAuthOptionLetters);
        if (meant.find('p') != std::string::npos)
            return "AuthOptions `" + setting.value + "` reads as `" +
                   read_flag_letters(setting.value) +
                   "` (sendmail reads the first character of the value and then only the one "
                   "right after each separator, so it never reads the `p`)";
    }
    return "AuthOptions `" + option->value + "` has no `p`";
}

// AuthOptions with `p` added to what the last line means.
std::string with_p(const model::OptionSetting& setting) {
    std::string letters = meant_flag_letters(setting.value, kAuthOptionLetters);
    if (letters.find('p') == std::string::npos) letters += 'p';
    std::string value;
    for (char c : letters) {
        if (!value.empty()) value += ' ';
        value += c;
    }
    return value;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const std::vector<std::string> mechanisms = plaintext_mechanisms(config);
    if (mechanisms.empty()) return;
    const std::string mechanism_list = join_words(mechanisms);
    const AccessFeatures features =
        access_features(context, ast::AccessTag::SrvFeatures, "srv_features", "Srv_Features");
    const std::string_view fallback = features.fallback ? features.fallback->value() : "";

    // The daemons whose sessions start in clear text and offer AUTH: not SMTPS (M=s, TLS from
    // the first byte), not M=A (no AUTH), unless the access map's default says otherwise.
    std::vector<std::string> daemons;
    for (const model::PortOptions& daemon : config.daemons)
        if (!model::has_modifier(daemon, 's') &&
            feature_after(!model::has_modifier(daemon, 'A'), fallback, "a"))
            daemons.push_back(model::describe_daemon(daemon));
    if (daemons.empty()) return;

    const bool p_set = option_letters(config, "AuthOptions").find('p') != std::string::npos;
    const bool tls = server_tls(config).configured;
    const bool one = mechanisms.size() == 1;
    const std::string offered =
        "AUTH " + mechanism_list + (one ? " is" : " are") + " offered on unencrypted sessions";
    // Who sends a password in clear text, and to which daemons.
    const std::string consequence =
        (tls ? "clients that authenticate before STARTTLS (or whose STARTTLS an attacker strips) "
               "send their passwords in clear text to "
             : std::string("no STARTTLS is configured, so every client that uses ") +
                   (one ? "it" : "them") + " sends its password in clear text to ") +
        join_words(daemons);

    if (!feature_after(p_set, fallback, "c")) {
        if (p_set) { // AuthOptions has p, but the access map's default entry turns it off
            const AccessEntry& entry = *features.fallback;
            out.report(entry.where(),
                       "`" + std::string(entry.key()) + " " + std::string(entry.value()) +
                           "`, the srv_features default for every client without an entry of "
                           "its own, turns off AuthOptions `p`: " +
                           offered + "; " + consequence,
                       "C turns off the encryption requirement");
            return;
        }
        const model::OptionValue* listed = config.option("AuthMechanisms");
        const model::OptionSetting& setting = listed->settings.back();
        Diagnostic& d = out.report(setting.value_where,
                                   offered + ": AuthMechanisms lists " + (one ? "it" : "them") +
                                       " and " + auth_options_state(config) + "; " + consequence,
                                   set_here(context, setting, "AuthMechanisms"));
        const model::OptionValue* options = config.option("AuthOptions");
        if (is_unset(options)) {
            if (auto edit = insert_option_line(context, "AuthOptions", "p"))
                d.fix = Fix{"add p to AuthOptions", false, {*edit}};
        } else if (auto edits = set_value(context, options->settings.back(), "AuthOptions",
                                          with_p(options->settings.back()));
                   !edits.empty()) {
            d.fix = Fix{"add p to AuthOptions", false, std::move(edits)};
        }
        return;
    }
    // `p` holds by default; an entry of a client's own replaces the default for that client.
    for (const AccessEntry& entry : features.per_host)
        if (!feature_after(p_set, entry.value(), "c")) {
            Diagnostic& d = out.report(
                entry.where(),
                "`" + std::string(entry.key()) + " " + std::string(entry.value()) +
                    "` turns off AuthOptions `p` for clients matching " +
                    std::string(entry.file->bare_key(*entry.entry)) + ": they are offered AUTH " +
                    mechanism_list + " on unencrypted sessions" +
                    (tls ? "" : " (no STARTTLS is configured)") +
                    " and may send their passwords in clear text",
                "C turns off the encryption requirement");
            d.severity = Severity::Medium;
        }
}

} // namespace

extern const Rule kSM_S032 = {"SM-S032",
                              "plaintext-auth-without-tls",
                              Pack::Security,
                              Severity::High,
                              10,
                              "AUTH PLAIN/LOGIN is offered on sessions that are not encrypted",
                              "add p to AuthOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
