// SM-S002 deferred-delivery-mode: KB SEC-002. proto.m4 writes at the top of Basic_check_rcpt
// (and Basic_check_mail, Basic_check_relay)
//     R$*        $: < $&{deliveryMode} > $1
//     R< d > $*  $@ deferred
// so in deferred delivery mode every recipient is accepted before the relay checks run. Which
// SMTP sessions run deferred: set_delivery_mode() defines ${deliveryMode} from the DeliveryMode
// option, and daemon.c overrides it per daemon with the `D=` key of DaemonPortOptions. Checked
// with a real daemon (`sendmail -bD`, an SMTP session from another address): `250 Recipient ok
// (will queue)` for a remote recipient with DeliveryMode=d or `D=d`, `550 Relaying denied`
// without (tests/scripts/relay_rules_agree_with_sendmail.sh). `sendmail -bt` itself runs
// interactive (Verbose), so there the macro has to be set by hand (.D{deliveryMode}d).
#include "model/port_options.hpp"
#include "model/rewrite_tokens.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// The rule of Basic_check_rcpt (check_rcpt in a hand-written .cf) that returns at once when
// ${deliveryMode} is d, after one that puts the macro in front of the address. Null when none.
const model::RuleDef* deferred_bypass(const model::Config& config) {
    for (std::string_view name : {"Basic_check_rcpt", "check_rcpt"}) {
        const model::RulesetDef* ruleset = config.ruleset(name);
        if (ruleset == nullptr) continue;
        bool reads_mode = false;
        for (const model::RuleDef& rule : ruleset->rules) {
            std::vector<std::string> lhs = model::rewrite_tokens(rule.lhs);
            std::vector<std::string> rhs = model::rewrite_tokens(rule.rhs);
            if (model::has_sequence(rhs, {"<", "$&{deliveryMode}", ">"})) reads_mode = true;
            if (reads_mode && lhs.size() >= 3 && lhs[0] == "<" && lhs[1] == "d" && lhs[2] == ">" &&
                !rhs.empty() && rhs[0] == "$@")
                return &rule;
        }
    }
    return nullptr;
}

// The DaemonPortOptions line of a daemon, when a line of the configuration wrote it.
const model::OptionSetting* daemon_setting(const model::Config& config,
                                           const model::PortOptions& daemon) {
    const model::OptionValue* option = config.option("DaemonPortOptions");
    if (option == nullptr || daemon.is_default) return nullptr;
    for (const model::OptionSetting& setting : option->settings)
        if (setting.where == daemon.where) return &setting;
    return nullptr;
}

// The bytes of the value of a daemon's last `D=` key, when the file wrote the value as it
// stands (no continuation lines, not from an OSTYPE/DOMAIN file).
std::optional<Location> delivery_mode_key(const RuleContext& context,
                                          const model::OptionSetting& setting) {
    const Location at = setting.value_where;
    const SourceFile* file = context.sources.find(at.file);
    if (file == nullptr || !at.valid() || file->slice(at.span) != setting.value)
        return std::nullopt;
    std::optional<Location> found;
    for (const model::PortOptionItem& item : model::port_option_items(setting.value))
        if (setting.value[item.key] == 'D' && item.value_end > item.value_begin)
            found = Location{at.file,
                             {at.span.begin + static_cast<uint32_t>(item.value_begin),
                              at.span.begin + static_cast<uint32_t>(item.value_end)}};
    return found;
}

// A daemon through which anyone can relay in deferred mode: it takes connections from other
// hosts and does not require AUTH for every transaction (M=a).
bool open_to_strangers(const model::PortOptions& daemon) {
    return model::reachable_off_host(daemon) &&
           daemon.get("Modifiers").value_or("").find('a') == std::string::npos;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

constexpr std::string_view kAlsoSkipped =
    "; check_mail and check_relay skip their checks too (sender domain, access map, DNS "
    "blocklists)";

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    if (deferred_bypass(config) == nullptr) return;
    const model::OptionValue* option = config.option("DeliveryMode");
    const bool global_deferred =
        option != nullptr && !option->is_default && option->value.starts_with('d');

    // The daemons in deferred mode, by what sets it: the option (no D= of their own) or D=.
    std::vector<const model::PortOptions*> inheriting, own;
    bool other_daemon_open = false;
    for (const model::PortOptions& daemon : config.daemons) {
        // daemon.c takes D=q, d, i or b; another letter is an error and leaves the option's.
        const std::string mode = daemon.get("DeliveryMode").value_or("");
        const bool own_mode =
            !mode.empty() && std::string_view("qdib").find(mode[0]) != std::string_view::npos;
        const bool deferred = own_mode ? mode[0] == 'd' : global_deferred;
        if (deferred)
            (own_mode ? own : inheriting).push_back(&daemon);
        else if (open_to_strangers(daemon))
            other_daemon_open = true;
    }
    auto describe = [](const std::vector<const model::PortOptions*>& daemons) {
        std::vector<std::string> names;
        for (const model::PortOptions* daemon : daemons)
            names.push_back(model::describe_daemon(*daemon));
        return join(names);
    };
    // What deferred mode does to these daemons. Daemons that only local processes reach, or
    // that require AUTH, relay for those clients anyway: the finding is then latent (medium),
    // unless no daemon is open at all (a client-only host: the role matrix lowers it).
    auto consequence = [&](const std::vector<const model::PortOptions*>& daemons,
                           Diagnostic*& finding, Location where, const std::string& cause,
                           std::string label) {
        const bool open =
            std::any_of(daemons.begin(), daemons.end(),
                        [](const model::PortOptions* d) { return open_to_strangers(*d); });
        const bool one = daemons.size() == 1;
        std::string message = cause + ": Basic_check_rcpt then returns before its relay checks, ";
        if (open)
            message += std::string(one ? "so it accepts" : "so they accept") +
                       " mail for any recipient from any client and " + (one ? "queues" : "queue") +
                       " it for delivery: an open relay";
        else
            message += std::string(one ? "but it takes" : "but they take") +
                       " no mail from strangers (only this host's clients, or AUTH for every "
                       "transaction): relaying opens the day that changes";
        message += kAlsoSkipped;
        Diagnostic& d = out.report(where, std::move(message), std::move(label));
        if (!open && other_daemon_open) d.severity = Severity::Medium;
        finding = &d;
    };

    if (!inheriting.empty()) {
        const model::OptionSetting& setting = option->settings.back();
        Diagnostic* d = nullptr;
        const std::string written = option->value == "deferred"
                                        ? "DeliveryMode=deferred"
                                        : "DeliveryMode=" + option->value + " (deferred)";
        consequence(inheriting, d, setting.value_where,
                    written + " applies to " + describe(inheriting) +
                        (inheriting.size() == 1 ? ", which sets" : ", which set") + " no D= of " +
                        (inheriting.size() == 1 ? "its" : "their") + " own",
                    set_here(context, setting, "DeliveryMode"));
        if (auto edits = set_value(context, setting, "DeliveryMode", "queue"); !edits.empty())
            d->fix = Fix{"set DeliveryMode to queue (mail is still only queued, and the checks "
                         "run)",
                         false, std::move(edits)};
    }
    for (const model::PortOptions* daemon : own) {
        const model::OptionSetting* setting = daemon_setting(config, *daemon);
        std::optional<Location> key =
            setting ? delivery_mode_key(context, *setting) : std::optional<Location>();
        Diagnostic* d = nullptr;
        consequence({daemon}, d, key.value_or(daemon->where),
                    "D=" + daemon->get("DeliveryMode").value_or("") +
                        " in its DaemonPortOptions runs " + model::describe_daemon(*daemon) +
                        " in deferred delivery mode (daemon.c sets ${deliveryMode} for its "
                        "sessions)",
                    "deferred delivery mode for this daemon");
        if (key)
            d->fix = Fix{"write D=q: this daemon's mail is still only queued, and the checks run",
                         false,
                         {Edit{*key, "q"}}};
    }
}

extern const Rule kSM_S002 = {"SM-S002",
                              "deferred-delivery-mode",
                              Pack::Security,
                              Severity::Critical,
                              25,
                              "DeliveryMode=deferred (or a daemon's D=d) skips check_rcpt's "
                              "relay checks: an open relay",
                              "set DeliveryMode (or the daemon's D=) to queue",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
