// SM-S040 daemon-not-local-only: a daemon other hosts can reach, on a host that is no mail
// server (KB SEC-040, CIS "MTA local-only mode"). The configuration says what the host is only
// through its role: a null client (FEATURE(`nullclient') hands all mail to a hub) or
// `--role client-only`; an MX must listen, so the rule reads context.role.
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

// The daemon's value with its Addr set to the loopback address of its family: an Addr item
// (any key starting with `A`/`a`, as daemon.c reads keys) gets the new value, else one is added.
std::string with_loopback(std::string_view value, std::string_view loopback) {
    size_t at = 0;
    while (at <= value.size()) {
        size_t comma = value.find(',', at);
        size_t end = comma == std::string_view::npos ? value.size() : comma;
        size_t key = at;
        while (key < end && (value[key] == ' ' || value[key] == '\t'))
            ++key;
        size_t eq = value.find('=', key);
        if (key < end && (value[key] == 'A' || value[key] == 'a') && eq < end) {
            size_t from = eq + 1;
            size_t to = end;
            while (to > from && (value[to - 1] == ' ' || value[to - 1] == '\t'))
                --to;
            return std::string(value.substr(0, from)) + std::string(loopback) +
                   std::string(value.substr(to));
        }
        if (comma == std::string_view::npos) break;
        at = comma + 1;
    }
    return std::string(value) + ", Addr=" + std::string(loopback);
}

// A value that a fix may edit in place: a .cf's, or an .mc's inside m4 quotes
// (DAEMON_OPTIONS(`...')); not one from the cf tree (no place).
bool quoted_or_cf(const RuleContext& context, Location at) {
    if (!at.valid() || at.file >= context.sources.size()) return false;
    if (!context.expansion) return true;
    const std::string& text = context.sources.get(at.file).text();
    return at.span.begin > 0 && at.span.end < text.size() && text[at.span.begin - 1] == '`' &&
           text[at.span.end] == '\'';
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
        const std::string title = "listen on " + loopback + " only";
        if (const model::OptionSetting* setting = daemon_setting(config, daemon)) {
            if (!quoted_or_cf(context, setting->value_where)) continue;
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
