// SM-P004 no-connection-rate-throttle: without ConnectionRateThrottle a burst of connections is
// accepted at once, before the load-average limits can react (KB PERF-004).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_unlimited(context, out,
                    {"ConnectionRateThrottle",
                     "a burst of new connections is accepted all at once instead of being spread "
                     "out",
                     "10", false});
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
