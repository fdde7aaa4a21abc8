// SM-S065 relay-proven-open: the configuration's own rulesets, run by the relay simulator
// (src/relay) as the daemon runs check_relay, check_mail and check_rcpt, accept mail for an
// outside domain from an outside client. Beyond the KB catalog: the feature rules (SM-S001 ...
// SM-S010) recognise the patterns that relay; this one runs the rules, so a hand-edited .cf, a
// LOCAL_RULESETS block or an access map that relays is found too, and a FEATURE whose relaying
// something else undoes is said to be harmless here. The simulation decides the severity.
//
// Probes (relay/probe_forms.hpp): every relaying address form of the classic relay testers, from
// an outside client without a host name and one whose name resolves, with a null sender and a
// forged local sender. The files the configuration reads (access map,
// class files) are read only in a live audit or under --root; otherwise the maps are taken as
// empty: the verdict is the one for a client and recipient no map entry names.
#include "relay/probe_forms.hpp"
#include "relay/simulate.hpp"
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"
#include "rules/rules.hpp"

#include <algorithm>
#include <map>

namespace smaudit::rules {

namespace {

constexpr std::string_view kDefaultHostname = "mx.example.test";

constexpr std::string_view kRelayFeatures[] = {
    "promiscuous_relay", "relay_entire_domain", "relay_based_on_MX", "relay_local_from",
    "relay_mail_from",   "loose_relay_check",   "relay_hosts_only"};

// $j when the .cf sets it to a plain name; else a stand-in (the probes only need a name that is
// the host's own).
std::string hostname_of(const model::Config& config) {
    auto j = config.macros.find("j");
    if (j != config.macros.end() && !j->second.value.empty() &&
        j->second.value.find('$') == std::string::npos &&
        j->second.value.find('.') != std::string::npos)
        return j->second.value;
    return std::string(kDefaultHostname);
}

// The root the audit read the configuration's files under, when it read them (a live audit:
// "/", or --root).
std::optional<std::string> audit_root(const RuleContext& context) {
    if (context.referenced == nullptr || !context.referenced->inspected) return std::nullopt;
    return context.referenced->root == "/" ? std::string() : context.referenced->root;
}

relay::Environment environment_of(const RuleContext& context, const std::string& hostname) {
    relay::Environment env;
    env.hostname = hostname;
    const std::string short_name = hostname.substr(0, hostname.find('.'));
    env.hosts = {{"localhost", "localhost"}, {hostname, hostname}, {short_name, hostname}};
    if (std::optional<std::string> root = audit_root(context)) {
        env.root = *root;
    } else {
        // Nothing on this machine is the audited host's: every map and class file is there and
        // empty (a .db is not found, so its text source is read: nothing).
        env.locate = [](std::string_view path) -> std::optional<std::string> {
            if (path.ends_with(".db")) return std::nullopt;
            return std::string("/dev/null");
        };
    }
    return env;
}

struct Passed {
    relay::ProbeAddress address;
    relay::ProbeClient client;
    std::string mail_from;
    relay::Outcome outcome;
};

std::string client_words(const relay::ProbeClient& client) {
    return client.client.name.empty()
               ? client.client.addr + " (no host name)"
               : client.client.addr + " (" + client.client.name + ", which resolves)";
}

// What decided, in words: the rule whose `$#` decided (with its text), else that nothing in
// check_rcpt refused.
std::string decision_words(const RuleContext& context, const relay::Outcome& outcome) {
    if (!outcome.rule) return "no rule of check_rcpt or the rulesets it calls refuses it";
    // A `$#` passed on from a ruleset check_rcpt called (Local_check_rcpt's `$# OK`): name it.
    for (const relay::Step& step : outcome.trace)
        if (step.depth >= 1 && step.output.starts_with("$#"))
            return step.ruleset + " resolves to `" + step.output + "`, which " +
                   outcome.rule->ruleset + " passes on";
    std::string words = "rule " + std::to_string(outcome.rule->index + 1) + " of " +
                        outcome.rule->ruleset + " decides";
    const model::RulesetDef* ruleset = context.config.ruleset(outcome.rule->ruleset);
    if (ruleset && outcome.rule->index < ruleset->rules.size()) {
        const model::RuleDef& rule = ruleset->rules[outcome.rule->index];
        words += " (`R" + rule.lhs + "  " + rule.rhs + "`)";
    }
    return words;
}

// The feature rules that fire on this configuration, run on the side (their findings are theirs).
std::vector<std::string_view> feature_rules_firing(const RuleContext& context) {
    std::vector<std::string_view> firing;
    for (const Rule* rule : {&kSM_S001, &kSM_S002, &kSM_S003, &kSM_S004, &kSM_S005, &kSM_S006,
                             &kSM_S007, &kSM_S008, &kSM_S010, &kSM_S064}) {
        std::vector<Diagnostic> scratch;
        Emitter emitter(*rule, scratch);
        rule->check(context, emitter);
        if (!scratch.empty()) firing.push_back(rule->id);
    }
    return firing;
}

std::string joined(const std::vector<std::string_view>& ids) {
    std::string out;
    for (std::string_view id : ids)
        out += (out.empty() ? "" : ", ") + std::string(id);
    return out;
}

// Where the finding points: the rule that decided; in an .mc, a rule or S line the .mc itself
// holds (LOCAL_RULESETS) that the probe went through, else a relay FEATURE call; else
// check_rcpt's S line; else nowhere (sendmail's default: no check_rcpt, everything accepted).
// In an .mc a rule written by the cf tree stands for the macro call that read it (mc_config), so
// only a place whose text is the rule itself is taken for a rule.
Location place_of(const RuleContext& context, const relay::Outcome& outcome) {
    const bool in_mc = context.expansion != nullptr;
    auto literal = [&](Location where, char line_kind) {
        return where.valid() &&
               (!in_mc ||
                (where.file == context.expansion->mc &&
                 context.sources.text_at(where).starts_with(std::string_view(&line_kind, 1))));
    };
    if (outcome.rule && literal(outcome.rule->where, 'R')) return outcome.rule->where;
    if (in_mc) {
        for (const relay::Step& step : outcome.trace) {
            const model::RulesetDef* ruleset = context.config.ruleset(step.ruleset);
            if (!ruleset) continue;
            // proto.m4 writes the S line of Local_check_rcpt; LOCAL_RULESETS its rules
            for (const model::RuleDef& rule : ruleset->rules)
                if (literal(rule.where, 'R')) return rule.where;
            if (literal(ruleset->where, 'S')) return ruleset->where;
        }
        for (const model::Feature& feature : context.config.features)
            if (feature.where.valid() &&
                std::find(std::begin(kRelayFeatures), std::end(kRelayFeatures), feature.name) !=
                    std::end(kRelayFeatures))
                return feature.where;
    }
    if (const model::RulesetDef* check_rcpt = context.config.ruleset("check_rcpt"))
        if (check_rcpt->where.valid()) return check_rcpt->where;
    return {};
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    if (!context.config_present || context.config.rulesets.empty()) return;
    const std::string hostname = hostname_of(context.config);
    const relay::Simulator simulator(context.config, environment_of(context, hostname));

    std::vector<Passed> passed;
    size_t probes = 0;
    // Accepted, but ruleset 0 resolved the recipient to a local mailer (F=l): sendmail delivers
    // it on this host (a configuration without ruleset 3 takes user@outside for a local user),
    // which relays nothing.
    size_t delivered_here = 0;
    // A null sender (no check_mail refuses it, and no DNS says an outside sender's domain does
    // not exist) and a forged local one (relay_local_from trusts it).
    const std::vector<std::string> senders = {"<>", "<postmaster@" + hostname + ">"};
    std::vector<relay::ProbeAddress> addresses;
    std::vector<std::string> rcpts;
    for (const relay::ProbeAddress& address : relay::relay_probe_addresses(hostname))
        if (address.relays) {
            addresses.push_back(address);
            rcpts.push_back(address.rcpt);
        }
    for (const relay::ProbeClient& client : relay::outside_probe_clients()) {
        // One session and MAIL command per sender, every recipient after it (run_recipients);
        // judged in the order client, address, sender. Without traces: only the first probe
        // that passes has its trace read, and it runs again below to get it.
        std::vector<std::vector<relay::Outcome>> by_sender;
        for (const std::string& sender : senders) {
            relay::Probe probe;
            probe.client = client.client;
            probe.mail_from = sender;
            by_sender.push_back(
                simulator.run_recipients(probe, rcpts, relay::Simulator::Trace::skipped));
        }
        for (size_t a = 0; a < addresses.size(); ++a)
            for (size_t s = 0; s < senders.size(); ++s) {
                relay::Outcome& outcome = by_sender[s][a];
                ++probes;
                if (outcome.verdict != relay::Verdict::accepted) continue;
                if (outcome.rcpt_local)
                    ++delivered_here;
                else
                    passed.push_back({addresses[a], client, senders[s], std::move(outcome)});
            }
    }

    const std::vector<std::string_view> firing = feature_rules_firing(context);
    if (passed.empty()) {
        // The feature rules that say "anyone can relay" are refuted by the rules themselves.
        std::vector<std::string_view> open_claims;
        for (std::string_view id : firing)
            if (id == "SM-S001" || id == "SM-S002" || id == "SM-S003") open_claims.push_back(id);
        if (open_claims.empty()) return;
        const std::string probed = "none of the " + std::to_string(probes) +
                                   " probes (every address form, from an outside client with "
                                   "and without a host name) ";
        Diagnostic& d =
            delivered_here == 0
                ? out.report(place_of(context, relay::Outcome{}),
                             "the relay probes found no open relay although " +
                                 joined(open_claims) + " reports one: " + probed +
                                 "was accepted; the rulesets refuse what the FEATURE would "
                                 "let through",
                             "check_rcpt refuses every relay probe")
                : out.report(place_of(context, relay::Outcome{}),
                             "the relay probes found no open relay although " +
                                 joined(open_claims) + " reports one: " + probed + "was relayed; " +
                                 std::to_string(delivered_here) +
                                 " were accepted, but ruleset 0 gives the recipient to a local "
                                 "mailer (F=l), which delivers on this host",
                             "check_rcpt accepts, but nothing accepted leaves this host");
        d.severity = Severity::Low;
        if (!d.where.valid() && !context.config.files.empty())
            d.config_file = context.config.files.front();
        return;
    }

    // The finding names the first probe that passed, from its trace: that probe again, traced
    // (its outcome is the same; tests/relay/session_test.cpp compares the two runs).
    {
        Passed& traced = passed.front();
        relay::Probe probe;
        probe.client = traced.client.client;
        probe.mail_from = traced.mail_from;
        probe.rcpt = traced.address.rcpt;
        traced.outcome = simulator.run(probe);
    }
    const Passed& first = passed.front();
    std::vector<std::string> forms;
    bool unresolved_client = false, only_unavailable = true;
    for (const Passed& p : passed) {
        if (std::find(forms.begin(), forms.end(), p.address.form) == forms.end())
            forms.push_back(p.address.form);
        if (p.client.client.name.empty()) unresolved_client = true;
        if (!p.outcome.used_unavailable_map) only_unavailable = false;
    }
    std::string form_list;
    for (const std::string& form : forms)
        form_list += (form_list.empty() ? "" : ", ") + form;

    std::string message = "open relay: the rulesets accept RCPT TO:" + first.address.rcpt + " (" +
                          first.address.form + ") after MAIL FROM:" + first.mail_from + " from " +
                          client_words(first.client) + ": " +
                          decision_words(context, first.outcome) + "; " +
                          std::to_string(passed.size()) + " of " + std::to_string(probes) +
                          " relay probes pass (" + form_list + ")";
    if (!unresolved_client) message += "; only a client whose host name resolves relays";
    if (firing.empty())
        message += "; no feature rule reports this: the relaying comes from rules no FEATURE "
                   "explains (a local ruleset, an access entry, a hand-edited rule)";
    else
        message += "; the feature rules agree (" + joined(firing) + ")";
    if (only_unavailable) {
        std::string maps;
        for (const std::string& name : first.outcome.unavailable_maps)
            maps += (maps.empty() ? "" : ", ") + name;
        message += "; every accepting run depended on a map smaudit does not consult (" + maps +
                   "), so the verdict holds when it finds nothing";
    }
    // Without a place (no check_rcpt at all): sendmail's default, which accepts.
    const Location where = place_of(context, first.outcome);
    Diagnostic& d = where.valid()
                        ? out.report(where, std::move(message),
                                     first.outcome.rule ? "this rule accepts the relay probe"
                                                        : "check_rcpt accepts the relay probe")
                        : out.report_default(std::move(message));
    if (only_unavailable) d.severity = Severity::Medium;
}

extern const Rule kSM_S065 = {
    "SM-S065",
    "relay-proven-open",
    Pack::Security,
    Severity::Critical,
    25,
    "the configuration's rulesets relay mail from an outside client to an outside domain",
    "make check_rcpt refuse outside recipients for outside clients: remove the FEATURE, access "
    "entry or rule that accepts them (named in the finding)",
    FixKind::None,
    &check};

} // namespace smaudit::rules
