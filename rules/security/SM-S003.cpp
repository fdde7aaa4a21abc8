// SM-S003 no-relay-control-ruleset: sendmail's relay control lives entirely in the check_rcpt
// ruleset that m4 writes; a hand-written or pre-8.9 .cf without it (or with one that accepts
// every recipient) relays for anyone (KB SEC-003).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

// A left-hand side that matches every address: `$*` (also the empty one) or `$+`.
static bool matches_everything(std::string_view lhs) {
    lhs = trim(lhs);
    return lhs == "$*" || lhs == "$+";
}

// Whether a rule's right-hand side can refuse or hand the decision on: a `$#` resolution other
// than OK (error, discard) or a call of another ruleset (`$>`).
static bool can_refuse_or_delegate(std::string_view rhs) {
    if (rhs.find("$>") != std::string_view::npos) return true;
    for (size_t at = rhs.find("$#"); at != std::string_view::npos; at = rhs.find("$#", at + 2)) {
        std::string_view mailer = trim(rhs.substr(at + 2));
        if (!(mailer.size() >= 2 && (mailer[0] == 'O' || mailer[0] == 'o') &&
              (mailer[1] == 'K' || mailer[1] == 'k')))
            return true;
    }
    return false;
}

// A rule that accepts whatever reaches it: it returns (`$@ …`) or resolves to `$#OK` without
// being able to refuse. For a check_* ruleset anything but `$#error`/`$#discard` is acceptance.
static bool accepts_unconditionally(const model::RuleDef& rule) {
    std::string_view rhs = trim(rule.rhs);
    if (!matches_everything(rule.lhs) || can_refuse_or_delegate(rhs)) return false;
    return rhs.starts_with("$@") || rhs.starts_with("$#");
}

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // A file without any ruleset is a fragment, not a configuration sendmail could run.
    if (config.rulesets.empty()) return;
    const model::RulesetDef* check_rcpt = config.ruleset("check_rcpt");
    if (check_rcpt == nullptr) {
        out.report(Location{}, "no check_rcpt ruleset: sendmail accepts every recipient from "
                               "every client, so anyone can relay mail through this server");
        return;
    }
    if (check_rcpt->rules.empty()) {
        out.report(check_rcpt->where,
                   "the check_rcpt ruleset is empty: sendmail accepts every recipient from every "
                   "client, so anyone can relay mail through this server",
                   "check_rcpt starts here");
        return;
    }
    // Rules before the accepting one may only rewrite; one that can refuse makes it conditional.
    for (const model::RuleDef& rule : check_rcpt->rules) {
        if (accepts_unconditionally(rule)) {
            Diagnostic& d = out.report(rule.where,
                                       "check_rcpt accepts every recipient here before any "
                                       "check, so anyone can relay mail through this server",
                                       "accepts every address");
            d.notes.push_back(Label{check_rcpt->where, "check_rcpt starts here"});
            return;
        }
        if (can_refuse_or_delegate(rule.rhs)) return;
    }
}

extern const Rule kSM_S003 = {
    "SM-S003",
    "no-relay-control-ruleset",
    Pack::Security,
    Severity::Critical,
    25,
    "the .cf has no working check_rcpt ruleset, so nothing stops relaying",
    "regenerate the .cf from an .mc with sendmail's m4 files (cf/README)",
    &check};

} // namespace smaudit::rules
