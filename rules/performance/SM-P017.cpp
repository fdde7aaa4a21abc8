// SM-P017 fork-each-job: ForkEachJob runs each queue entry of a queue run in its own process,
// which gives up connection caching and the run's memory of hosts that are down; op.me says it
// is no longer needed since 8.12 (KB PERF-017).
#include "rules/queue_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    report_option_on(context, out, "ForkEachJob",
                     "ForkEachJob is set: a queue run forks a process for each message, so it "
                     "cannot reuse a cached connection and forgets between messages which hosts "
                     "are down, trying a dead host again for every message queued for it");
}

extern const Rule kSM_P017 = {"SM-P017",
                              "fork-each-job",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "ForkEachJob is set: queue runs lose connection caching and the "
                              "memory of down hosts",
                              "set ForkEachJob to False",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
