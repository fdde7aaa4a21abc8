// SM-S006 relay-local-from: KB SEC-006. Recognised in a .cf by the rule m4 writes for it (a RELAY
// for a local envelope sender, model/relay_features.hpp), in an .mc by the FEATURE call (also one
// behind a `#`, which does not comment it out once cf.m4 is read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"relay_local_from",
                         "any client that claims a local sender address in "
                         "MAIL FROM may relay through this server",
                         "relays for a local MAIL FROM: m4 writes this rule for the FEATURE"});
}

extern const Rule kSM_S006 = {"SM-S006",
                              "relay-local-from",
                              Pack::Security,
                              Severity::High,
                              10,
                              "FEATURE(`relay_local_from') relays on the forgeable envelope sender",
                              "remove FEATURE(`relay_local_from')",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
