// SM-S009 access-relay-too-broad: an access RELAY key that covers a TLD, a public suffix, a /8 or
// /16 network, or an empty key (KB SEC-009).
#include "rules/map_support.hpp"

namespace smaudit::rules {

using ast::AccessTag;

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AccessFile& access : context.maps->access) {
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.kind != ast::AccessValueKind::Relay || entry.duplicate()) continue;
            // Only the tags whose lookups can grant relaying (KB §1.6); From: is SM-S007's.
            if (entry.tag != AccessTag::None && entry.tag != AccessTag::Connect &&
                entry.tag != AccessTag::To)
                continue;
            std::string_view key = access.bare_key(entry);
            std::string tagged(access.key(entry));
            std::string_view whom = entry.tag == AccessTag::To
                                        ? "mail to any recipient there is relayed"
                                    : entry.tag == AccessTag::Connect
                                        ? "any client there may relay"
                                        : "any client, sender or recipient there may relay "
                                          "(untagged keys serve every lookup)";
            if (key.empty()) {
                out.report(at(access.file, entry.key_span()),
                           "`" + tagged +
                               " RELAY` has an empty key: meant to relay for everyone (sendmail "
                               "never looks an empty key up, so today it does nothing)",
                           "empty key");
                continue;
            }
            if (std::optional<std::string> breadth = relay_breadth(key))
                out.report(at(access.file, entry.bare_key_span()),
                           "`" + tagged + " RELAY` is too broad: " + *breadth + ", and " +
                               std::string(whom),
                           "relays for far more than one site");
        }
    }
}

extern const Rule kSM_S009 = {"SM-S009",
                              "access-relay-too-broad",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "An access RELAY key covers a TLD, public suffix or huge network",
                              "narrow the key to your own hosts, domains or networks",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
