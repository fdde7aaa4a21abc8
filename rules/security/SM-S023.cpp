// SM-S023 vrfy-enabled: VRFY confirms which mailboxes exist (KB SEC-023).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_privacy_flag(context, out,
                       {"novrfy", "VRFY", "any client can check which mailboxes exist"});
}

extern const Rule kSM_S023 = {"SM-S023",
                              "vrfy-enabled",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "VRFY is enabled: clients can confirm which mailboxes exist",
                              "add novrfy to PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
