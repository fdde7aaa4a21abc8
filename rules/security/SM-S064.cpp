// SM-S064 relay-mail-from-feature: KB SEC-007, the FEATURE half (the access-map half, `From:`
// RELAY entries, is SM-S007). An ID beyond the KB catalog: SM-S007 was already the map rule.
// Recognised in a .cf by the rules m4 writes for it (a `From:` access lookup that relays,
// model/relay_features.hpp), in an .mc by the FEATURE call.
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"relay_mail_from",
                         "a client may relay by claiming, in MAIL FROM, a sender that the access "
                         "map lists with `From:... RELAY` (with `domain`, any address of a listed "
                         "domain)",
                         "relays on a `From:` RELAY access entry: m4 writes this rule for the "
                         "FEATURE"});
}

extern const Rule kSM_S064 = {"SM-S064",
                              "relay-mail-from-feature",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "FEATURE(`relay_mail_from') relays on the forgeable envelope sender",
                              "remove FEATURE(`relay_mail_from')",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
