// SM-S058 unlimited-message-size: MaxMessageSize 0 lets any client fill the queue's disk with
// one message (KB SEC-058, PERF-031).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_unlimited(context, out,
                    {"MaxMessageSize",
                     "a client can send a message of any size and fill the queue's disk",
                     "52428800", false});
}

extern const Rule kSM_S058 = {"SM-S058",
                              "unlimited-message-size",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "MaxMessageSize is unlimited: messages of any size are accepted",
                              "set MaxMessageSize to 52428800 (50 MiB)",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
