// SM-P024 soft-bounce: SoftBounce makes sendmail write every 5xy reply and error as 4xy (err.c
// fmtmsg()), a setting for testing a new configuration; in production, clients keep retrying
// what the server rejects, and mail to addresses that do not exist is retried by its sender
// for days instead of bouncing at once (KB PERF-024).
#include "rules/queue_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    report_option_on(context, out, "SoftBounce",
                     "SoftBounce is set: sendmail answers with a temporary error (4xy) wherever "
                     "it would refuse for good (5xy), so every client whose mail it rejects "
                     "(unknown users, relaying denied, access map REJECTs) keeps it queued and "
                     "retries for days instead of bouncing it at once");
}

extern const Rule kSM_P024 = {"SM-P024",
                              "soft-bounce",
                              Pack::Performance,
                              Severity::Medium,
                              5,
                              "SoftBounce is set: permanent errors become temporary ones, so "
                              "rejected mail is retried for days",
                              "set SoftBounce to False",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
