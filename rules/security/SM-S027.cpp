// SM-S027 authwarnings-missing: without authwarnings (or goaway, which includes it) sendmail adds
// no X-Authentication-Warning header and logs no warning for the signs of a forged sender
// (main.c, srvrsmtp.c auth_warning()) (KB SEC-027).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const std::vector<PrivacyNeed> unmet =
        unmet_privacy_needs(context.config, {{"authwarnings", {"authwarnings", "goaway"}}});
    if (unmet.empty()) return;
    report_privacy_gap(context, out, unmet,
                       {"X-Authentication-Warning headers are off",
                        "neither authwarnings nor goaway",
                        "nothing marks the signs of a forged sender: a local user setting the "
                        "sender with `sendmail -f`, a client that skips HELO or names another "
                        "host in it get no header in the message and no warning in the log"});
}

extern const Rule kSM_S027 = {"SM-S027",
                              "authwarnings-missing",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "authwarnings is off: no X-Authentication-Warning headers for "
                              "signs of a forged sender",
                              "add authwarnings to PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
