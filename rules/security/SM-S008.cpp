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
                         "FEATURE",
                         nullptr,
                         "this .cf cannot be fixed in place: without the FEATURE m4 writes "
                         "`R$* $: $>ParseRecipient $1`, which needs the ParseRecipient ruleset "
                         "this .cf lacks (or its rules are not as m4 writes them); regenerate the "
                         ".cf from its .mc without the FEATURE"});
}

extern const Rule kSM_S008 = {"SM-S008",
                              "loose-relay-check",
                              Pack::Security,
                              Severity::High,
                              10,
                              "FEATURE(`loose_relay_check') lets %-hack addresses relay",
                              "remove FEATURE(`loose_relay_check')",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
