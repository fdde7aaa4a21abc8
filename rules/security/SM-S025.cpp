// SM-S025 etrn-enabled: ETRN makes sendmail start a queue run on a client's request (KB
// SEC-025). sendmail offers it unless PrivacyOptions has noetrn (goaway does not include it:
// sendmail.h, PRIV_GOAWAY is the low 16 bits and PRIV_NOETRN is 0x80000) or the daemon's
// modifiers have `E` (srvrsmtp.c: D_NOETRN).
#include "analyze/role.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

void check(const RuleContext& context, Emitter& out) {
    const std::vector<PrivacyNeed> unmet =
        unmet_privacy_needs(context.config, {{"noetrn", {"noetrn"}}});
    if (unmet.empty()) return;
    std::vector<std::string> offering;
    for (const model::PortOptions& daemon : context.config.daemons)
        if (!model::has_modifier(daemon, 'E') && !model::is_local_socket(daemon))
            offering.push_back(model::describe_daemon(daemon));
    if (offering.empty()) return; // every daemon has M=E
    report_privacy_gap(context, out, unmet,
                       {"ETRN is enabled",
                        "no noetrn (goaway does not include it) and " + word_list(offering) +
                            (offering.size() == 1 ? " has" : " have") + " no E modifier",
                        "any client can make sendmail start a queue run with `ETRN <domain>` "
                        "(each command forks a queue runner), a cheap way to load the host"});
}

} // namespace

extern const Rule kSM_S025 = {"SM-S025",
                              "etrn-enabled",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "ETRN is enabled: any client can start queue runs",
                              "add noetrn to PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
