// SM-S008 loose-relay-check: KB SEC-008. Recognised in a .cf by the rule m4 writes for it (the
// recipient check canonifies with CanonAddr, not ParseRecipient, model/relay_features.hpp), in an
// .mc by the FEATURE call (also one behind a `#`, which does not comment it out once cf.m4 is
// read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"loose_relay_check",
                         "`user%elsewhere@allowed-host` is no longer stripped and checked "
                         "again, so mail can be relayed through the %-hack",
                         "CanonAddr instead of ParseRecipient: m4 writes this rule for the "
                         "FEATURE"});
}

extern const Rule kSM_S008 = {"SM-S008",
                              "loose-relay-check",
                              Pack::Security,
                              Severity::High,
                              10,
                              "FEATURE(`loose_relay_check') lets %-hack addresses relay",
                              "remove FEATURE(`loose_relay_check')",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
