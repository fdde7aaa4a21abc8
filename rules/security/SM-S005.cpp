// SM-S005 relay-based-on-mx: KB SEC-005. Recognised in a .cf by the rule m4 writes for it (a RELAY
// when the MX list holds a local name, model/relay_features.hpp), in an .mc by the FEATURE call
// (also one behind a `#`, which does not comment it out once cf.m4 is read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"relay_based_on_MX",
                         "anyone can publish an MX record naming this host "
                         "and relay through it without any arrangement",
                         "relays when an MX record names this host: m4 writes this rule for "
                         "the FEATURE"});
}

extern const Rule kSM_S005 = {
    "SM-S005",
    "relay-based-on-mx",
    Pack::Security,
    Severity::High,
    10,
    "FEATURE(`relay_based_on_MX') relays for any domain whose MX points here",
    "remove FEATURE(`relay_based_on_MX')",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
