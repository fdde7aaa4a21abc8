// SM-P027 check-aliases-lookups: with CheckAliases sendmail parses every address on the right of
// every alias each time it rebuilds the alias database, and parsing runs ruleset 3, which asks
// DNS to canonify each host part (KB PERF-027).
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("CheckAliases");
    if (is_unset(option)) return; // sendmail's default is False
    const model::OptionSetting& setting = option->settings.back();
    if (!model::sendmail_bool(setting.value)) return;
    // FEATURE(`nocanonify') takes the $[ $] lookups out of ruleset 3 (unless canonify_hosts
    // puts them back for unqualified names): parsing then costs no DNS.
    const model::Feature* nocanonify = context.config.feature("nocanonify");
    if (nocanonify != nullptr && context.expansion != nullptr) {
        bool hosts = false;
        for (const std::string& arg : nocanonify->args)
            hosts = hosts || arg == "canonify_hosts";
        if (!hosts) return;
    }
    if (nocanonify != nullptr && context.expansion == nullptr) return; // args not in a .cf
    std::string shown = setting.value.empty() ? "CheckAliases is set with no value (True)"
                                              : "CheckAliases is " + setting.value;
    Diagnostic& d = out.report(
        setting.value_where.valid() ? setting.value_where : setting.where,
        shown + ": each newaliases run parses every address on the right-hand side of every "
                "alias through ruleset 3, which asks DNS for each host part ($[ $]), so a large "
                "aliases file rebuilds slowly and every rebuild waits on DNS",
        set_here(context, setting, "CheckAliases"));
    if (auto edits = set_value(context, setting, "CheckAliases", "False"); !edits.empty())
        d.fix = Fix{"set CheckAliases to False", false, std::move(edits)};
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
