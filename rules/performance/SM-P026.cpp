// SM-P026 dns-heavy-features: FEATUREs that add DNS lookups to mail handling (KB PERF-026):
// bestmx_is_local without a domain list looks up the MX records of every recipient domain that
// is not local, and more than three DNS blocklists make each client wait for as many queries.
// relay_based_on_MX is SM-S005's; require_rdns, badmx and mtamark are not reported (the rule's
// page says why).
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

// Blocklists beyond this many are reported (each one is a query per client check).
constexpr size_t kMaxBlocklists = 3;

// The rule bestmx_is_local writes without a domain list (`$(bestmx $2 $)`: every domain); with
// a list it looks up only domains in class B (`$=B`).
const model::RuleDef* unlimited_bestmx_rule(const model::Config& config) {
    for (const model::RulesetDef& ruleset : config.rulesets)
        for (const model::RuleDef& rule : ruleset.rules)
            if (rule.rhs.find("$(bestmx $2 $)") != std::string::npos &&
                rule.lhs.find("$=B") == std::string::npos)
                return &rule;
    return nullptr;
}

// Where a blocklist was asked for: in an .mc the FEATURE call with that zone (the rules m4
// writes for every call are placed at the first one), in a .cf the rule that queries the zone.
Location blocklist_where(const RuleContext& context, const model::Feature& list) {
    if (context.expansion == nullptr || list.args.empty()) return list.where;
    for (const m4::MacroCall& call : context.expansion->calls)
        if (call.name == "FEATURE" && call.args.size() > 1 && call.args[0] == list.name &&
            call.args[1] == list.args.front())
            return call.where;
    return list.where;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    if (const model::Feature* bestmx = config.feature("bestmx_is_local");
        bestmx != nullptr && unlimited_bestmx_rule(config) != nullptr)
        out.report(bestmx->where,
                   "FEATURE(`bestmx_is_local') without a domain list looks up the MX records "
                   "of the domain of every address that is not local, in ruleset 0 and in the "
                   "relay check of each recipient, so mail to other sites costs DNS queries "
                   "before it is even queued (and a wildcard MX makes every domain local); "
                   "give it the domains it is for: FEATURE(`bestmx_is_local', `example.com')",
                   "no domain list");

    struct Blocklist {
        const model::Feature* feature;
        Location where;
    };
    std::vector<Blocklist> blocklists;
    for (const model::Feature& feature : config.features)
        if (feature.name == "dnsbl" || feature.name == "enhdnsbl")
            blocklists.push_back({&feature, blocklist_where(context, feature)});
    // In the order of the .mc's calls, or of the .cf's lines.
    std::stable_sort(blocklists.begin(), blocklists.end(), [](const auto& a, const auto& b) {
        return a.where.span.begin < b.where.span.begin;
    });
    if (blocklists.size() > kMaxBlocklists) {
        std::string zones;
        for (const Blocklist& list : blocklists)
            if (!list.feature->args.empty() && !list.feature->args.front().empty())
                zones += (zones.empty() ? "" : ", ") + list.feature->args.front();
        Diagnostic& d = out.report(
            blocklists[kMaxBlocklists].where,
            std::to_string(blocklists.size()) + " DNS blocklist FEATUREs (dnsbl/enhdnsbl" +
                (zones.empty() ? std::string() : ": " + zones) +
                "): each check of a client sends one DNS query per list, one after the other, "
                "and a list that does not answer holds the client for the resolver's whole "
                "timeout; more than 3 lists rarely reject more (an aggregate list such as "
                "zen.spamhaus.org covers several)",
            "a fourth blocklist");
        for (size_t i = 0; i < blocklists.size(); ++i)
            if (i != kMaxBlocklists && blocklists[i].where.valid())
                d.notes.push_back(Label{blocklists[i].where, "blocklist " + std::to_string(i + 1)});
    }
}

extern const Rule kSM_P026 = {"SM-P026",
                              "dns-heavy-features",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "bestmx_is_local without a domain list, or more than 3 DNS "
                              "blocklists, add DNS queries to every message or client",
                              "give bestmx_is_local its domains; keep 3 blocklists at most",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
