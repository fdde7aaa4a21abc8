// SM-S022 expn-enabled: EXPN shows what an alias or mailing list expands to (KB SEC-022).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    check_privacy_flag(
        context, out,
        {"noexpn", "EXPN", "any client can list the members of aliases and mailing lists"});
}

extern const Rule kSM_S022 = {"SM-S022",
                              "expn-enabled",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "EXPN is enabled: clients can expand aliases and mailing lists",
                              "add noexpn to PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
