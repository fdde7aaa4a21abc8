// SM-S013 sender-checks-off: KB SEC-013. check_mail refuses a sender whose domain does not exist
// (`553 Domain of sender address ... does not exist`) and, from a remote client, a sender without
// a domain (`553 Domain name required for sender address`). Four things turn that off:
// FEATURE(`accept_unresolvable_domains') and FEATURE(`accept_unqualified_senders'), recognised in
// a .cf by their rules (model/relay_features.hpp), a daemon's `u` modifier (check_mail reads it
// from ${daemon_flags}), and `C{ResOk}TEMP` (a domain that does not resolve right now passes).
// Checked with a real daemon and an SMTP session from another address
// (tests/scripts/relay_rules_agree_with_sendmail.sh).
#include "model/port_options.hpp"
#include "model/rewrite_tokens.hpp"
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// check_mail's rule that accepts an unqualified sender when the daemon has the `u` modifier:
// `R$* u $* $| <?> $*  $: <OKR> $3`. Without it (accept_unqualified_senders, hand-written rules)
// the modifier changes nothing.
bool reads_u_modifier(const model::Config& config) {
    const model::RulesetDef* check = config.ruleset("Basic_check_mail");
    if (check == nullptr) return false;
    for (const model::RuleDef& rule : check->rules)
        if (model::rewrite_tokens(rule.lhs) == model::rewrite_tokens("$* u $* $| <?> $*") &&
            model::has_sequence(model::rewrite_tokens(rule.rhs), {"<", "OKR", ">"}))
            return true;
    return false;
}

// The bytes of the `u` of a daemon's modifiers, when the file wrote the value as it stands.
std::optional<Location> u_modifier(const RuleContext& context, const model::PortOptions& daemon) {
    const model::OptionValue* option = context.config.option("DaemonPortOptions");
    if (option == nullptr || daemon.is_default) return std::nullopt;
    for (const model::OptionSetting& setting : option->settings) {
        if (setting.where != daemon.where) continue;
        const SourceFile* file = context.sources.find(setting.value_where.file);
        if (file == nullptr || file->slice(setting.value_where.span) != setting.value) break;
        std::optional<Location> found;
        for (const model::PortOptionItem& item : model::port_option_items(setting.value)) {
            if (setting.value[item.key] != 'M' && setting.value[item.key] != 'm') continue;
            size_t u = setting.value.find('u', item.value_begin);
            found.reset(); // a later M= replaces the modifiers
            if (u < item.value_end) {
                uint32_t at = setting.value_where.span.begin + static_cast<uint32_t>(u);
                found = Location{setting.value_where.file, {at, at + 1}};
            }
        }
        return found;
    }
    return std::nullopt;
}

constexpr std::string_view kRegenerate =
    "a .cf cannot be fixed in place: regenerate it from its .mc without the FEATURE (the sender "
    "checks it took out are rules and a map of proto.m4)";

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    check_relay_feature(context, out,
                        {"accept_unresolvable_domains",
                         "check_mail accepts a sender whose domain does not exist, so mail with "
                         "made-up sender domains gets in and its bounces go nowhere",
                         "the sender domain is marked OK instead of looked up: m4 writes this "
                         "rule for the FEATURE",
                         nullptr, kRegenerate});
    const bool unqualified = context.config.feature("accept_unqualified_senders") != nullptr;
    check_relay_feature(context, out,
                        {"accept_unqualified_senders",
                         "any client may give a sender without a domain (MAIL FROM:<user>), "
                         "which sendmail completes with this host's name: forged mail looks "
                         "local, and its bounces go to the local user of that name",
                         "check_mail never asks who sent an unqualified sender: m4 leaves those "
                         "rules out for the FEATURE",
                         nullptr, kRegenerate});

    if (!unqualified && reads_u_modifier(context.config)) {
        for (const model::PortOptions& daemon : context.config.daemons) {
            if (daemon.get("Modifiers").value_or("").find('u') == std::string::npos ||
                !model::reachable_off_host(daemon))
                continue;
            std::optional<Location> u = u_modifier(context, daemon);
            Diagnostic& d = out.report(
                u.value_or(daemon.where),
                "the `u` modifier lets " + model::describe_daemon(daemon) +
                    " take senders without a domain (MAIL FROM:<user>) from any client, which "
                    "sendmail completes with this host's name: forged mail looks local, and its "
                    "bounces go to the local user of that name",
                "unqualified senders accepted here");
            if (u)
                d.fix = Fix{"drop the `u` modifier (clients must then give a domain)",
                            false,
                            {Edit{*u, ""}}};
        }
    }

    if (auto res_ok = context.config.classes.find("ResOk");
        res_ok != context.config.classes.end()) {
        const model::ClassDef& cls = res_ok->second;
        for (size_t i = 0; i < cls.words.size(); ++i) {
            if (cls.words[i] != "TEMP") continue;
            Diagnostic& d = out.report(
                class_word_location(cls, i),
                "class ResOk holds TEMP: check_mail accepts a sender whose domain does not "
                "resolve right now instead of asking the client to try again later (451)",
                "TEMP counts as resolved");
            d.severity = Severity::Low;
            if (std::optional<Edit> edit = remove_class_word(context, cls, i))
                d.fix = Fix{"take TEMP out of class ResOk (the client is asked to retry)",
                            false,
                            {std::move(*edit)}};
        }
    }
}

extern const Rule kSM_S013 = {
    "SM-S013",
    "sender-checks-off",
    Pack::Security,
    Severity::Medium,
    5,
    "check_mail accepts senders with unresolvable domains or without a domain",
    "remove FEATURE(`accept_unresolvable_domains') / FEATURE(`accept_unqualified_senders'), "
    "the `u` modifier, C{ResOk}TEMP",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
