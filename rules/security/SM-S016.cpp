// SM-S016 routing-addresses-to-hub: KB SEC-016, cf/README's NOTICE in ANTI-SPAM. With
// FEATURE(`nopercenthack', `nospecial') (or nouucp's), `%` (or `!`) is no longer an operator
// (class O), so check_rcpt takes <user%example.net@this.host> for a local address and accepts
// it from any client. When local mail goes to a hub (MAIL_HUB, LUSER_RELAY, LOCAL_RELAY: macros
// H, L, R), ruleset 5 sends it on as user%example.net@hub, and a hub that still routes on `%`
// and relays for this host delivers it to user@example.net. Checked with sendmail -bt
// (check_rcpt, localaddr): SMART_HOST does not forward these local addresses (the KB lists it;
// wrong), and `reject` refuses them (its Rcpt_ok rules mark them <REMOTE>).
#include "model/rewrite_tokens.hpp"
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

struct RoutingFeature {
    std::string_view feature;   // nopercenthack, nouucp
    std::string_view character; // the operator it takes out of class O
    std::string_view example;   // an address that routes through it
};

constexpr RoutingFeature kRoutingFeatures[] = {
    {"nopercenthack", "%", "user%example.net@"},
    {"nouucp", "!", "example.net!user@"},
};

// `reject`'s rule in Rcpt_ok: `R$* % $* < @ $* >  $: <REMOTE> ...` (the same with `!`).
bool rejects(const model::Config& config, std::string_view character) {
    for (const model::RulesetDef& ruleset : config.rulesets)
        for (const model::RuleDef& rule : ruleset.rules) {
            std::vector<std::string> lhs = model::rewrite_tokens(rule.lhs);
            if (model::has_sequence(lhs, {"$*", character, "$*"}) &&
                model::has_sequence(model::rewrite_tokens(rule.rhs), {"<", "REMOTE", ">"}))
                return true;
        }
    return false;
}

// The hub local mail goes to: "MAIL_HUB hub.example" or empty.
std::string hub(const model::Config& config) {
    constexpr std::pair<std::string_view, std::string_view> kHubMacros[] = {
        {"H", "MAIL_HUB"}, {"L", "LUSER_RELAY"}, {"R", "LOCAL_RELAY"}};
    for (const auto& [macro, name] : kHubMacros) {
        auto found = config.macros.find(std::string(macro));
        if (found != config.macros.end() && !found->second.value.empty())
            return std::string(name) + " " + found->second.value;
    }
    return {};
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    auto operators = context.config.classes.find("O");
    if (operators == context.config.classes.end() || operators->second.where.empty()) return;
    const std::string to_hub = hub(context.config);
    if (to_hub.empty()) return;
    const std::vector<std::string>& words = operators->second.words;
    for (const RoutingFeature& routing : kRoutingFeatures) {
        if (std::find(words.begin(), words.end(), routing.character) != words.end() ||
            rejects(context.config, routing.character))
            continue;
        std::string message =
            "`" + std::string(routing.character) + "` is not an address operator here (FEATURE(`" +
            std::string(routing.feature) + "', `nospecial')) and local mail goes to " + to_hub +
            ": any client's <" + std::string(routing.example) +
            "this host> is accepted as local and handed to the hub, which relays it to "
            "user@example.net if it still routes on `" +
            std::string(routing.character) + "` and trusts this host";
        // In an .mc, at the FEATURE call (with a fix); in a .cf at the class O line.
        std::vector<const m4::MacroCall*> calls;
        if (context.expansion != nullptr)
            calls = feature_calls(*context.expansion, routing.feature);
        if (calls.empty()) {
            out.report(operators->second.where.front(),
                       message +
                           "; a .cf cannot be fixed in place: regenerate it with "
                           "FEATURE(`" +
                           std::string(routing.feature) + "', `reject')",
                       "no `" + std::string(routing.character) + "` operator");
            continue;
        }
        // The fix writes the whole line again: an argument alone would be an edit inside the
        // call, which stands for the feature file's text (mc_config drops such edits).
        const std::string with_reject =
            "FEATURE(`" + std::string(routing.feature) + "', `reject')dnl";
        for (const m4::MacroCall* call : calls) {
            Diagnostic& d = out.report(call->where, message, "this FEATURE call");
            if (call->args.size() < 2 || !call->args[1].starts_with("n")) continue;
            if (std::optional<Edit> edit =
                    replace_lines(context.sources, call->where, with_reject, true))
                d.fix = Fix{"use `reject`: refuse these addresses unless the client may relay",
                            false,
                            {std::move(*edit)}};
        }
    }
}

extern const Rule kSM_S016 = {
    "SM-S016",
    "routing-addresses-to-hub",
    Pack::Security,
    Severity::Low,
    3,
    "%-hack or bang addresses accepted as local and handed to a mail hub",
    "FEATURE(`nopercenthack', `reject') / FEATURE(`nouucp', `reject'), or the default handling",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
