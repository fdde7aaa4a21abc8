// SM-S049 role-alias-missing: postmaster (RFC 5321), MAILER-DAEMON and abuse (RFC 2142) must
// reach a person; missing, or sent to a file or an error, bounces and reports get lost
// (KB SEC-049).
#include "rules/map_support.hpp"

#include <map>

namespace smaudit::rules {

namespace {

struct Role {
    std::string_view key, shown, why;
};

constexpr Role kRoles[] = {
    {"postmaster", "postmaster", "RFC 5321 requires every mail domain to accept it"},
    {"mailer-daemon", "MAILER-DAEMON", "replies to bounces go there"},
    {"abuse", "abuse", "RFC 2142: where others report abuse from your network"},
};

// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string name_list(const std::vector<const Role*>& roles) {
    std::string text;
    for (size_t i = 0; i < roles.size(); ++i) {
        if (i > 0) text += i + 1 == roles.size() ? " or " : ", ";
        text += "`" + std::string(roles[i]->shown) + "`";
    }
    return text;
}

// One finding for every missing role alias: a missing alias has no line of its own, so they
// would all share one place, and an empty file is one problem, not three findings at 1:1.
void report_missing(Emitter& out, Location anchor, const std::vector<const Role*>& missing,
                    bool no_aliases_at_all) {
    std::string message = no_aliases_at_all ? "the aliases file defines no alias at all: " : "";
    if (missing.size() == 1) {
        message += "no " + name_list(missing) + " alias (" + std::string(missing[0]->why) +
                   "): mail to it bounces as an unknown user unless an account of that name "
                   "exists";
    } else {
        message += "no " + name_list(missing) +
                   " alias: mail to them bounces as an unknown user unless an account of that "
                   "name exists (";
        for (size_t i = 0; i < missing.size(); ++i)
            message += (i > 0 ? "; " : "") + std::string(missing[i]->shown) + ": " +
                       std::string(missing[i]->why);
        message += ")";
    }
    out.report(anchor, std::move(message),
               no_aliases_at_all ? "no alias in this file" : "aliases start here");
}

} // namespace

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
        std::vector<const Role*> missing;
        for (const Role& role : kRoles) {
            auto found = by_key.find(std::string(role.key));
            if (found == by_key.end()) {
                missing.push_back(&role);
                continue;
            }
            const ast::AliasEntry& entry = *found->second;
            std::vector<ast::AliasTarget> targets = aliases.targets(entry);
            bool reaches_someone = false;
            for (const ast::AliasTarget& target : targets)
                if (target.kind != ast::AliasTargetKind::File &&
                    target.kind != ast::AliasTargetKind::Error)
                    reaches_someone = true;
            std::string shown(role.shown);
            if (!reaches_someone && !targets.empty())
                out.report(at(aliases.file, entry.value_span()),
                           "`" + shown + "` goes to `" + targets.front().text +
                               "`: no person ever reads what is sent to " + shown,
                           "reaches nobody");
        }
        if (!missing.empty()) report_missing(out, anchor, missing, aliases.entries.empty());
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
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
