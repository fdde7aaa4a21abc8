// SM-P007 ident-lookup-delay: with Timeout.ident above 0 (sendmail's default is 5 s in builds
// with IDENTPROTO, Debian's among them) the daemon asks port 113 of every client who it is before
// greeting it; a client whose firewall drops port 113 waits the whole timeout (KB PERF-007).
// The privacy side of the same setting is SM-S031's.
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    std::optional<TimeoutValue> ident = read_timeout(context.config, "Timeout.ident");
    if (!ident || ident->seconds() == 0) return; // 0: getauthinfo() sends no query
    std::string message = describe_timeout(*ident);
    if (ident->seconds() > 0)
        message += ": before greeting each client sendmail sends an IDENT query to its port "
                   "113, so IDENT lookups add up to " +
                   ident->value.describe() +
                   " to every connection from a host that drops port 113 (many firewalls do)";
    else
        message += ": sendmail still sends an IDENT query to port 113 of every client, but a "
                   "negative time sets no timer, so a connection from a host that drops port 113 "
                   "waits for the kernel's connect timeout, about 2 minutes on Linux";
    Diagnostic& d = report_at_timeout(out, context, *ident, std::move(message));
    if (auto edits = timeout_edits(context, *ident, "0"); !edits.empty())
        d.fix = Fix{"set Timeout.ident to 0 (no IDENT queries)", true, std::move(edits)};
}

extern const Rule kSM_P007 = {"SM-P007",
                              "ident-lookup-delay",
                              Pack::Performance,
                              Severity::Medium,
                              6,
                              "IDENT queries to every client delay each connection by up to "
                              "Timeout.ident",
                              "set Timeout.ident to 0",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
