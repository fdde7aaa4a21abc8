// SM-P015 single-thread-delivery: SingleThreadDelivery without a host status directory in effect
// is ignored (sendmail warns and turns it off); with one, it lets only one process at a time
// talk to each host, so one large message holds up all other mail to that host (KB PERF-015).
#include "rules/queue_support.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("SingleThreadDelivery");
    if (is_unset(option) || !option_is_true(context.config, "SingleThreadDelivery")) return;
    const model::OptionSetting& setting = option->settings.back();
    const std::string label = set_here(context, setting, "SingleThreadDelivery");
    if (!host_status_directory_in_effect(context.config)) {
        std::string why = host_status_directory(context.config) == nullptr
                              ? "no HostStatusDirectory is set"
                              : "ConnectionCacheSize 0 turns the HostStatusDirectory off";
        Diagnostic& d = out.report(
            setting.where,
            "SingleThreadDelivery is set but " + why +
                ", so sendmail ignores it (\"HostStatusDirectory required for "
                "SingleThreadDelivery\"): deliveries are not serialised as the setting suggests",
            label);
        if (auto edits = set_value(context, setting, "SingleThreadDelivery", "False");
            !edits.empty())
            d.fix = Fix{"set SingleThreadDelivery to False (what sendmail does now)", true,
                        std::move(edits)};
        return;
    }
    // In effect: a deliberate choice for a receiving host that takes one connection only.
    Diagnostic& d = out.report(
        setting.where,
        "SingleThreadDelivery is set: only one sendmail process at a time may talk to each "
        "host, so one large message to a host holds up all other mail to it, and every "
        "connection needs one more file descriptor for its lock file",
        label);
    d.severity = Severity::Info;
}

extern const Rule kSM_P015 = {"SM-P015",
                              "single-thread-delivery",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "SingleThreadDelivery is set: ignored without a host status "
                              "directory, else one connection per host at a time",
                              "set SingleThreadDelivery to False",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
