// SM-S007 access-from-relay: `From:` RELAY entries, inert without FEATURE(`relay_mail_from') and
// an open door with it, since the envelope sender is whatever the client says (KB SEC-007).
#include "rules/map_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    const bool feature =
        context.config_present && context.config.feature("relay_mail_from") != nullptr;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.tag != ast::AccessTag::From || entry.kind != ast::AccessValueKind::Relay ||
                entry.duplicate())
                continue;
            std::string key(access.key(entry));
            if (feature) {
                Diagnostic& d = out.report(
                    at(access.file, entry.span()),
                    "`" + key +
                        " RELAY` with FEATURE(`relay_mail_from'): anyone who puts this sender "
                        "in MAIL FROM relays through this host",
                    "relaying on a forgeable sender");
                d.severity = Severity::High;
            } else if (context.config_present) {
                Diagnostic& d = out.report(
                    at(access.file, entry.span()),
                    "`" + key +
                        " RELAY` does nothing: FEATURE(`relay_mail_from') is off; enabling it "
                        "would let anyone forging this sender relay",
                    "inert RELAY entry");
                d.severity = Severity::Low;
            } else {
                out.report(at(access.file, entry.span()),
                           "`" + key +
                               " RELAY` does nothing without FEATURE(`relay_mail_from') and "
                               "lets anyone forging this sender relay with it",
                           "relaying on a forgeable sender");
            }
        }
    }
}

extern const Rule kSM_S007 = {"SM-S007",
                              "access-from-relay",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "A From: RELAY access entry: relaying on a sender anyone can forge",
                              "remove the From: RELAY entry; relay for clients with AUTH or "
                              "Connect: entries",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
