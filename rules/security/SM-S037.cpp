// SM-S037 tls-downgrade-allowed: sendmail as a client sends mail in clear text where it could
// use STARTTLS: TLSFallbacktoClear retries at once without STARTTLS after a failed handshake, and
// a `Try_TLS:` default of NO in the access map stops it from trying STARTTLS with any server
// (KB SEC-037).
#include "model/values.hpp"
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

void check_fallback(const RuleContext& context, Emitter& out) {
    const model::OptionValue* fallback = context.config.option("TLSFallbacktoClear");
    if (is_unset(fallback) || !model::sendmail_bool(fallback->value)) return;
    const model::OptionSetting& setting = fallback->settings.back();
    Diagnostic& d = out.report(
        setting.value_where,
        (setting.value.empty() ? std::string("TLSFallbacktoClear is set without a value (true)")
                               : "TLSFallbacktoClear is `" + setting.value + "`") +
            ": when a STARTTLS handshake with a server fails, sendmail at once sends the "
            "message again on a new connection without STARTTLS, so anyone on the path who "
            "breaks the handshake reads the message in clear text; without it sendmail defers "
            "the message and tries STARTTLS again later",
        set_here(context, setting, "TLSFallbacktoClear"));
    if (auto edits = set_value(context, setting, "TLSFallbacktoClear", "false"); !edits.empty())
        d.fix = Fix{"set TLSFallbacktoClear to false", false, std::move(edits)};
}

void check_try_tls(const RuleContext& context, Emitter& out) {
    const AccessFeatures features =
        access_features(context, ast::AccessTag::TryTls, "try_tls", "Try_TLS");
    if (!features.fallback) return;
    const AccessEntry& entry = *features.fallback;
    // try_tls refuses STARTTLS when the value is the one token NO (proto.m4: R<NO>$*; sendmail
    // compares tokens without case).
    std::string_view value = entry.value();
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    if (!equals_ignore_case(value, "NO")) return;
    out.report(entry.where(),
               "`" + std::string(entry.key()) + " " + std::string(entry.value()) +
                   "`, the try_tls default for every server without an entry of its own, stops "
                   "sendmail from trying STARTTLS with any of them: all its outgoing mail "
                   "crosses the network in clear text",
               "NO: never STARTTLS");
}

void check(const RuleContext& context, Emitter& out) {
    if (!context.config_present) return;
    check_fallback(context, out);
    check_try_tls(context, out);
}

} // namespace

extern const Rule kSM_S037 = {"SM-S037",
                              "tls-downgrade-allowed",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "sendmail as a client falls back to clear text where it could use "
                              "STARTTLS",
                              "leave TLSFallbacktoClear unset; scope Try_TLS: NO to broken hosts",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
