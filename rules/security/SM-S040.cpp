// SM-S040 daemon-not-local-only: a daemon other hosts can reach, on a host that is no mail
// server (KB SEC-040, CIS "MTA local-only mode"). The configuration says what the host is only
// through its role: a null client (FEATURE(`nullclient') hands all mail to a hub) or
// `--role client-only`; an MX must listen, so the rule reads context.role.
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

// The daemon's value with its Addr set to the loopback address of its family, or an Addr added.
std::string with_loopback(std::string_view value, std::string_view loopback) {
    if (std::optional<DaemonItem> addr = find_daemon_item(value, 'A'))
        return std::string(value.substr(0, addr->value_begin)) + std::string(loopback) +
               std::string(value.substr(addr->value_end));
    return std::string(value) + ", Addr=" + std::string(loopback);
}

void check(const RuleContext& context, Emitter& out) {
    const model::HostRole* role = context.role;
    if (role == nullptr || role->role != model::Role::ClientOnly || !role->exposed) return;
    const model::Config& config = context.config;
    auto hub = config.macros.find("S");
    const std::string why = role->given
                                ? std::string("--role client-only says this host is no mail server")
                                : "FEATURE(`nullclient') makes this host hand all its mail to " +
                                      (hub != config.macros.end() && !hub->second.value.empty()
                                           ? hub->second.value
                                           : std::string("its hub")) +
                                      ", so it is no mail server";
    for (const model::PortOptions& daemon : config.daemons) {
        if (!model::reachable_off_host(daemon)) continue;
        const bool inet6 = model::to_lower(daemon.get("Family").value_or("inet")) == "inet6";
        const std::string loopback = inet6 ? "::1" : "127.0.0.1";
        // A daemon the .mc does not write (m4's defaults, sendmail's own) is shown at the
        // FEATURE(`nullclient') that makes it a finding, when there is one.
        Location where = daemon_location(config, daemon);
        std::string label = "listens beyond loopback";
        const model::Feature* nullclient = config.feature("nullclient");
        if (!where.valid() && nullclient != nullptr) {
            where = nullclient->where;
            label =
                "a null client, with " + model::daemon_name(daemon) + " reachable from other hosts";
        }
        Diagnostic& d = out.report(
            where,
            model::describe_daemon(daemon) + " is reachable from other hosts, but " + why +
                ": every open port is one more way in (CIS: MTA local-only mode); local programs "
                "reach it on " +
                loopback,
            std::move(label));
        // No place: sendmail's own daemon, or m4's defaults without FEATURE(`nullclient').
        d.about_default = !where.valid();
        const std::string title = "listen on " + loopback + " only";
        if (const model::OptionSetting* setting = daemon_setting(config, daemon)) {
            if (!daemon_value_editable(context, setting->value_where)) continue;
            if (auto edits = set_value(context, *setting, "DaemonPortOptions",
                                       with_loopback(setting->value, loopback));
                !edits.empty())
                d.fix = Fix{title, false, std::move(edits)};
        } else if (daemon.is_default && !context.expansion) {
            // sendmail's own daemon (no DaemonPortOptions line): a line replaces it.
            if (auto edit =
                    insert_option_line(context, "DaemonPortOptions", "Name=MTA, Addr=" + loopback))
                d.fix = Fix{title, false, {*edit}};
        }
    }
}

} // namespace

extern const Rule kSM_S040 = {"SM-S040",
                              "daemon-not-local-only",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "a host that is no mail server has a daemon other hosts can reach",
                              "listen on loopback only (Addr=127.0.0.1 or ::1)",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
