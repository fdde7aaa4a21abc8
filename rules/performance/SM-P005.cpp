// SM-P005 per-client-limits-missing-or-miswired: FEATURE(`ratecontrol') and
// FEATURE(`conncontrol') limit what one client may take (KB PERF-005). Judged from what m4
// wrote, so an .mc and its .cf read alike: the RateControl/ConnControl ruleset, whether
// check_relay calls it at connection time (`nodelay') or only check_rcpt does (delay_checks),
// its reply code (`terminate': 421), and the ClientRate:/ClientConn: entries of the access map
// audited beside the configuration. SM-S014 reports an MX without any anti-spam control for
// spam; this rule is about what one client can take from the host.
#include "rules/map_support.hpp"
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

#include "model/rewrite_tokens.hpp"

#include <set>

namespace smaudit::rules {

namespace {

struct Control {
    std::string_view feature; // "ratecontrol"
    std::string_view ruleset; // "RateControl"
    ast::AccessTag tag;
    std::string_view tag_text; // "ClientRate"
    std::string_view limits;   // what its entries limit
};

constexpr Control kControls[] = {
    {"ratecontrol", "RateControl", ast::AccessTag::ClientRate, "ClientRate",
     "how many connections a client may open per ConnectionRateWindowSize"},
    {"conncontrol", "ConnControl", ast::AccessTag::ClientConn, "ClientConn",
     "how many connections a client may hold open at once"},
};

// Whether ruleset `from` calls `target`, directly or through the rulesets it calls.
bool calls(const model::Config& config, std::string_view from, std::string_view target) {
    std::vector<const model::RulesetDef*> pending;
    std::set<const model::RulesetDef*> seen;
    if (const model::RulesetDef* start = config.ruleset(from)) pending.push_back(start);
    const model::RulesetDef* wanted = config.ruleset(target);
    while (!pending.empty()) {
        const model::RulesetDef* ruleset = pending.back();
        pending.pop_back();
        if (!seen.insert(ruleset).second) continue;
        if (ruleset == wanted) return true;
        for (const model::RuleDef& rule : ruleset->rules)
            for (const std::string& name : model::called_rulesets(model::rewrite_tokens(rule.rhs)))
                if (const model::RulesetDef* callee = config.ruleset(name))
                    pending.push_back(callee);
    }
    return false;
}

// Whether the ruleset answers a client over the limit with 421 (`terminate'): `$: 421 ...`.
bool terminates(const model::RulesetDef& ruleset) {
    for (const model::RuleDef& rule : ruleset.rules) {
        const std::vector<std::string> tokens = model::rewrite_tokens(rule.rhs);
        for (size_t i = 0; i + 1 < tokens.size(); ++i)
            if (tokens[i] == "$:" && tokens[i + 1] == "421") return true;
    }
    return false;
}

// The access map's entries of one tag.
struct Entries {
    bool map_audited = false;
    size_t count = 0;
    size_t limiting = 0;        // with a limit above 0
    bool default_limit = false; // the tag's default entry (`ClientRate:`) has a limit
    Location first;
};

Entries entries_of(const RuleContext& context, ast::AccessTag tag) {
    Entries entries;
    if (context.maps == nullptr) return entries;
    for (const ast::AccessFile& access : context.maps->access) {
        entries.map_audited = true;
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.tag != tag || entry.duplicate()) continue;
            if (entries.count++ == 0) entries.first = at(access.file, entry.key_span());
            if (leading_integer(access.value(entry)) <= 0) continue;
            ++entries.limiting;
            if (access.bare_key(entry).empty()) entries.default_limit = true;
        }
    }
    return entries;
}

std::string entries_words(const Control& control, size_t count) {
    return std::to_string(count) + " " + std::string(control.tag_text) + ": " +
           (count == 1 ? "entry" : "entries");
}

// "all 100 daemon children" / "as many processes as it opens": what one client can take.
std::string what_one_client_takes(const model::Config& config) {
    const ProcessLimits limits = read_process_limits(config);
    if (limits.children_unlimited) return "as many daemon children as it opens connections";
    return "all " + std::to_string(limits.children_cap) +
           " daemon children, locking every other client out";
}

void check_control(const RuleContext& context, const Control& control, Emitter& out,
                   bool& reported) {
    const model::Config& config = context.config;
    const std::string feature = "FEATURE(`" + std::string(control.feature) + "')";
    const model::Feature* named = config.feature(control.feature);
    const model::RulesetDef* ruleset = config.ruleset(control.ruleset);
    const Entries entries = entries_of(context, control.tag);
    const bool at_connect = ruleset != nullptr && calls(config, "check_relay", control.ruleset);
    const bool at_rcpt =
        ruleset != nullptr && !at_connect && calls(config, "check_rcpt", control.ruleset);

    if (named == nullptr && ruleset == nullptr) {
        if (entries.count == 0) return;
        reported = true;
        Diagnostic& d = out.report(entries.first,
                                   "the access map's " + entries_words(control, entries.count) +
                                       " are never read: without " + feature +
                                       " sendmail limits nothing of " + std::string(control.limits),
                                   "never read");
        d.severity = Severity::Medium;
        return;
    }
    reported = true;
    const Location where = named != nullptr ? named->where : ruleset->where;
    if (!at_connect && !at_rcpt) {
        std::string message =
            feature + " has no effect: " +
            (ruleset == nullptr ? "m4 wrote no " + std::string(control.ruleset) +
                                      " ruleset for it (it needs FEATURE(`access_db') before it)"
                                : "its " + std::string(control.ruleset) +
                                      " ruleset is called neither by check_relay nor by "
                                      "check_rcpt");
        if (entries.count > 0)
            message += ", so the access map's " + entries_words(control, entries.count) +
                       " are never read";
        Diagnostic& d = out.report(where, std::move(message), "has no effect");
        d.severity = Severity::Medium;
        return;
    }

    std::vector<std::string> problems;
    Severity severity = Severity::Low;
    if (entries.map_audited && entries.limiting == 0) {
        problems.push_back("it limits nobody: the access map has no " +
                           std::string(control.tag_text) + ": entry above 0");
        severity = Severity::Medium;
    } else if (entries.map_audited && !entries.default_limit) {
        problems.push_back("it limits only the " + std::to_string(entries.limiting) + " client" +
                           (entries.limiting == 1 ? "" : "s") +
                           " the access map lists: there is no default `" +
                           std::string(control.tag_text) + ":` entry with a limit for the rest");
    }
    if (at_rcpt)
        problems.push_back(
            "it is checked only at the first RCPT (FEATURE(`delay_checks') moves check_relay "
            "there, and `nodelay' is not given), after the client has its connection, a daemon "
            "child and a session");
    if (!terminates(*ruleset))
        problems.push_back("without `terminate' a client over the limit is answered 452 and may "
                           "stay connected, holding its daemon child (up to 25 rejected "
                           "commands); with `terminate' it gets 421 and is disconnected");
    if (problems.empty()) return;
    std::string message = feature + " is mis-wired: ";
    for (size_t i = 0; i < problems.size(); ++i)
        message += (i == 0 ? "" : "; ") + problems[i];
    Diagnostic& d = out.report(where, std::move(message), "limits clients here");
    d.severity = severity;
}

void check(const RuleContext& context, Emitter& out) {
    bool reported = false;
    for (const Control& control : kControls)
        check_control(context, control, out, reported);
    if (reported) return;
    out.report_default("neither FEATURE(`ratecontrol') nor FEATURE(`conncontrol'): sendmail "
                       "limits neither how fast nor how many connections one client opens, "
                       "so a single client can take " +
                       what_one_client_takes(context.config));
}

} // namespace

extern const Rule kSM_P005 = {"SM-P005",
                              "per-client-limits-missing",
                              Pack::Performance,
                              Severity::Low,
                              4,
                              "No per-client connection limits (ratecontrol, conncontrol), or "
                              "limits that do not work as written",
                              "FEATURE(`ratecontrol', `nodelay', `terminate') and "
                              "FEATURE(`conncontrol', `nodelay', `terminate') after access_db and "
                              "delay_checks, with default ClientRate: and ClientConn: entries",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
