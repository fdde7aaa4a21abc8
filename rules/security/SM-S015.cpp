// SM-S015 no-bad-recipient-throttle: KB SEC-015. With BadRcptThrottle=N, once N recipients of an
// SMTP transaction were refused, sendmail sleeps 1 s before answering each further RCPT
// (srvrsmtp.c); 0 or less (the default) turns that off, and a client can try a dictionary of
// local parts at full speed.
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_unlimited(context, out,
                    {"BadRcptThrottle",
                     "a client can try any number of recipients in one transaction at full "
                     "speed and learn from the answers which mailboxes exist (a directory-harvest "
                     "attack); with BadRcptThrottle=N, each RCPT after N refused ones waits 1 s",
                     "3", true});
}

extern const Rule kSM_S015 = {"SM-S015",
                              "no-bad-recipient-throttle",
                              Pack::Security,
                              Severity::Low,
                              3,
                              "BadRcptThrottle is off: recipient guessing runs at full speed",
                              "set BadRcptThrottle to 3",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
