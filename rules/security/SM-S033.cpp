// SM-S033 auth-required-on-mx-port: a port-25 daemon that other hosts reach has M=a, so it
// accepts mail only from clients that authenticate, and MTAs delivering to it never do
// (KB SEC-033; cf/README: "Do NOT use the 'a' modifier on a public accessible MTA!").
#include "rules/tls_support.hpp"

namespace smaudit::rules {

namespace {

// The daemon's value without the `a` modifier; the M= item goes when `a` was its only one.
std::string without_auth_modifier(std::string_view value) {
    std::optional<DaemonItem> item = find_daemon_item(value, 'M');
    if (!item) return std::string(value);
    std::string modifiers;
    for (char c : value.substr(item->value_begin, item->value_end - item->value_begin))
        if (c != 'a') modifiers += c;
    if (!modifiers.empty())
        return std::string(value.substr(0, item->value_begin)) + modifiers +
               std::string(value.substr(item->value_end));
    // Drop the item with the comma before it (or after it, when it is the first).
    size_t begin = item->begin, end = item->end;
    if (size_t comma = value.substr(0, begin).rfind(','); comma != std::string_view::npos) {
        begin = comma;
    } else if (end < value.size()) {
        end = value.find_first_not_of(" \t", end + 1);
        if (end == std::string_view::npos) end = value.size();
    }
    return std::string(value.substr(0, begin)) + std::string(value.substr(end));
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    for (const model::PortOptions& daemon : config.daemons) {
        if (model::port_number(daemon) != 25 || !model::has_modifier(daemon, 'a') ||
            !model::reachable_off_host(daemon))
            continue;
        Diagnostic& d = out.report(
            daemon_location(config, daemon),
            model::describe_daemon(daemon) +
                " answers MAIL from every client that has not authenticated with `530 5.7.0 "
                "Authentication required`: MTAs delivering mail to this host never authenticate, "
                "so it receives no mail from the Internet on the port where they deliver "
                "(cf/README: \"Do NOT use the 'a' modifier on a public accessible MTA\"); "
                "require AUTH on the submission port (587) instead",
            "M=a requires AUTH on port 25");
        const model::OptionSetting* setting = daemon_setting(config, daemon);
        if (setting == nullptr || !daemon_value_editable(context, setting->value_where)) continue;
        if (auto edits = set_value(context, *setting, "DaemonPortOptions",
                                   without_auth_modifier(setting->value));
            !edits.empty())
            d.fix = Fix{"take `a` out of the port-25 daemon's modifiers", false, std::move(edits)};
    }
}

} // namespace

extern const Rule kSM_S033 = {"SM-S033",
                              "auth-required-on-mx-port",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "a port-25 daemon that other hosts reach requires AUTH (M=a)",
                              "require AUTH on the submission daemon only",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
