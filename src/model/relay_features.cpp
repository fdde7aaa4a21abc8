#include "model/relay_features.hpp"

#include "model/rewrite_tokens.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace smaudit::model {

namespace {

constexpr std::array<std::string_view, 8> kDecidedByRules = {"promiscuous_relay",
                                                             "relay_entire_domain",
                                                             "relay_based_on_MX",
                                                             "relay_local_from",
                                                             "relay_mail_from",
                                                             "loose_relay_check",
                                                             "accept_unresolvable_domains",
                                                             "accept_unqualified_senders"};

struct TokenRule {
    const RuleDef* rule;
    std::vector<std::string> lhs, rhs;
};

// Every ruleset's rules as tokens, each tokenized once for all the detectors (each used to
// tokenize the rulesets it walks: several passes over thousands of rules per configuration).
class TokenizedConfig {
  public:
    explicit TokenizedConfig(const Config& config) : config_(config) {
        rulesets_.reserve(config.rulesets.size());
        for (const RulesetDef& ruleset : config.rulesets) {
            std::vector<TokenRule>& rules = rulesets_.emplace_back();
            rules.reserve(ruleset.rules.size());
            for (const RuleDef& rule : ruleset.rules)
                rules.push_back({&rule, rewrite_tokens(rule.lhs), rewrite_tokens(rule.rhs)});
        }
    }
    const Config& config() const { return config_; }
    const std::vector<std::vector<TokenRule>>& rulesets() const { return rulesets_; }
    // The named ruleset's rules; null when the configuration has no such ruleset.
    const std::vector<TokenRule>* ruleset(std::string_view name) const {
        const RulesetDef* found = config_.ruleset(name);
        if (found == nullptr) return nullptr;
        return &rulesets_[static_cast<size_t>(found - config_.rulesets.data())];
    }

  private:
    const Config& config_;
    std::vector<std::vector<TokenRule>> rulesets_;
};

// A right-hand side that lets the address relay: returns or resolves to RELAY or OK (`$@ OK`
// in 8.9's check_rcpt, `$@ RELAY` since 8.10), or marks it `<RELAY>` for the caller
// (ParseRecipient).
bool grants_relay(const std::vector<std::string>& rhs) {
    if (rhs.size() == 2 && (rhs[0] == "$@" || rhs[0] == "$#"))
        return rhs[1] == "RELAY" || rhs[1] == "OK";
    return rhs.size() >= 4 && rhs[0] == "$:" && rhs[1] == "<" && rhs[2] == "RELAY" && rhs[3] == ">";
}

bool calls(const TokenRule& rule, std::string_view ruleset) {
    std::vector<std::string> names = called_rulesets(rule.rhs);
    return std::find(names.begin(), names.end(), ruleset) != names.end();
}

// The first rule of any ruleset for which `pick` says yes.
template <class Pick> std::optional<Location> first_rule(const TokenizedConfig& config, Pick pick) {
    for (const std::vector<TokenRule>& rules : config.rulesets()) {
        for (size_t i = 0; i < rules.size(); ++i)
            if (pick(rules, i)) return rules[i].rule->where;
    }
    return std::nullopt;
}

// The first rule of any ruleset for which `pick(rule, seen)` says yes, `seen` telling whether a
// rule before it in its ruleset said yes to `before`: kept as the rules are walked (asking again
// for every rule made a ruleset of thousands of rules quadratic).
template <class Before, class Pick>
std::optional<Location> first_rule_after(const TokenizedConfig& config, Before before, Pick pick) {
    for (const std::vector<TokenRule>& rules : config.rulesets()) {
        bool seen = false;
        for (const TokenRule& rule : rules) {
            if (pick(rule, seen)) return rule.rule->where;
            seen = seen || before(rule);
        }
    }
    return std::nullopt;
}

// promiscuous_relay takes out the relay checks at the end of Basic_check_rcpt (m4 writes the
// ruleset since 8.9), whose last rule refuses whatever none of them let through:
// `R$*  $#error $@ 5.7.1 $: "550 Relaying denied"`. Without that rule nothing is refused.
std::optional<Location> promiscuous_relay(const TokenizedConfig& config) {
    const std::vector<TokenRule>* basic = config.ruleset("Basic_check_rcpt");
    if (basic == nullptr) return std::nullopt;
    for (const TokenRule& rule : *basic)
        if (rule.lhs == std::vector<std::string>{"$*"} && rule.rhs.size() >= 2 &&
            rule.rhs[0] == "$#" && rule.rhs[1] == "error")
            return std::nullopt;
    return config.config().ruleset("Basic_check_rcpt")->where;
}

// relay_entire_domain: a recipient domain or client name in class m (the local domain) relays:
// `R$+ < @ $* $=m >  $@ RELAY`, `R<?> $* $=m  $@ RELAY`, ParseRecipient's `$: <RELAY> ...`.
std::optional<Location> relay_entire_domain(const TokenizedConfig& config) {
    return first_rule(config, [](const std::vector<TokenRule>& rules, size_t i) {
        const TokenRule& rule = rules[i];
        return grants_relay(rule.rhs) &&
               std::find(rule.lhs.begin(), rule.lhs.end(), "$=m") != rule.lhs.end();
    });
}

// relay_based_on_MX: the recipient domain relays when its MX list (the mxserved bestmx map,
// `< : mx1. : mx2. : >`) holds a local name: `R<$* : $=w . : $*> $*  $@ RELAY`.
std::optional<Location> relay_based_on_mx(const TokenizedConfig& config) {
    return first_rule(config, [](const std::vector<TokenRule>& rules, size_t i) {
        return grants_relay(rules[i].rhs) && has_sequence(rules[i].lhs, {":", "$=w", ".", ":"});
    });
}

// The envelope sender canonified into the workspace (Relay_ok with relay_local_from or
// relay_mail_from): `R$*  $: <?> $>CanonAddr $&f` (8.9: `$: $1 $| $>CanonAddr $&f`).
bool reads_sender(const TokenRule& rule) {
    return has_sequence(rule.rhs, {"$>", "CanonAddr", "$&f"});
}

// relay_local_from: after the sender is read, a local sender domain relays:
// `R<?> $+ < @ $=w >  $@ RELAY` (8.9: `R$* $| $+ < @ $=w . >  $@ OK`).
std::optional<Location> relay_local_from(const TokenizedConfig& config) {
    return first_rule_after(config, reads_sender, [](const TokenRule& rule, bool sender_read) {
        return sender_read && grants_relay(rule.rhs) && has_sequence(rule.lhs, {"<", "@", "$=w"});
    });
}

// relay_mail_from: the sender is looked up as `From:` in the access map, and RELAY relays:
// `R<?> $+ < @ $+ >  $: <@> $>SearchList <! From> $| <F:$1@$2> <>` then `R<@> <RELAY> $@ RELAY`.
std::optional<Location> relay_mail_from(const TokenizedConfig& config) {
    auto looks_up_from = [](const TokenRule& rule) {
        return has_sequence(rule.rhs, {"$>", "SearchList", "<", "!", "From", ">"});
    };
    return first_rule_after(config, looks_up_from, [](const TokenRule& rule, bool looked_up) {
        return looked_up && grants_relay(rule.rhs);
    });
}

// loose_relay_check: the recipient check (Rcpt_ok, Basic_check_rcpt before 8.10) canonifies the
// address with CanonAddr instead of ParseRecipient, which strips relayable hosts from
// `user%host@relayable` before the relay checks see it.
std::optional<Location> loose_relay_check(const TokenizedConfig& config) {
    const std::vector<TokenRule>* check = config.ruleset("Rcpt_ok");
    if (check == nullptr) check = config.ruleset("Basic_check_rcpt");
    if (check == nullptr) return std::nullopt;
    const std::vector<TokenRule>& rules = *check;
    if (std::any_of(rules.begin(), rules.end(),
                    [](const TokenRule& rule) { return calls(rule, "ParseRecipient"); }))
        return std::nullopt;
    for (const TokenRule& rule : rules)
        if (calls(rule, "CanonAddr")) return rule.rule->where;
    return std::nullopt;
}

bool same(const std::vector<std::string>& tokens, std::string_view side) {
    return tokens == rewrite_tokens(side);
}

// The rules of Relay_ok that read the envelope sender for relay_local_from and relay_mail_from
// (m4 writes them once for both): `R$*  $: <?> $>CanonAddr $&f` and the trailing dot stripped.
// The index of the first, or none.
std::optional<size_t> sender_reading(const std::vector<TokenRule>& rules) {
    for (size_t i = 0; i + 1 < rules.size(); ++i)
        if (same(rules[i].lhs, "$*") && same(rules[i].rhs, "$: <?> $>CanonAddr $&f") &&
            same(rules[i + 1].lhs, "<?> $+ < @ $+ . >") &&
            same(rules[i + 1].rhs, "<?> $1 < @ $2 >"))
            return i;
    return std::nullopt;
}

bool grants_for_local_sender(const TokenRule& rule) {
    return grants_relay(rule.rhs) && same(rule.lhs, "<?> $+ < @ $=w >");
}

bool looks_up_sender(const TokenRule& rule) {
    return same(rule.lhs, "<?> $+ < @ $+ >") &&
           has_sequence(rule.rhs, {"$>", "SearchList", "<", "!", "From", ">"});
}

using Changes = std::vector<LineChange>;

void remove(Changes& changes, const TokenRule& rule) {
    changes.push_back({rule.rule->where, {}});
}

// relay_entire_domain: every rule that relays for class m.
Changes without_entire_domain(const TokenizedConfig& config) {
    Changes changes;
    for (const std::vector<TokenRule>& rules : config.rulesets())
        for (const TokenRule& rule : rules)
            if (grants_relay(rule.rhs) &&
                std::find(rule.lhs.begin(), rule.lhs.end(), "$=m") != rule.lhs.end())
                remove(changes, rule);
    return changes;
}

// relay_based_on_MX: in ParseRecipient and in Rcpt_ok, four rules from the one that looks the
// recipient domain up in the mxserved map to the one that gives up, and the map's K line.
Changes without_based_on_mx(const TokenizedConfig& config) {
    Changes changes;
    for (const std::vector<TokenRule>& rules : config.rulesets()) {
        for (size_t i = 0; i < rules.size(); ++i) {
            if (!has_sequence(rules[i].rhs, {"$(", "mxserved"})) continue;
            if (i + 3 >= rules.size() || !has_sequence(rules[i + 1].lhs, {"<", "TEMP", ">"}) ||
                !grants_relay(rules[i + 2].rhs) ||
                !has_sequence(rules[i + 2].lhs, {":", "$=w", ".", ":"}) ||
                !has_sequence(rules[i + 3].lhs, {"<", ":", "$*", ":", ">"}))
                return {};
            for (size_t j = i; j < i + 4; ++j)
                remove(changes, rules[j]);
            i += 3;
        }
    }
    auto map = config.config().maps.find("mxserved");
    if (!changes.empty() && map != config.config().maps.end())
        changes.push_back({map->second.where, {}});
    return changes;
}

// relay_local_from: Relay_ok's `R<?> $+ < @ $=w >  $@ RELAY`, and the rules that read the sender
// unless relay_mail_from reads it too.
Changes without_local_from(const TokenizedConfig& config) {
    Changes changes;
    for (const std::vector<TokenRule>& rules : config.rulesets()) {
        auto grant = std::find_if(rules.begin(), rules.end(), grants_for_local_sender);
        if (grant == rules.end()) continue;
        std::optional<size_t> reading = sender_reading(rules);
        if (!reading || *reading >= static_cast<size_t>(grant - rules.begin())) return {};
        remove(changes, *grant);
        if (std::none_of(rules.begin(), rules.end(), looks_up_sender)) {
            remove(changes, rules[*reading]);
            remove(changes, rules[*reading + 1]);
        }
    }
    return changes;
}

// relay_mail_from: Relay_ok's `From:` lookup of the sender and the `<@>` rules that read its
// answer, and the rules that read the sender unless relay_local_from reads it too.
Changes without_mail_from(const TokenizedConfig& config) {
    Changes changes;
    for (const std::vector<TokenRule>& rules : config.rulesets()) {
        auto lookup = std::find_if(rules.begin(), rules.end(), looks_up_sender);
        if (lookup == rules.end()) continue;
        std::optional<size_t> reading = sender_reading(rules);
        if (!reading || *reading >= static_cast<size_t>(lookup - rules.begin())) return {};
        remove(changes, *lookup);
        for (auto answer = lookup + 1;
             answer != rules.end() && answer->lhs.size() >= 3 && answer->lhs[0] == "<" &&
             answer->lhs[1] == "@" && answer->lhs[2] == ">";
             ++answer)
            remove(changes, *answer);
        if (std::none_of(rules.begin(), rules.end(), grants_for_local_sender)) {
            remove(changes, rules[*reading]);
            remove(changes, rules[*reading + 1]);
        }
    }
    return changes;
}

// loose_relay_check: Rcpt_ok canonifies with CanonAddr and strips the trailing dot itself; m4
// writes one rule calling ParseRecipient instead (which needs that ruleset in the .cf).
Changes without_loose_relay_check(const TokenizedConfig& config) {
    const std::vector<TokenRule>* check = config.ruleset("Rcpt_ok");
    if (check == nullptr || config.ruleset("ParseRecipient") == nullptr) return {};
    const std::vector<TokenRule>& rules = *check;
    for (size_t i = 0; i + 1 < rules.size(); ++i)
        if (same(rules[i].lhs, "$*") && same(rules[i].rhs, "$: $>CanonAddr $1") &&
            same(rules[i + 1].lhs, "$* < @ $* . >") && same(rules[i + 1].rhs, "$1 < @ $2 >"))
            return {
                {rules[i].rule->where, "R$*\t\t\t$: $>ParseRecipient $1\t\tstrip relayable hosts"},
                {rules[i + 1].rule->where, {}}};
    return {};
}

// accept_unresolvable_domains: check_mail marks a sender domain OK instead of looking it up in
// the resolve map: `R<?> $* < @ $+ >  $: <OKR> $1 < @ $2 >` where m4 otherwise writes
// `$: <? $(resolve $2 $: $2 <PERM> $) > ...`; 8.9 (proto.m4 8.2xx) wrote
// `R<?> $* < @ $+ > $*  $: <OK> $1 < @ $2 > $3`.
std::optional<Location> accept_unresolvable_domains(const TokenizedConfig& config) {
    const std::vector<TokenRule>* check = config.ruleset("Basic_check_mail");
    if (check == nullptr) return std::nullopt;
    for (const TokenRule& rule : *check) {
        const bool marks_ok = rule.rhs.size() >= 4 && rule.rhs[0] == "$:" && rule.rhs[1] == "<" &&
                              (rule.rhs[2] == "OKR" || rule.rhs[2] == "OK") && rule.rhs[3] == ">";
        if (marks_ok && (same(rule.lhs, "<?> $* < @ $+ >") || same(rule.lhs, "<?> $* < @ $+ > $*")))
            return rule.rule->where;
    }
    return std::nullopt;
}

// accept_unqualified_senders takes out the rules of check_mail that ask who sent a sender
// without a domain (or at localhost): `R<?> $*  $: < ? $&{client_addr} > $1` before
// `553 Domain name required for sender address`, and the `< ? $&{client_name} >` marks of the
// localhost rules (8.9 asked `$&{client_name}` in both). Recognised, like promiscuous_relay, by
// what is missing: Basic_check_mail canonifies and marks the sender (`$: <?> $>CanonAddr $1`)
// but never asks for the client. At that rule.
std::optional<Location> accept_unqualified_senders(const TokenizedConfig& config) {
    const std::vector<TokenRule>* check = config.ruleset("Basic_check_mail");
    if (check == nullptr) return std::nullopt;
    std::optional<Location> marks;
    for (const TokenRule& rule : *check) {
        if (has_sequence(rule.rhs, {"<", "?", "$&{client_addr}", ">"}) ||
            has_sequence(rule.rhs, {"<", "?", "$&{client_name}", ">"}))
            return std::nullopt;
        if (!marks && same(rule.rhs, "$: <?> $>CanonAddr $1")) marks = rule.rule->where;
    }
    return marks;
}

} // namespace

std::vector<LineChange> changes_without_feature(const Config& config, std::string_view feature) {
    using Remover = Changes (*)(const TokenizedConfig&);
    static constexpr std::pair<std::string_view, Remover> kRemovers[] = {
        {"relay_entire_domain", without_entire_domain},
        {"relay_based_on_MX", without_based_on_mx},
        {"relay_local_from", without_local_from},
        {"relay_mail_from", without_mail_from},
        {"loose_relay_check", without_loose_relay_check},
    };
    for (const auto& [name, remover] : kRemovers)
        if (name == feature) return remover(TokenizedConfig(config));
    return {};
}

std::span<const std::string_view> relay_features_decided_by_rules() {
    return kDecidedByRules;
}

bool relay_feature_decided_by_rules(std::string_view name) {
    return std::find(kDecidedByRules.begin(), kDecidedByRules.end(), name) != kDecidedByRules.end();
}

void detect_relay_features(Config& whole) {
    const TokenizedConfig config(whole);
    const std::pair<std::string_view, std::optional<Location>> found[] = {
        {"promiscuous_relay", promiscuous_relay(config)},
        {"relay_entire_domain", relay_entire_domain(config)},
        {"relay_based_on_MX", relay_based_on_mx(config)},
        {"relay_local_from", relay_local_from(config)},
        {"relay_mail_from", relay_mail_from(config)},
        {"loose_relay_check", loose_relay_check(config)},
        {"accept_unresolvable_domains", accept_unresolvable_domains(config)},
        {"accept_unqualified_senders", accept_unqualified_senders(config)},
    };
    for (const auto& [name, where] : found)
        if (where) whole.features.push_back(Feature{std::string(name), {}, *where});
    // One file: file order is byte order.
    std::stable_sort(
        whole.features.begin(), whole.features.end(),
        [](const Feature& a, const Feature& b) { return a.where.span.begin < b.where.span.begin; });
}

} // namespace smaudit::model
