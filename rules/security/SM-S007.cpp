// SM-S007 access-from-relay: `From:` RELAY entries, inert without FEATURE(`relay_mail_from') and
// an open door with it, since the envelope sender is whatever the client says (KB SEC-007). The
// fix deletes the entry: safe where the audited configuration shows the feature is off (nothing
// changes), unsafe otherwise (those senders no longer relay).
#include "rules/map_support.hpp"
#include "rules/rule_support.hpp"

#include <vector>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    const bool feature =
        context.config_present && context.config.feature("relay_mail_from") != nullptr;
    for (const ast::AccessFile& access : context.maps->access) {
        // The entries first: a map may have tens of thousands, whose findings are made in an
        // array reserved once.
        std::vector<uint32_t> relaying;
        for (uint32_t index = 0; index < access.entries.size(); ++index) {
            const ast::MapEntry& entry = access.entries[index];
            if (entry.tag == ast::AccessTag::From && entry.kind == ast::AccessValueKind::Relay &&
                !entry.duplicate())
                relaying.push_back(index);
        }
        if (relaying.empty()) continue;
        out.reserve(relaying.size());
        const DuplicatesByKept duplicates(access.duplicates);
        for (const uint32_t index : relaying) {
            const ast::MapEntry& entry = access.entries[index];
            std::string key(access.key(entry));
            const bool inert = context.config_present && !feature;
            // The entry's line, and the RELAY lines of the same key makemap drops today, which
            // would take its place.
            auto add_fix = [&](Diagnostic& d) {
                std::vector<Edit> edits;
                auto remove = [&](const ast::MapEntry& line) {
                    auto edit = replace_lines(context.sources, at(access.file, line.span()));
                    if (edit) edits.push_back(std::move(*edit));
                    return edit.has_value();
                };
                if (!remove(entry)) return;
                for (const ast::MapDuplicate& duplicate : duplicates.of(index))
                    if (access.entries[duplicate.entry].kind == ast::AccessValueKind::Relay &&
                        !remove(access.entries[duplicate.entry]))
                        return;
                d.fix = Fix{"delete the entry, then rebuild the map (makemap hash access < "
                            "access)",
                            inert, std::move(edits)};
            };
            if (feature) {
                Diagnostic& d = out.report(
                    at(access.file, entry.span()),
                    "`" + key +
                        " RELAY` with FEATURE(`relay_mail_from'): anyone who puts this sender "
                        "in MAIL FROM relays through this host",
                    "relaying on a forgeable sender");
                d.severity = Severity::High;
                add_fix(d);
            } else if (context.config_present) {
                Diagnostic& d = out.report(
                    at(access.file, entry.span()),
                    "`" + key +
                        " RELAY` does nothing: FEATURE(`relay_mail_from') is off; enabling it "
                        "would let anyone forging this sender relay",
                    "inert RELAY entry");
                d.severity = Severity::Low;
                add_fix(d);
            } else {
                Diagnostic& d =
                    out.report(at(access.file, entry.span()),
                               "`" + key +
                                   " RELAY` does nothing without FEATURE(`relay_mail_from') and "
                                   "lets anyone forging this sender relay with it",
                               "relaying on a forgeable sender");
                add_fix(d);
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
                              FixKind::Mixed,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
