// SM-S026 helo-not-required: sendmail serves MAIL, EXPN and VRFY to a client that never said
// HELO/EHLO unless PrivacyOptions has needmailhelo, needexpnhelo, needvrfyhelo (or goaway, which
// includes all three). One finding lists what is missing; the EXPN and VRFY flags count only
// while those commands are on (SM-S022, SM-S023 are about the commands themselves) (KB SEC-026).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

struct HeloFlag {
    std::string_view flag;    // "needexpnhelo"
    std::string_view command; // "EXPN"
    std::string_view off;     // the flag that turns the command off ("noexpn"); empty for MAIL
};
constexpr HeloFlag kHeloFlags[] = {{"needmailhelo", "MAIL", {}},
                                   {"needexpnhelo", "EXPN", "noexpn"},
                                   {"needvrfyhelo", "VRFY", "novrfy"}};

void check(const RuleContext& context, Emitter& out) {
    std::vector<PrivacyNeed> needs;
    for (const HeloFlag& helo : kHeloFlags) {
        const bool command_off =
            !helo.off.empty() &&
            unmet_privacy_needs(context.config, {{helo.off, {helo.off, "goaway"}}}).empty();
        if (!command_off) needs.push_back({helo.flag, {helo.flag, "goaway"}});
    }
    const std::vector<PrivacyNeed> unmet = unmet_privacy_needs(context.config, needs);
    if (unmet.empty()) return;
    std::vector<std::string> flags, commands;
    for (const PrivacyNeed& need : unmet)
        for (const HeloFlag& helo : kHeloFlags)
            if (helo.flag == need.flag) {
                flags.emplace_back(helo.flag);
                commands.emplace_back(helo.command);
            }
    flags.emplace_back("goaway");
    report_privacy_gap(context, out, unmet,
                       {"HELO is not required before " + word_list(commands, "or"),
                        (flags.size() == 2 ? "neither " + flags[0] + " nor goaway"
                                           : "none of " + word_list(flags)),
                        "a client that skips the HELO/EHLO greeting RFC 5321 requires, as many "
                        "spam and address-probing tools do, is served without naming itself"});
}

} // namespace

extern const Rule kSM_S026 = {"SM-S026",
                              "helo-not-required",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "HELO is not required before MAIL, EXPN or VRFY",
                              "add needmailhelo (and needexpnhelo, needvrfyhelo while EXPN and "
                              "VRFY are on) to PrivacyOptions",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
