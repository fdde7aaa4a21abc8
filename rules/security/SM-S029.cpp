// SM-S029 dsn-reveals-too-much: delivery status notifications tell senders more than they need
// unless PrivacyOptions has noreceipts, nobodyreturn and noactualrecipient. goaway includes none
// of them (sendmail.h: PRIV_GOAWAY is 0x0000ffff|PRIV_NOREFLECTION; op.me's "all flags except
// ..." omits noactualrecipient from its list of exceptions). One finding lists what is missing
// (KB SEC-029).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

struct DsnFlag {
    std::string_view flag;
    std::string_view effect; // what sendmail does without it
};
constexpr DsnFlag kDsnFlags[] = {
    {"noreceipts", "a sender can have every delivery confirmed (NOTIFY=SUCCESS)"},
    {"nobodyreturn",
     "a bounce carries the whole message back to a sender that may be forged (RET=FULL)"},
    {"noactualrecipient",
     "a DSN names the local account an address was delivered to (X-Actual-Recipient)"},
};

void check(const RuleContext& context, Emitter& out) {
    std::vector<PrivacyNeed> needs;
    for (const DsnFlag& dsn : kDsnFlags)
        needs.push_back({dsn.flag, {dsn.flag}});
    const std::vector<PrivacyNeed> unmet = unmet_privacy_needs(context.config, needs);
    if (unmet.empty()) return;
    std::vector<std::string> flags, effects;
    for (const PrivacyNeed& need : unmet)
        for (const DsnFlag& dsn : kDsnFlags)
            if (dsn.flag == need.flag) {
                flags.emplace_back(dsn.flag);
                effects.emplace_back(dsn.effect);
            }
    std::string consequences; // the effects contain commas: "a; b; and c"
    for (size_t i = 0; i < effects.size(); ++i)
        consequences += (i == 0 ? "" : i + 1 == effects.size() ? "; and " : "; ") + effects[i];
    report_privacy_gap(context, out, unmet,
                       {"delivery status notifications say more than they need",
                        lacks_beyond_goaway(flags), consequences});
}

} // namespace

extern const Rule kSM_S029 = {"SM-S029",
                              "dsn-reveals-too-much",
                              Pack::Security,
                              Severity::Info,
                              1,
                              "DSNs confirm deliveries, return whole messages or name the real "
                              "account behind an alias",
                              "add noreceipts, nobodyreturn and noactualrecipient to "
                              "PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
