// SM-S034 starttls-not-offered: a daemon that other hosts reach offers no STARTTLS, so mail
// and AUTH exchanges to it cross the network in clear text (KB SEC-034).
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

// The daemons whose STARTTLS matters: those reachable from other hosts, or every daemon when
// none is (the role then decides: nothing on a client-only host, medium for --role mx). SMTPS
// daemons (M=s) speak TLS from the first byte and offer no STARTTLS.
std::vector<const model::PortOptions*> judged_daemons(const model::Config& config) {
    std::vector<const model::PortOptions*> reachable, all;
    for (const model::PortOptions& daemon : config.daemons) {
        if (model::has_modifier(daemon, 's')) continue;
        all.push_back(&daemon);
        if (model::reachable_off_host(daemon)) reachable.push_back(&daemon);
    }
    return reachable.empty() ? all : reachable;
}

std::string describe_all(const std::vector<const model::PortOptions*>& daemons) {
    std::vector<std::string> described;
    for (const model::PortOptions* daemon : daemons)
        described.push_back(model::describe_daemon(*daemon));
    return join_words(described);
}

// "ServerCertFile and CACertFile are not set", "CACertFile (`ca.pem`) is not an absolute path".
std::string missing_options(const model::Config& config, const ServerTls& tls) {
    std::vector<std::string> unset, relative;
    for (const std::string& name : tls.missing) {
        const model::OptionValue* option = config.option(name);
        if (is_unset(option) || option->value.empty())
            unset.push_back(name);
        else
            relative.push_back(name + " (`" + option->value + "`)");
    }
    std::string text;
    if (!unset.empty())
        text = join_words(unset) + (unset.size() == 1 ? " is" : " are") + " not set";
    if (!relative.empty())
        text += (text.empty() ? "" : " and ") + join_words(relative) +
                (relative.size() == 1 ? " is not an absolute path" : " are not absolute paths");
    return text;
}

bool lowers_security_level_to_zero(const model::Config& config) {
    const model::OptionValue* ciphers = config.option("CipherList");
    return !is_unset(ciphers) &&
           model::to_lower(ciphers->value).find("@seclevel=0") != std::string::npos;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const std::vector<const model::PortOptions*> daemons = judged_daemons(config);
    if (daemons.empty()) return;
    const ServerTls tls = server_tls(config);
    const bool without_cert =
        option_letters(config, "TLSSrvOptions").find('C') != std::string::npos;
    // TLSSrvOptions C with anonymous cipher suites allowed (@SECLEVEL=0, SM-S036's finding)
    // encrypts without a certificate.
    if (!tls.configured && !(without_cert && lowers_security_level_to_zero(config))) {
        const bool none_set = tls.missing.size() == 4 && tls.last_set == nullptr;
        std::string message =
            "no STARTTLS for " + describe_all(daemons) + ": " +
            (none_set ? std::string("no server certificate is configured (sendmail offers "
                                    "STARTTLS only when ServerCertFile, ServerKeyFile, "
                                    "CACertPath and CACertFile all name absolute paths)")
                      : missing_options(config, tls) +
                            ", and sendmail offers STARTTLS only when ServerCertFile, "
                            "ServerKeyFile, CACertPath and CACertFile all name absolute paths");
        const model::OptionValue* srv_options = config.option("TLSSrvOptions");
        if (without_cert)
            message += "; TLSSrvOptions C makes it offer STARTTLS without a certificate, but "
                       "OpenSSL's default security level refuses every cipher suite that needs "
                       "none, so each handshake fails";
        message += ": mail and AUTH exchanges from other hosts cross the network in clear text";
        Location where;
        std::string label;
        if (without_cert) {
            where = srv_options->settings.back().value_where;
            label = "C: STARTTLS without a certificate";
        } else if (tls.last_set != nullptr) {
            where = tls.last_set->value_where;
            label = "the STARTTLS options stop here";
        } else {
            where = daemon_location(config, *daemons.front());
            label = "this daemon offers no STARTTLS";
        }
        // No place: sendmail's own daemon (no DaemonPortOptions line), a default.
        out.report(where, std::move(message), std::move(label)).about_default = !where.valid();
        return;
    }
    const AccessFeatures features =
        access_features(context, ast::AccessTag::SrvFeatures, "srv_features", "Srv_Features");
    const std::string_view fallback = features.fallback ? features.fallback->value() : "";
    std::vector<const model::PortOptions*> turned_off_by_default;
    for (const model::PortOptions* daemon : daemons) {
        const bool by_daemon = !model::has_modifier(*daemon, 'S');
        if (feature_after(by_daemon, fallback, "s")) continue;
        if (!by_daemon) {
            out.report(daemon_location(config, *daemon),
                       model::describe_daemon(*daemon) +
                           " has M=S: it never offers STARTTLS, although the server certificate "
                           "is configured, so mail and AUTH exchanges to it cross the network "
                           "in clear text",
                       "M=S turns STARTTLS off");
        } else {
            turned_off_by_default.push_back(daemon);
        }
    }
    if (!turned_off_by_default.empty()) {
        const AccessEntry& entry = *features.fallback;
        out.report(entry.where(),
                   "`" + std::string(entry.key()) + " " + std::string(entry.value()) +
                       "`, the srv_features default for every client without an entry of its "
                       "own, turns STARTTLS off: " +
                       describe_all(turned_off_by_default) +
                       (turned_off_by_default.size() == 1 ? " offers" : " offer") +
                       " it to none of them, so their mail crosses the network in clear text",
                   "S turns STARTTLS off");
    }
}

} // namespace

extern const Rule kSM_S034 = {"SM-S034",
                              "starttls-not-offered",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "a daemon that other hosts reach offers no STARTTLS",
                              "configure a server certificate (ServerCertFile, ServerKeyFile, "
                              "CACertPath, CACertFile)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
