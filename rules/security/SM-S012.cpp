// SM-S012 sender-ok-bypasses-checks: with FEATURE(`delay_checks'), an access entry that accepts
// a sender (`From:x OK`/`RELAY`, or an untagged domain/address, which sender lookups also use)
// makes sendmail skip check_relay for that envelope — the DNS blocklists and `Connect:` REJECT
// entries — and a spammer only has to forge that sender (KB SEC-012).
#include "rules/map_support.hpp"

#include "parse/maps.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr || context.config.feature("delay_checks") == nullptr) return;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.duplicate()) continue;
            if (entry.kind != ast::AccessValueKind::Ok && entry.kind != ast::AccessValueKind::Relay)
                continue;
            if (entry.tag == ast::AccessTag::None) {
                // Untagged IP keys serve connection lookups only; names and addresses also
                // serve sender lookups.
                ast::AccessKeyKind kind = classify_access_key(access.key(entry)).kind;
                if (kind != ast::AccessKeyKind::Domain && kind != ast::AccessKeyKind::Address &&
                    kind != ast::AccessKeyKind::LocalPart)
                    continue;
            } else if (entry.tag != ast::AccessTag::From) {
                continue;
            }
            out.report(at(access.file, entry.span()),
                       "`" + std::string(access.key(entry)) + " " +
                           std::string(access.value(entry)) +
                           "` with FEATURE(`delay_checks'): a message whose sender matches skips "
                           "check_relay (DNS blocklists, Connect: REJECT), and anyone can forge "
                           "that sender",
                       "sender whitelisted before the client is checked");
        }
    }
}

extern const Rule kSM_S012 = {"SM-S012",
                              "sender-ok-bypasses-checks",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "With delay_checks, a From: OK/RELAY entry skips the client checks",
                              "use Connect: or To: entries instead of sender entries",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
