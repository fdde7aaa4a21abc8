// SM-P001 interactive-delivery-on-daemon: DeliveryMode interactive (or a socket's D=i) makes
// every SMTP client wait while sendmail delivers its message to the next hop (KB PERF-001).
// The submission program runs interactive by design (msp.m4): the role matrix drops it there.
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

// Why it matters, with the cap on children when there is one.
static std::string consequence(const model::Config& config) {
    std::string text =
        "each SMTP client waits, connected, while sendmail delivers its message to the next hop "
        "(aliases and .forward files are expanded during RCPT too), so every session and its "
        "daemon child is held for the whole delivery";
    const ProcessLimits limits = read_process_limits(config);
    if (!limits.children_unlimited)
        text += ", and " + std::to_string(limits.children_cap) +
                " slow deliveries (the daemon's children limit) lock every other client out";
    return text;
}

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const model::OptionValue* mode = config.option("DeliveryMode");
    // A socket's D= replaces DeliveryMode for its children: the option matters when some socket
    // has none (sendmail's own default socket has none).
    const bool some_socket_uses_option =
        config.daemons.empty() ||
        std::any_of(config.daemons.begin(), config.daemons.end(), [](const auto& socket) {
            std::optional<std::string> own = socket.get("DeliveryMode");
            return !own || own->empty();
        });
    if (some_socket_uses_option && !is_unset(mode) && delivery_mode_letter(mode->value) == 'i') {
        const model::OptionSetting& setting = mode->settings.back();
        const std::string written = setting.value.empty() ? "empty, which sendmail reads as "
                                                            "interactive"
                                                          : "`" + setting.value + "`";
        Diagnostic& d = out.report(setting.value_where,
                                   "DeliveryMode is " + written + ": " + consequence(config),
                                   set_here(context, setting, "DeliveryMode"));
        if (auto edits = set_value(context, setting, "DeliveryMode", "background");
            !edits.empty()) {
            std::string title = "set DeliveryMode to background";
            // SuperSafe=Interactive is for interactive delivery only: with background delivery
            // sendmail warns at every start, so the fix makes it True (SM-P023).
            const model::OptionValue* safe = config.option("SuperSafe");
            if (!is_unset(safe) && !safe->value.empty() &&
                (safe->value.front() == 'i' || safe->value.front() == 'I')) {
                auto more = set_value(context, safe->settings.back(), "SuperSafe", "True");
                if (more.empty()) edits.clear();
                edits.insert(edits.end(), more.begin(), more.end());
                title += " and SuperSafe to True";
            }
            if (!edits.empty()) d.fix = Fix{title, false, std::move(edits)};
        }
    }
    for (const model::PortOptions& socket : config.daemons) {
        std::optional<std::string> own = socket.get("DeliveryMode");
        if (!own || own->empty() || own->front() != 'i' || !socket.where.valid()) continue;
        const std::string name = socket.get("Name").value_or("");
        out.report(socket.where,
                   "DaemonPortOptions " + (name.empty() ? std::string("socket") : name) +
                       " has D=" + *own + " (interactive delivery): " + consequence(config),
                   "DeliveryMode is set for this socket here");
    }
}

extern const Rule kSM_P001 = {"SM-P001",
                              "interactive-delivery-on-daemon",
                              Pack::Performance,
                              Severity::Medium,
                              8,
                              "DeliveryMode interactive on an SMTP daemon: clients and daemon "
                              "children wait for every delivery",
                              "set DeliveryMode to background",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
