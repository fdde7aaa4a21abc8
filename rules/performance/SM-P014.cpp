// SM-P014 no-host-status-directory: without HostStatusDirectory each sendmail process learns on
// its own that a host is down, so every queue runner and every new delivery tries it again and
// waits out its connect timeout (KB PERF-014). A directory set but turned off by
// ConnectionCacheSize=0 is SM-P016's finding, at the setting to change.
#include "rules/queue_support.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static constexpr std::string_view kConsequence =
    ": each sendmail process keeps what it learns about hosts that are down or refuse mail to "
    "itself, for one queue run at most, so every queue runner and every new delivery tries a "
    "dead host again and waits out its connect timeout";

static void check(const RuleContext& context, Emitter& out) {
    if (host_status_directory(context.config) != nullptr) return;
    const model::OptionValue* option = context.config.option("HostStatusDirectory");
    Diagnostic* finding = nullptr;
    if (is_unset(option)) {
        finding = &out.report_default("HostStatusDirectory is not set" + std::string(kConsequence));
    } else {
        const model::OptionSetting& setting = option->settings.back();
        finding = &out.report(setting.where,
                              "HostStatusDirectory has no value, which leaves it unset" +
                                  std::string(kConsequence),
                              set_here(context, setting, "HostStatusDirectory"));
    }
    std::vector<Edit> edits;
    if (is_unset(option)) {
        if (auto edit = insert_option_line(context, "HostStatusDirectory", ".hoststat"))
            edits.push_back(*edit);
    } else {
        edits = set_value(context, option->settings.back(), "HostStatusDirectory", ".hoststat");
    }
    // Unsafe: sendmail ignores a directory that does not exist ("Cannot use
    // HostStatusDirectory"); someone must create it in the queue directory first.
    if (!edits.empty())
        finding->fix = Fix{"set HostStatusDirectory to .hoststat (create the directory in the "
                           "queue directory, owned by the queue's owner)",
                           false, std::move(edits)};
}

extern const Rule kSM_P014 = {"SM-P014",
                              "no-host-status-directory",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "no HostStatusDirectory: sendmail processes do not share which "
                              "hosts are down",
                              "set HostStatusDirectory to .hoststat",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
