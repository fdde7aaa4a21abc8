// SM-P003 unlimited-daemon-children: with MaxDaemonChildren 0 the daemon forks one child per
// connection and nothing caps them; a cap below 20 lets a few idle connections lock everyone
// out; a cap whose children do not fit in memory caps nothing (KB PERF-003, sized to the host's
// memory: host_figures.hpp). Without ConnectionRateThrottle either, in background mode, SM-P002
// reports instead (process_limits.hpp).
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

#include "model/duration.hpp"

namespace smaudit::rules {

// "Timeout.command (1 hour, sendmail's default)": how long sendmail waits for a client's next
// command, read as sendmail reads it (model/duration).
static std::string command_timeout(const model::Config& config) {
    const std::optional<model::Duration> timeout =
        model::option_duration(config, "Timeout.command");
    const std::string words = timeout ? timeout->describe() : "1 hour";
    const bool is_default = is_unset(config.option("Timeout.command"));
    return "Timeout.command (" + words + (is_default ? ", sendmail's default" : "") + ")";
}

static void check_limit(const RuleContext& context, Emitter& out) {
    const model::OptionValue* children = context.config.option("MaxDaemonChildren");
    if (is_unset(children)) return;
    const model::OptionSetting& setting = children->settings.back();
    const long long value = leading_integer(setting.value);
    const analyze::HostFigures& host = host_figures(context);
    const std::string shown = describe_number("MaxDaemonChildren", setting.value, value, " ");
    std::string message;
    if (value < kFewestDaemonChildren) {
        const std::string n = std::to_string(value);
        message = shown + " is below " + std::to_string(kFewestDaemonChildren) +
                  ": an attacker who opens " + n +
                  " connections and leaves them idle locks every other client out, and "
                  "sendmail waits up to " +
                  command_timeout(context.config) + " for each next command";
    } else if (static_cast<uint64_t>(value) > host.memory.value / kDaemonChildMemory) {
        message = shown + ": each of up to " + std::to_string(value) +
                  " daemon children can use about " + analyze::format_size(kDaemonChildMemory) +
                  ", " + analyze::format_size(static_cast<uint64_t>(value) * kDaemonChildMemory) +
                  " in all, more than the " + analyze::describe_memory(host.memory) +
                  ": a connection flood exhausts memory before the limit stops it";
    } else {
        return;
    }
    Diagnostic& d = out.report(setting.value_where, std::move(message),
                               set_here(context, setting, "MaxDaemonChildren"));
    d.severity = Severity::Low;
    const std::string recommended = std::to_string(recommended_daemon_children(host));
    if (auto edits = set_value(context, setting, "MaxDaemonChildren", recommended); !edits.empty())
        d.fix = Fix{"set MaxDaemonChildren to " + recommended + " (half of the memory, at about " +
                        analyze::format_size(kDaemonChildMemory) + " a child)",
                    false, std::move(edits)};
}

static void check(const RuleContext& context, Emitter& out) {
    const ProcessLimits limits = read_process_limits(context.config);
    if (!limits.children_unlimited) {
        if (limits.global_children_applies) check_limit(context, out);
        return;
    }
    if (limits.unbounded()) return; // SM-P002 reports it at MaxDaemonChildren
    const analyze::HostFigures& host = host_figures(context);
    std::string consequence = "every connection gets its own process and a connection flood can "
                              "exhaust memory and process slots: " +
                              children_for_memory(host);
    if (limits.rate_unlimited) {
        consequence += "; ConnectionRateThrottle is off too, so a flood is accepted all at once";
    } else {
        const model::OptionValue* rate = context.config.option("ConnectionRateThrottle");
        const std::string per_second = std::to_string(leading_integer(rate->settings.back().value));
        consequence += "; ConnectionRateThrottle " + per_second +
                       " only spreads new connections "
                       "out (" +
                       per_second +
                       " a second on each daemon socket), it does not cap "
                       "how many stay open";
    }
    const std::string recommended = std::to_string(recommended_daemon_children(host));
    check_unlimited(context, out, {"MaxDaemonChildren", consequence, recommended, false});
}

extern const Rule kSM_P003 = {"SM-P003",
                              "unlimited-daemon-children",
                              Pack::Performance,
                              Severity::Medium,
                              10,
                              "MaxDaemonChildren is unlimited, too low to resist idle connections, "
                              "or more than memory holds",
                              "set MaxDaemonChildren to a limit sized to the host's memory",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
