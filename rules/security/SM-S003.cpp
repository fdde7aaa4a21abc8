// SM-S003 no-relay-control-ruleset: sendmail's relay control lives entirely in the check_rcpt
// ruleset that m4 writes; a hand-written or pre-8.9 .cf without it (or with one that accepts
// every recipient) relays for anyone (KB SEC-003).
//
// What counts as acceptance is what sendmail's rscheck() does with the ruleset's result: only a
// resolution to the `error` mailer refuses (`discard` drops the message), compared case by case
// (`$#ERROR` accepts); `$# OK`, `$# RELAY`, any other `$#` and any `$@` value accept.
#include "model/rewrite_tokens.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace smaudit::rules {

namespace {

using Tokens = std::vector<std::string>;

// What one rule does with a workspace it matches.
enum class Outcome {
    Rewrite,  // rewrites and goes on with the next rule
    Return,   // returns a value (`$@ OK`): acceptance when it is check_rcpt's result
    Accept,   // resolves to a mailer rscheck() accepts (`$# OK`, `$# RELAY`)
    Refuse,   // resolves to `$#error` or `$#discard`
    Delegate, // calls another ruleset, which decides
};

struct Classified {
    Outcome outcome;
    std::string mailer; // for Accept and Refuse: the token after `$#`
};

Classified resolution(const Tokens& rhs, size_t hash) {
    std::string mailer = hash + 1 < rhs.size() ? rhs[hash + 1] : std::string();
    bool refuses = mailer == "error" || mailer == "discard";
    return {refuses ? Outcome::Refuse : Outcome::Accept, mailer};
}

Classified classify(const Tokens& rhs) {
    bool calls = std::find(rhs.begin(), rhs.end(), "$>") != rhs.end();
    if (!rhs.empty() && rhs[0] == "$#") return resolution(rhs, 0);
    if (!rhs.empty() && rhs[0] == "$@") {
        if (calls) return {Outcome::Delegate, {}};
        if (rhs.size() > 1 && rhs[1] == "$#") return resolution(rhs, 1);
        return {Outcome::Return, {}};
    }
    if (calls) return {Outcome::Delegate, {}};
    // A `$#` later in a rewrite builds a resolution that the next rules may pass on.
    if (std::find(rhs.begin(), rhs.end(), "$#") != rhs.end()) return {Outcome::Delegate, {}};
    return {Outcome::Rewrite, {}};
}

// The place and wording of a ruleset that accepts every recipient.
struct Acceptance {
    const model::RuleDef* rule;
    std::string_view ruleset;
    bool resolved;      // `$#` (else a `$@` return)
    std::string mailer; // the token after `$#`
};

bool looks_like(std::string_view mailer, std::string_view word) {
    return mailer.size() == word.size() &&
           std::equal(mailer.begin(), mailer.end(), word.begin(),
                      [](char a, char b) { return (a | 0x20) == (b | 0x20); });
}

struct Walk {
    const model::Config& config;
    std::set<std::string> visited;

    // The rule of `ruleset` that accepts every address before anything can refuse it, if any.
    // `returns_count`: a `$@` value is the answer sendmail acts on (check_rcpt itself); for a
    // ruleset check_rcpt calls, only a `$#` resolution it passes on is.
    std::optional<Acceptance> accepting_rule(const model::RulesetDef& ruleset, bool returns_count,
                                             const model::RuleDef** passed_by) {
        if (!visited.insert(ruleset.name).second) return std::nullopt;
        for (size_t i = 0; i < ruleset.rules.size(); ++i) {
            const model::RuleDef& rule = ruleset.rules[i];
            const Tokens lhs = model::rewrite_tokens(rule.lhs);
            const Tokens rhs = model::rewrite_tokens(rule.rhs);
            const Classified what = classify(rhs);
            if (!model::matches_every_address(lhs)) {
                // Rules for some addresses only: one that can refuse makes the rest conditional.
                if (what.outcome == Outcome::Refuse || what.outcome == Outcome::Delegate)
                    return std::nullopt;
                continue;
            }
            switch (what.outcome) {
            case Outcome::Rewrite:
                continue;
            case Outcome::Accept:
                return Acceptance{&rule, ruleset.name, true, what.mailer};
            case Outcome::Return:
                if (returns_count) return Acceptance{&rule, ruleset.name, false, {}};
                return std::nullopt; // the caller goes on with its own checks
            case Outcome::Refuse:
                return std::nullopt;
            case Outcome::Delegate:
                return delegated(ruleset, i, rhs, passed_by);
            }
        }
        return std::nullopt;
    }

    // m4's check_rcpt: `R$*  $: $1 $| $>"Local_check_rcpt" $1` then `R$* $| $#$*  $#$2`, which
    // returns whatever the called ruleset resolves to. Other calls decide what cannot be told
    // without running them.
    std::optional<Acceptance> delegated(const model::RulesetDef& ruleset, size_t at,
                                        const Tokens& rhs, const model::RuleDef** passed_by) {
        std::vector<std::string> called = model::called_rulesets(rhs);
        if (called.size() != 1 || at + 1 >= ruleset.rules.size()) return std::nullopt;
        const model::RuleDef& next = ruleset.rules[at + 1];
        const Tokens next_lhs = model::rewrite_tokens(next.lhs);
        const Tokens next_rhs = model::rewrite_tokens(next.rhs);
        bool passes_resolution = model::has_sequence(next_lhs, {"$|", "$#", "$*"}) &&
                                 next_rhs.size() == 2 && next_rhs[0] == "$#";
        const model::RulesetDef* callee = config.ruleset(called.front());
        if (!passes_resolution || callee == nullptr) return std::nullopt;
        std::optional<Acceptance> found = accepting_rule(*callee, false, passed_by);
        if (found && *passed_by == nullptr) *passed_by = &next;
        return found;
    }
};

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // A file without any ruleset is a fragment, not a configuration sendmail could run.
    if (config.rulesets.empty()) return;
    const model::RulesetDef* check_rcpt = config.ruleset("check_rcpt");
    if (check_rcpt == nullptr) {
        out.report_default("no check_rcpt ruleset: sendmail accepts every recipient from "
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
    Walk walk{config, {}};
    const model::RuleDef* passed_by = nullptr;
    std::optional<Acceptance> found = walk.accepting_rule(*check_rcpt, true, &passed_by);
    if (!found) return;
    std::string what = found->resolved ? "resolves every recipient to `$# " + found->mailer + "`"
                                       : std::string("returns for every recipient");
    std::string message =
        passed_by ? std::string(found->ruleset) + " " + what +
                        " here, and check_rcpt returns that before its relay checks, so anyone "
                        "can relay mail through this server"
                  : "check_rcpt " + what +
                        " here, before any check, so anyone can relay mail through this server";
    if (looks_like(found->mailer, "error") || looks_like(found->mailer, "discard"))
        message += " (sendmail refuses only on `$#error` and `$#discard` in lower case: `$# " +
                   found->mailer + "` is accepted)";
    Diagnostic& d = out.report(found->rule->where, std::move(message), "accepts every address");
    if (passed_by)
        d.notes.push_back(Label{passed_by->where, "check_rcpt returns what it resolves to"});
    d.notes.push_back(Label{check_rcpt->where, "check_rcpt starts here"});
}

extern const Rule kSM_S003 = {
    "SM-S003",
    "no-relay-control-ruleset",
    Pack::Security,
    Severity::Critical,
    25,
    "the .cf has no working check_rcpt ruleset, so nothing stops relaying",
    "regenerate the .cf from an .mc with sendmail's m4 files (cf/README)",
    FixKind::None,
    &check};

} // namespace smaudit::rules
