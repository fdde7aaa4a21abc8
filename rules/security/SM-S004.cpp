// SM-S004 relay-entire-domain: KB SEC-004. Recognised in a .cf by the rule m4 writes for it (a
// RELAY for class m, model/relay_features.hpp), in an .mc by the FEATURE call (also one behind a
// `#`, which does not comment it out once cf.m4 is read). The .mc fix names the domains instead:
// RELAY_DOMAIN of class m's members, when the configuration says what they are.
#include "rules/mc_support.hpp"

#include <set>

namespace smaudit::rules {

// Class m holds $m, which sendmail takes from the host's name when it starts (main.c) unless the
// .cf defines it (`Dm`), and whatever `Cm` lines add. The names, when the configuration itself
// gives them all.
static std::vector<std::string> local_domains(const model::Config& config) {
    std::set<std::string> names;
    if (auto macro = config.macros.find("m"); macro != config.macros.end()) {
        if (macro->second.value.empty() || macro->second.value.find('$') != std::string::npos)
            return {};
        names.insert(macro->second.value);
    } else {
        return {}; // $m is the host's domain, known only where sendmail runs
    }
    if (auto cls = config.classes.find("m"); cls != config.classes.end()) {
        if (!cls->second.files.empty()) return {};
        names.insert(cls->second.words.begin(), cls->second.words.end());
    }
    return {names.begin(), names.end()};
}

static std::optional<std::pair<std::string, std::string>>
relay_domain_instead(const RuleContext& context) {
    std::vector<std::string> names = local_domains(context.config);
    if (names.empty())
        return std::pair{std::string(),
                         "remove FEATURE(`relay_entire_domain'); name the domains that may relay "
                         "with RELAY_DOMAIN (this host's domain, $m, is known only where sendmail "
                         "runs)"};
    std::string list;
    for (const std::string& name : names) {
        if (name.find_first_of("`'") != std::string::npos) return std::nullopt;
        list += (list.empty() ? "" : " ") + name;
    }
    return std::pair{"RELAY_DOMAIN(`" + list + "')dnl",
                     "replace FEATURE(`relay_entire_domain') with RELAY_DOMAIN(`" + list + "')"};
}

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(
        context, out,
        {"relay_entire_domain",
         "every host in the domain of this host ($m, class m) may relay through it, and a host "
         "named after a whole domain or public suffix opens it much wider",
         "relays for class m (the local domain): m4 writes this rule for the FEATURE",
         &relay_domain_instead});
}

extern const Rule kSM_S004 = {
    "SM-S004",
    "relay-entire-domain",
    Pack::Security,
    Severity::High,
    10,
    "FEATURE(`relay_entire_domain') relays for every host of the local domain",
    "remove FEATURE(`relay_entire_domain'), or name the domains with RELAY_DOMAIN",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
