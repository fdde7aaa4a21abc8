// SM-P027 check-aliases-lookups: with CheckAliases sendmail parses every address on the right of
// every alias each time it rebuilds the alias database, and parsing runs ruleset 3, which asks
// DNS to canonify each host part (KB PERF-027).
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    // FEATURE(`nocanonify') takes the $[ $] lookups out of ruleset 3 (unless canonify_hosts
    // puts them back for unqualified names): parsing then costs no DNS. A .cf does not show
    // the FEATURE's arguments: nocanonify alone counts there.
    if (const model::Feature* nocanonify = context.config.feature("nocanonify")) {
        bool hosts = std::find(nocanonify->args.begin(), nocanonify->args.end(),
                               "canonify_hosts") != nocanonify->args.end();
        if (!hosts || context.expansion == nullptr) return;
    }
    check_true_option(context, out, "CheckAliases",
                      "each newaliases run parses every address on the right-hand side of every "
                      "alias through ruleset 3, which asks DNS for each host part ($[ $]), so a "
                      "large aliases file rebuilds slowly and every rebuild waits on DNS");
}

extern const Rule kSM_P027 = {"SM-P027",
                              "check-aliases-lookups",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "CheckAliases makes every alias rebuild canonify each address "
                              "through DNS",
                              "set CheckAliases to False",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
