// SM-P008 greet-pause-too-long: FEATURE(`greet_pause') makes every client wait before the 220
// greeting, and each waiting connection holds a daemon child (KB PERF-008). Findings: a default
// pause above 5 seconds (at the FEATURE, naming delay_checks, under which refused clients wait
// too); `GreetPause:` entries above 5 seconds; no 0 entry for loopback, so every message the
// local MSP hands to [127.0.0.1] waits as well; a `GreetPause:` entry with an empty key, which
// the rulesets m4 writes never look up.
#include "rules/map_support.hpp"
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

// Pauses above this are flagged (cf/README's own example is 5000).
constexpr long long kLongPauseMs = 5000;
// srvrsmtp.c: "if (msecs >= 300000) msecs = 300000" (RFC 5321's 5-minute greeting timeout).
constexpr long long kPauseCapMs = 300000;

// "1.5 seconds", "2 minutes"; the pause sendmail applies, capped.
std::string describe_ms(long long ms) {
    ms = std::min(ms, kPauseCapMs);
    if (ms % 60000 == 0 && ms >= 60000)
        return std::to_string(ms / 60000) + (ms == 60000 ? " minute" : " minutes");
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
        while (fraction.back() == '0')
            fraction.pop_back();
        text += "." + fraction;
    }
    return text + (ms == 1000 ? " second" : " seconds");
}

// The default pause of the FEATURE, as written into greet_pause's `R<?> <$*>  $# N` rule, with
// the place of N (in a .cf its bytes in that rule; in an .mc the FEATURE's second argument).
struct DefaultPause {
    long long ms = 0;
    std::string written;
    Location where;  // the finding's place: the rule line (.cf) or the FEATURE call (.mc)
    Location number; // N's bytes, when a fix can edit them
};

std::optional<DefaultPause> default_pause(const RuleContext& context,
                                          const model::Feature& feature) {
    if (feature.args.empty()) return std::nullopt; // with access_db only: entries alone decide
    DefaultPause pause;
    pause.written = feature.args.front();
    // strtol(): what the ruleset returns after `$#` is read as a number; text reads as 0.
    pause.ms = leading_integer(pause.written);
    pause.where = feature.where;
    if (context.expansion != nullptr) {
        for (const m4::MacroCall& call : context.expansion->calls) {
            // The last call's argument is the pause (each call redefines the ruleset's text).
            if (call.name != "FEATURE" || call.args.size() < 2 || call.args[0] != "greet_pause")
                continue;
            pause.number = Location{};
            if (call.arg_locations.size() > 1 && call.arg_locations[1].valid() &&
                !hash_before(context.sources, call.where))
                pause.number = call.arg_locations[1];
        }
        return pause;
    }
    const model::RulesetDef* ruleset = context.config.ruleset("greet_pause");
    if (ruleset == nullptr) return pause;
    for (const model::RuleDef& rule : ruleset->rules) {
        if (!model::is_greet_pause_default(rule) || !rule.where.valid()) continue;
        pause.where = rule.where;
        std::string_view line = context.sources.get(rule.where.file).slice(rule.where.span);
        size_t at = line.find("$#");
        if (at == std::string_view::npos) break;
        at = line.find_first_not_of(" \t", at + 2);
        if (at == std::string_view::npos) break;
        size_t end = line.find_first_of(" \t", at);
        if (end == std::string_view::npos) end = line.size();
        uint32_t begin = rule.where.span.begin + static_cast<uint32_t>(at);
        pause.number = Location{rule.where.file, {begin, begin + static_cast<uint32_t>(end - at)}};
    }
    return pause;
}

// Keys of a GreetPause: entry that a connection from 127.0.0.1 (named localhost) looks up: the
// name and its parent domains, then the address and its shorter octet prefixes (proto.m4's D
// and A rulesets, tag only: `<! GreetPause>`).
bool is_loopback_key(std::string_view key) {
    std::string lower;
    for (char c : key)
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower == "127" || lower == "127.0" || lower == "127.0.0" || lower == "127.0.0.1" ||
           lower == "localhost" || lower == "localhost.localdomain";
}

// The pause of a GreetPause: entry's value: strtol() of the word after `$#`.
long long entry_ms(const ast::AccessFile& access, const ast::MapEntry& entry) {
    return leading_integer(access.value(entry));
}

// The daemon children that wait through the pause, for the message: "each of up to 100 daemon
// children", or "each daemon child (MaxDaemonChildren is unlimited)".
std::string children_clause(const model::Config& config) {
    const model::OptionValue* children = config.option("MaxDaemonChildren");
    long long limit = children != nullptr ? leading_integer(children->value) : 0;
    if (limit > 0) return "each of up to " + std::to_string(limit) + " daemon children";
    return "each daemon child (MaxDaemonChildren sets no limit)";
}

void check_default(const RuleContext& context, Emitter& out, const DefaultPause& pause) {
    if (pause.ms <= kLongPauseMs) return;
    std::string message = "FEATURE(`greet_pause', `" + pause.written + "')";
    if (pause.ms >= kPauseCapMs)
        message += " asks for " + std::to_string(pause.ms) +
                   " ms; sendmail caps the pause at 5 minutes (RFC 5321's greeting timeout), "
                   "so every client it does not exempt waits 5 minutes";
    else
        message += " makes every client it does not exempt wait " + describe_ms(pause.ms);
    message += " before the 220 greeting, and " + children_clause(context.config) +
               " is held that long per connection";
    const model::OptionValue* children = context.config.option("MaxDaemonChildren");
    long long limit = children != nullptr ? leading_integer(children->value) : 0;
    if (limit > 0) {
        long long per_minute = limit * 60000 / std::min(pause.ms, kPauseCapMs);
        message += ": at most " + std::to_string(per_minute) + " connections a minute";
    }
    if (context.config.feature("delay_checks") != nullptr)
        message += "; with FEATURE(`delay_checks') clients that Connect: entries and DNS "
                   "blocklists refuse are refused only at RCPT, so they wait the pause too";
    message += " (a pause of 1 to 5 seconds catches clients that talk first)";
    Diagnostic& d = out.report(pause.where, std::move(message), "the default pause");
    if (pause.number.valid())
        d.fix = Fix{"pause 5 seconds (5000 ms) by default",
                    false,
                    {Edit{pause.number, std::to_string(kLongPauseMs)}}};
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Feature* feature = context.config.feature("greet_pause");
    if (feature == nullptr) return;
    std::optional<DefaultPause> pause = default_pause(context, *feature);
    if (pause) check_default(context, out, *pause);

    // The entries of the access map: only when the configuration reads one.
    bool reads_access =
        context.config.maps.contains("access") || context.config.feature("access_db") != nullptr;
    bool local_rules = false;
    if (const model::RulesetDef* local = context.config.ruleset("Local_greet_pause"))
        local_rules = !local->rules.empty();
    if (!reads_access) {
        if (pause && pause->ms > 0 && !local_rules)
            out.report(pause->where,
                       "FEATURE(`greet_pause') pauses " + describe_ms(pause->ms) +
                           " for every client, local ones too: without FEATURE(`access_db') no "
                           "GreetPause: entry can exempt 127.0.0.1, so every message that local "
                           "programs and the MSP (submit.cf relays to [127.0.0.1]) hand to this "
                           "daemon waits that long",
                       "loopback not exempted");
        return;
    }
    if (context.maps == nullptr || context.maps->access.empty()) return;
    bool loopback_exempt = false;
    for (const ast::AccessFile& access : context.maps->access)
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.tag != ast::AccessTag::GreetPause || entry.duplicate()) continue;
            std::string_view key = access.bare_key(entry);
            long long ms = entry_ms(access, entry);
            if (key.empty()) {
                if (ms > 0)
                    out.report(at(access.file, entry.span()),
                               "`" + std::string(access.key(entry)) + " " +
                                   std::string(access.value(entry)) +
                                   "` is never looked up: greet_pause's rules search GreetPause: "
                                   "with the client's name and address only, and a client "
                                   "found nowhere gets the FEATURE's own pause" +
                                   (pause ? " (" + describe_ms(pause->ms) + ")" : " (none)"),
                               "not a default")
                        .severity = Severity::Info;
                continue;
            }
            if (is_loopback_key(key) && ms <= 0) loopback_exempt = true;
            if (ms > kLongPauseMs)
                out.report(
                    at(access.file, entry.span()),
                    "`" + std::string(access.key(entry)) + " " + std::string(access.value(entry)) +
                        "` makes " + std::string(key) + " wait " +
                        (ms >= kPauseCapMs ? "5 minutes (sendmail's cap)" : describe_ms(ms)) +
                        " before the 220 greeting, holding a daemon child that long per "
                        "connection (a pause of 1 to 5 seconds catches clients that "
                        "talk first)",
                    "a long pause");
        }
    // Local programs hand their mail to the MTA at [127.0.0.1] (the MSP's submit.cf does):
    // every such message waits the pause unless loopback gets 0.
    if (pause && pause->ms > 0 && !loopback_exempt && !local_rules)
        out.report(pause->where,
                   "FEATURE(`greet_pause') pauses " + describe_ms(pause->ms) +
                       " for local clients too: the access map has no `GreetPause:127.0.0.1 0` "
                       "(or `GreetPause:127 0`, `GreetPause:localhost 0`) entry, so every "
                       "message that local programs and the MSP (submit.cf relays to "
                       "[127.0.0.1]) hand to this daemon waits that long",
                   "loopback not exempted");
}

extern const Rule kSM_P008 = {"SM-P008",
                              "greet-pause-too-long",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "greet_pause holds each connection for more than 5 seconds, or "
                              "also delays local submissions",
                              "pause 1 to 5 seconds by default; GreetPause:127.0.0.1 0 in the "
                              "access map",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
