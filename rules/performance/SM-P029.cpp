// SM-P029 match-gecos-scan: with MatchGECOS every local recipient that names no user makes
// sendmail read the whole password database, entry by entry, looking for a matching full name
// (KB PERF-029). DontInitGroups is not checked: it matters only when groups come from NIS or
// LDAP, which nsswitch.conf says, not the configuration.
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_true_option(context, out, "MatchGECOS",
                      "for every local recipient that is no alias and no user name (a typing "
                      "error, each guess of a dictionary attack) sendmail reads the whole "
                      "password database with getpwent(), NIS or LDAP included, comparing full "
                      "names; a directory of thousands of users is read once per unknown "
                      "recipient");
}

extern const Rule kSM_P029 = {"SM-P029",
                              "match-gecos-scan",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "MatchGECOS reads the whole password database for each unknown "
                              "local recipient",
                              "set MatchGECOS to False",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
