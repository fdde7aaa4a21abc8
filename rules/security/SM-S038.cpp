// SM-S038 client-cert-not-requested: the server side of STARTTLS asks no client for a
// certificate (TLSSrvOptions V, or a Srv_Features: default with V), so no client can relay by
// its certificate (KB SEC-038).
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

// The access entries that let a client relay by its certificate (proto.m4 RelayTLS looks up
// CERTISSUER:<issuer>, then CERTSUBJECT:<subject>).
size_t cert_relay_entries(const RuleContext& context) {
    return access_features(context, ast::AccessTag::CertIssuer, "RelayTLS", "CERTISSUER")
        .per_host.size();
}

std::string consequence(size_t relay_entries) {
    if (relay_entries == 0)
        return "so ${verify} is never OK and no client can relay by its certificate (none is "
               "set up to: this only matters once CERTISSUER: entries are added)";
    return "so ${verify} is never OK and the " + std::to_string(relay_entries) + " CERTISSUER: " +
           (relay_entries == 1 ? "entry of the access map never lets"
                               : "entries of the access map never let") +
           " a client relay";
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    if (!context.config_present || !server_tls(config).configured) return;
    const size_t relay_entries = cert_relay_entries(context);
    const Severity severity = relay_entries > 0 ? Severity::Low : Severity::Info;
    const bool by_option = option_letters(config, "TLSSrvOptions").find('V') != std::string::npos;
    if (by_option) {
        const model::OptionSetting& setting = config.option("TLSSrvOptions")->settings.back();
        Diagnostic& d = out.report(setting.value_where,
                                   "TLSSrvOptions has V: sendmail asks no client for a "
                                   "certificate during STARTTLS, " +
                                       consequence(relay_entries),
                                   "V: no client certificate requested");
        d.severity = severity;
        return;
    }
    const AccessFeatures features =
        access_features(context, ast::AccessTag::SrvFeatures, "srv_features", "Srv_Features");
    if (!features.fallback || feature_after(true, features.fallback->value(), "vr")) return;
    const AccessEntry& entry = *features.fallback;
    Diagnostic& d = out.report(entry.where(),
                               "`" + std::string(entry.key()) + " " + std::string(entry.value()) +
                                   "`, the srv_features default for every client without an "
                                   "entry of its own, turns the client certificate request off, " +
                                   consequence(relay_entries),
                               "V: no client certificate requested");
    d.severity = severity;
}

} // namespace

extern const Rule kSM_S038 = {"SM-S038",
                              "client-cert-not-requested",
                              Pack::Security,
                              Severity::Info,
                              1,
                              "STARTTLS asks no client for a certificate (TLSSrvOptions V)",
                              "take V out of TLSSrvOptions when clients relay by certificate",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
