// SM-S001 promiscuous-relay: KB SEC-001. Recognised in a .cf by what the feature takes out:
// Basic_check_rcpt without its last rule, the `Relaying denied` refusal (never by the banner); in
// an .mc by the FEATURE call that read the feature (also one behind a `#`, which does not comment
// it out once cf.m4 is read). Fixed in the .mc only (the line removed): what the feature left out
// of a .cf cannot be put back by hand.
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(
        context, out,
        {"promiscuous_relay",
         "the relay checks are not generated, so anyone can relay mail through this server",
         "Basic_check_rcpt has no `Relaying denied` rule: nothing refuses relaying", nullptr,
         "a .cf cannot be fixed in place: the FEATURE left out the relay checks (Relay_ok and "
         "the rules that call it), whose rules depend on the other FEATUREs; regenerate the .cf "
         "from its .mc without it"});
}

extern const Rule kSM_S001 = {"SM-S001",
                              "promiscuous-relay",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "FEATURE(`promiscuous_relay') makes the server an open relay",
                              "remove FEATURE(`promiscuous_relay')",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
