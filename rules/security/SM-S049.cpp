// SM-S049 role-alias-missing: postmaster (RFC 5321), MAILER-DAEMON and abuse (RFC 2142) must
// reach a person; missing, or sent to a file or an error, bounces and reports get lost
// (KB SEC-049).
#include "rules/map_support.hpp"

#include <map>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.maps == nullptr) return;
    for (const ast::AliasesFile& aliases : context.maps->aliases) {
        std::map<std::string, const ast::AliasEntry*> by_key;
        for (const ast::AliasEntry& entry : aliases.entries)
            if (!entry.overridden()) by_key[aliases.key(entry)] = &entry;
        // A missing alias has no line of its own: the finding points at the first definition.
        Location anchor = aliases.entries.empty()
                              ? at(aliases.file, {0, 0})
                              : at(aliases.file, aliases.entries.front().name_span());
        struct Role {
            std::string_view key, shown, why;
        };
        static constexpr Role kRoles[] = {
            {"postmaster", "postmaster", "RFC 5321 requires every mail domain to accept it"},
            {"mailer-daemon", "MAILER-DAEMON", "replies to bounces go there"},
            {"abuse", "abuse", "RFC 2142: where others report abuse from your network"},
        };
        for (const Role& role : kRoles) {
            auto found = by_key.find(std::string(role.key));
            std::string shown(role.shown);
            if (found == by_key.end()) {
                out.report(anchor,
                           "no `" + shown + "` alias (" + std::string(role.why) +
                               "): mail to it bounces as an unknown user unless an account of "
                               "that name exists",
                           "aliases start here");
                continue;
            }
            const ast::AliasEntry& entry = *found->second;
            std::vector<ast::AliasTarget> targets = aliases.targets(entry);
            bool reaches_someone = false;
            for (const ast::AliasTarget& target : targets)
                if (target.kind != ast::AliasTargetKind::File &&
                    target.kind != ast::AliasTargetKind::Error)
                    reaches_someone = true;
            if (!reaches_someone && !targets.empty())
                out.report(at(aliases.file, entry.value_span()),
                           "`" + shown + "` goes to `" + targets.front().text +
                               "`: no person ever reads what is sent to " + shown,
                           "reaches nobody");
        }
    }
}

extern const Rule kSM_S049 = {"SM-S049",
                              "role-alias-missing",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "postmaster, MAILER-DAEMON or abuse is missing or reaches nobody",
                              "add postmaster: root, MAILER-DAEMON: postmaster, abuse: root, and "
                              "forward root to a person",
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
