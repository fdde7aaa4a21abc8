// SM-P004 no-connection-rate-throttle: without ConnectionRateThrottle a burst of connections is
// accepted at once, before the load-average limits can react (KB PERF-004). Reported only while
// the daemon's children are capped: without that cap SM-P003 or SM-P002 reports the missing
// throttle with it (process_limits.hpp).
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const ProcessLimits limits = read_process_limits(context.config);
    if (limits.children_unlimited || !limits.rate_unlimited) return;
    const model::OptionValue* children = context.config.option("MaxDaemonChildren");
    const bool global_cap = limits.global_children_applies && !is_unset(children) &&
                            leading_integer(children->settings.back().value) == limits.children_cap;
    const std::string consequence =
        "a burst of up to " + std::to_string(limits.children_cap) + " new connections (" +
        (global_cap ? "MaxDaemonChildren" : "a DaemonPortOptions c= limit") +
        ") is accepted all at once instead of being spread out, before the load-average limits "
        "can react";
    check_unlimited(context, out, {"ConnectionRateThrottle", consequence, "10", false});
}

extern const Rule kSM_P004 = {
    "SM-P004",
    "no-connection-rate-throttle",
    Pack::Performance,
    Severity::Low,
    4,
    "ConnectionRateThrottle is off: connection bursts are accepted at once",
    "set ConnectionRateThrottle to 10",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
