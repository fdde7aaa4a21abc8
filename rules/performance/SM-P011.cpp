// SM-P011 connect-timeout-unset: with Timeout.connect and Timeout.aconnect at 0 (sendmail's
// defaults) every connection attempt to a host that does not answer waits for the kernel's TCP
// connect timeout, about 2 minutes on Linux (6 SYN retries), for each of its addresses, and a
// queue runner stalls behind each dead host (KB PERF-011). Timeout.iconnect does not help a queue
// run: daemon.c applies it to a message's first delivery attempt only.
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    std::optional<TimeoutValue> connect = read_timeout(context.config, "Timeout.connect");
    std::optional<TimeoutValue> overall = read_timeout(context.config, "Timeout.aconnect");
    // 0 or less sets no timer (sm_setevent()), so the kernel's timeout applies.
    if (!connect || connect->seconds() > 0 || (overall && overall->seconds() > 0)) return;
    std::string message = describe_timeout(*connect);
    if (overall)
        message += overall->is_default() ? " and neither is Timeout.aconnect"
                                         : " and " + describe_timeout(*overall);
    if (connect->is_default() && overall && overall->is_default())
        message = "Timeout.connect and Timeout.aconnect are not set (sendmail's defaults: 0, no "
                  "limit)";
    message += ": each attempt to connect to a host that does not answer waits for the kernel's "
               "TCP connect timeout, about 2 minutes on Linux, for every address of every MX "
               "host, and queue runners stall behind dead hosts";
    std::optional<TimeoutValue> initial = read_timeout(context.config, "Timeout.iconnect");
    if (initial && initial->seconds() > 0)
        message += " (Timeout.iconnect, " + initial->value.describe() +
                   ", limits only the first attempt of each message, never a queue run)";
    // At the setting to change, Timeout.connect (about its default when no line sets it).
    Diagnostic& d = report_at_timeout(out, context, *connect, std::move(message));
    if (overall) add_timeout_note(d, context, *overall);
    if (auto edits = timeout_edits(context, *connect, "1m"); !edits.empty())
        d.fix = Fix{"set Timeout.connect to 1m", false, std::move(edits)};
}

extern const Rule kSM_P011 = {"SM-P011",
                              "connect-timeout-unset",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "No connect timeout: each dead host costs the kernel's TCP connect "
                              "timeout (about 2 minutes) per address",
                              "set Timeout.connect to 1m",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
