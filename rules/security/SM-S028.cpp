// SM-S028 local-queue-commands-open: without restrictmailq, restrictqrun and restrictexpand
// (goaway includes none of them) every local user can read the queue, run it and see what
// private aliases expand to. One finding lists what is missing (KB SEC-028; op.me "Privacy
// Flags").
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

struct Restriction {
    std::string_view flag;    // "restrictmailq"
    std::string_view command; // "mailq"
    std::string_view ability; // what any local user can do without the flag
};
constexpr Restriction kRestrictions[] = {
    {"restrictmailq", "mailq", "list the sender and recipients of every queued message (`mailq`)"},
    {"restrictqrun", "sendmail -q", "start queue runs at will (`sendmail -q`)"},
    {"restrictexpand", "sendmail -bv",
     "read what private aliases, .forward and :include: files expand to (`sendmail -bv`, "
     "`-v`)"},
};

void check(const RuleContext& context, Emitter& out) {
    // The submission program expands no aliases or .forward files (it hands every message to
    // the MTA), so restrictexpand protects nothing there; its queue is the client queue, which
    // `mailq -Ac` lists and `sendmail -Ac -q` runs.
    const bool msp = context.role != nullptr && context.role->role == model::Role::Msp;
    std::vector<PrivacyNeed> needs;
    for (const Restriction& r : kRestrictions)
        if (!(msp && r.flag == "restrictexpand")) needs.push_back({r.flag, {r.flag}});
    const std::vector<PrivacyNeed> unmet = unmet_privacy_needs(context.config, needs);
    if (unmet.empty()) return;
    std::vector<std::string> flags, commands, abilities;
    for (const PrivacyNeed& need : unmet)
        for (const Restriction& r : kRestrictions)
            if (r.flag == need.flag) {
                flags.emplace_back(r.flag);
                commands.emplace_back(r.command);
                abilities.emplace_back(r.ability);
            }
    const bool one = flags.size() == 1;
    report_privacy_gap(context, out, unmet,
                       {word_list(commands) + (one ? " is" : " are") + " open to every local user",
                        lacks_beyond_goaway(flags), "any local user can " + word_list(abilities)});
}

} // namespace

extern const Rule kSM_S028 = {"SM-S028",
                              "local-queue-commands-open",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "Local users can read the queue, run it or expand private aliases",
                              "add restrictmailq, restrictqrun and restrictexpand to "
                              "PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
