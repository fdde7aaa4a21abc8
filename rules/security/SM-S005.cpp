// SM-S005 relay-based-on-mx: KB SEC-005. Recognised in a .cf by the feature's banner, in an .mc by
// the FEATURE call (also one behind a `#`, which does not comment it out once cf.m4 is read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"relay_based_on_MX", "anyone can publish an MX record naming this host "
                                              "and relay through it without any arrangement"});
}

extern const Rule kSM_S005 = {
    "SM-S005",
    "relay-based-on-mx",
    Pack::Security,
    Severity::High,
    10,
    "FEATURE(`relay_based_on_MX') relays for any domain whose MX points here",
    "remove FEATURE(`relay_based_on_MX')",
    &check};

} // namespace smaudit::rules
