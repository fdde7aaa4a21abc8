// SM-P003 unlimited-daemon-children: with MaxDaemonChildren 0 the daemon forks one child per
// connection and nothing caps them (KB PERF-003).
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

// The per-socket `c=` (children) limit of a DaemonPortOptions line; 0 when absent (KB §1.5).
static long long children_limit(const model::PortOptions& daemon) {
    for (const auto& [key, value] : daemon.pairs)
        if (key == "c" || equals_ignore_case(key, "children") ||
            equals_ignore_case(key, "MaxDaemonChildren"))
            return leading_integer(value);
    return 0;
}

static void check(const RuleContext& context, Emitter& out) {
    // Every socket capped by its own `c=` limit also caps the whole daemon.
    const auto& daemons = context.config.daemons;
    if (!daemons.empty() && std::all_of(daemons.begin(), daemons.end(), [](const auto& daemon) {
            return children_limit(daemon) > 0;
        }))
        return;
    check_unlimited(context, out,
                    {"MaxDaemonChildren",
                     "every connection gets its own process and a connection flood can exhaust "
                     "memory and process slots",
                     "100", false});
}

extern const Rule kSM_P003 = {"SM-P003",
                              "unlimited-daemon-children",
                              Pack::Performance,
                              Severity::Medium,
                              10,
                              "MaxDaemonChildren is unlimited: one process per connection, no cap",
                              "set MaxDaemonChildren to 100",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
