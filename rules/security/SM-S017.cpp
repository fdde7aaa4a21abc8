// SM-S017 cert-relay-too-broad: `CERTISSUER:<DN> RELAY` lets every client holding a certificate
// of that issuer relay; with a public CA bundle that is anyone who buys one (KB SEC-017).
#include "rules/map_support.hpp"

namespace smaudit::rules {

// A CA file or directory that holds the public CAs of the system's trust store.
static bool is_public_bundle(std::string_view path) {
    std::string_view name = base_name(path);
    return path.starts_with("/etc/ssl/certs") || path.starts_with("/etc/pki/tls/certs") ||
           path.starts_with("/etc/pki/ca-trust") || name == "ca-certificates.crt" ||
           name == "ca-bundle.crt" || name == "cert.pem" || name == "tls-ca-bundle.pem";
}

// The CA option value that makes the issuer list public, or empty.
static std::string public_ca(const model::Config& config) {
    for (std::string_view name : {"CACertFile", "CACertPath"}) {
        const model::OptionValue* option = config.option(name);
        if (option != nullptr && !option->is_default && is_public_bundle(option->value))
            return std::string(name) + "=" + option->value;
    }
    return {};
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    std::string bundle = context.config_present ? public_ca(context.config) : std::string();
    // With a configuration whose CAs are private, an issuer RELAY is the intended use.
    if (context.config_present && bundle.empty()) return;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.tag != ast::AccessTag::CertIssuer ||
                entry.kind != ast::AccessValueKind::Relay || entry.duplicate())
                continue;
            std::string key(access.key(entry));
            std::string message =
                bundle.empty()
                    ? "`" + key +
                          " RELAY` lets every client with a certificate from this issuer relay: "
                          "safe only for a private CA that signs nothing but your clients"
                    : "`" + key + " RELAY` with " + bundle +
                          " (the system's public CAs): anyone who gets a certificate from "
                          "this issuer relays";
            Diagnostic& d = out.report(at(access.file, entry.span()), std::move(message),
                                       "relays for a whole CA");
            if (bundle.empty()) d.severity = Severity::Medium;
        }
    }
}

extern const Rule kSM_S017 = {"SM-S017",
                              "cert-relay-too-broad",
                              Pack::Security,
                              Severity::High,
                              10,
                              "A CERTISSUER: RELAY entry relays for every certificate of a CA",
                              "relay per client certificate: CERTISSUER:<DN> SUBJECT plus "
                              "CERTSUBJECT:<DN> RELAY entries",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
