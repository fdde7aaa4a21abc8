// SM-S014 no-connection-controls: KB SEC-014. None of sendmail's own controls against abusive
// clients: a DNS blocklist lookup (FEATURE dnsbl/enhdnsbl: a rule that looks the client up in a
// map of type dns or host), greet_pause (a ruleset greet_pause that sets a pause), ratecontrol or
// conncontrol (rulesets RateControl/ConnControl). Recognised by what m4 writes for each, checked
// against the installed cf tree; hand-written rules of the same kind count too. What smaudit
// cannot see: a milter, a firewall or a proxy in front of sendmail doing the same.
#include "m4/expand.hpp"
#include "model/rewrite_tokens.hpp"
#include "rules/rule_support.hpp"

#include <set>

namespace smaudit::rules {

namespace {

// Whether a rule looks something up in a DNS map (dnsbl's `$(dnsbl $4.$3.$2.$1.zone. ...)` in
// Basic_check_relay, hand-written lookups in Local_check_relay or Local_check_rcpt).
bool looks_up_dns(const model::Config& config) {
    std::set<std::string> dns_maps;
    for (const auto& [name, map] : config.maps)
        if (map.type == "dns" || map.type == "host") dns_maps.insert(name);
    if (dns_maps.empty()) return false;
    for (const model::RulesetDef& ruleset : config.rulesets) {
        // check_mail's `$(resolve ...)` (a host map) asks whether the sender domain exists.
        if (ruleset.name == "Basic_check_mail") continue;
        for (const model::RuleDef& rule : ruleset.rules) {
            std::vector<std::string> rhs = model::rewrite_tokens(rule.rhs);
            for (size_t i = 0; i + 1 < rhs.size(); ++i)
                if (rhs[i] == "$(" && dns_maps.contains(rhs[i + 1])) return true;
        }
    }
    return false;
}

// Whether ruleset greet_pause can set a pause: a rule that resolves to `$#` (`$# 2000`).
bool pauses_greeting(const model::Config& config) {
    const model::RulesetDef* greet = config.ruleset("greet_pause");
    if (greet == nullptr) return false;
    for (const model::RuleDef& rule : greet->rules) {
        std::vector<std::string> rhs = model::rewrite_tokens(rule.rhs);
        if (!rhs.empty() && rhs.front() == "$#") return true;
    }
    return false;
}

// Whether ruleset `name` exists and a rule calls it (check_relay's `$>"RateControl"`).
bool is_called(const model::Config& config, std::string_view name) {
    if (config.ruleset(name) == nullptr) return false;
    for (const model::RulesetDef& ruleset : config.rulesets)
        for (const model::RuleDef& rule : ruleset.rules)
            for (const std::string& called :
                 model::called_rulesets(model::rewrite_tokens(rule.rhs)))
                if (called == name) return true;
    return false;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // An .mc without a cf tree has no rules to read: cannot tell.
    if (context.expansion != nullptr && context.expansion->cf_dir.empty()) return;
    if (looks_up_dns(config) || pauses_greeting(config) || is_called(config, "RateControl") ||
        is_called(config, "ConnControl"))
        return;
    std::string message =
        "no DNS blocklist (FEATURE(`dnsbl')/`enhdnsbl'), no greet_pause, no ratecontrol or "
        "conncontrol: every client may open as many connections as fast as it likes and talk "
        "before the greeting, and known spam sources are not refused when they connect";
    const model::OptionValue* milters = config.option("InputMailFilters");
    if (milters != nullptr && !milters->value.empty())
        message += " (the milters " + milters->value +
                   " may do this; what a milter does is not in the configuration)";
    // sendmail's default: none of these runs unless the configuration adds it.
    out.report(Location{}, std::move(message), "no connection controls").about_default = true;
}

extern const Rule kSM_S014 = {
    "SM-S014",
    "no-connection-controls",
    Pack::Security,
    Severity::Low,
    3,
    "No DNS blocklist, greet_pause, ratecontrol or conncontrol on an MX",
    "FEATURE(`greet_pause'), FEATURE(`dnsbl', `zone'), FEATURE(`ratecontrol') and "
    "FEATURE(`conncontrol') with access_db",
    FixKind::None,
    &check};

} // namespace smaudit::rules
