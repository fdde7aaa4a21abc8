// SM-S004 relay-entire-domain: KB SEC-004. Recognised in a .cf by the rule m4 writes for it (a
// RELAY for class m, model/relay_features.hpp), in an .mc by the FEATURE call (also one behind a
// `#`, which does not comment it out once cf.m4 is read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(
        context, out,
        {"relay_entire_domain",
         "every host in the domain of this host ($m, class m) may relay through it, and a host "
         "named after a whole domain or public suffix opens it much wider",
         "relays for class m (the local domain): m4 writes this rule for the FEATURE"});
}

extern const Rule kSM_S004 = {
    "SM-S004",
    "relay-entire-domain",
    Pack::Security,
    Severity::High,
    10,
    "FEATURE(`relay_entire_domain') relays for every host of the local domain",
    "remove FEATURE(`relay_entire_domain')",
    FixKind::None,
    &check};

} // namespace smaudit::rules
