// SM-S001 promiscuous-relay: KB SEC-001. Recognised in a .cf by what the feature takes out:
// Basic_check_rcpt without its last rule, the `Relaying denied` refusal (never by the banner); in
// an .mc by the FEATURE call that read the feature (also one behind a `#`, which does not comment
// it out once cf.m4 is read).
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(
        context, out,
        {"promiscuous_relay",
         "the relay checks are not generated, so anyone can relay mail through this server",
         "Basic_check_rcpt has no `Relaying denied` rule: nothing refuses relaying"});
}

extern const Rule kSM_S001 = {"SM-S001",
                              "promiscuous-relay",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "FEATURE(`promiscuous_relay') makes the server an open relay",
                              "remove FEATURE(`promiscuous_relay')",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
