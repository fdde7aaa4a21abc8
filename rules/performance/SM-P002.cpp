// SM-P002 unbounded-process-creation: background delivery with neither MaxDaemonChildren nor
// ConnectionRateThrottle (KB PERF-002). Every connection forks a daemon child and every message
// it accepts forks a delivery process; nothing caps or slows either but the load average. Reported
// once, at MaxDaemonChildren, the setting to change; SM-P003 and SM-P004 then stay quiet
// (process_limits.hpp).
#include "rules/performance/process_limits.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

// "until the load average reaches RefuseLA's 48, sendmail's default for 4 CPUs (...)": the
// only brake left.
static std::string refuse_la(const RuleContext& context) {
    const model::OptionValue* refuse = context.config.option("RefuseLA");
    if (!is_unset(refuse)) {
        const long long value = leading_integer(refuse->settings.back().value);
        if (value <= 0) return "at any load: RefuseLA is " + std::to_string(value) + ", off";
        return "until the load average reaches RefuseLA's " + std::to_string(value);
    }
    const analyze::HostFigure& cpus = host_figures(context).cpus;
    return "until the load average reaches RefuseLA's " + std::to_string(12 * cpus.value) +
           ", sendmail's default for " + analyze::describe_cpus(cpus);
}

// The edits that set `option` to `value`: its line's value, or a new line.
static std::vector<Edit> set_option(const RuleContext& context, std::string_view option,
                                    std::string_view value) {
    const model::OptionValue* current = context.config.option(option);
    if (!is_unset(current)) return set_value(context, current->settings.back(), option, value);
    if (auto edit = insert_option_line(context, option, value)) return {*edit};
    return {};
}

static void check(const RuleContext& context, Emitter& out) {
    const ProcessLimits limits = read_process_limits(context.config);
    if (!limits.unbounded()) return;
    const analyze::HostFigures& host = host_figures(context);
    const model::OptionValue* children = context.config.option("MaxDaemonChildren");
    const std::string consequences =
        "and ConnectionRateThrottle is off: in background delivery mode every connection forks a "
        "daemon child and every message it accepts one more delivery process, and nothing caps "
        "or slows either " +
        refuse_la(context) + "; " + children_for_memory(host);
    Diagnostic* d = nullptr;
    if (is_unset(children)) {
        d = &out.report_default("MaxDaemonChildren not set (sendmail's default 0: no limit) " +
                                consequences);
    } else {
        const model::OptionSetting& setting = children->settings.back();
        const long long value = leading_integer(setting.value);
        d = &out.report(setting.value_where,
                        describe_number("MaxDaemonChildren", setting.value, value, " is ") +
                            " (no limit) " + consequences,
                        set_here(context, setting, "MaxDaemonChildren"));
    }
    for (std::string_view option : {"ConnectionRateThrottle", "DeliveryMode"}) {
        const model::OptionValue* other = context.config.option(option);
        if (!is_unset(other) && other->value_where().valid())
            d->notes.push_back(Label{other->value_where(), std::string(option) + " is set here"});
    }
    // A number that stray quotes keep atoi() from reading ('50') is what the line meant.
    const std::string recommended =
        (is_unset(children) ? std::nullopt
                            : limit_behind_stray_characters(children->settings.back().value))
            .value_or(std::to_string(recommended_daemon_children(host)));
    std::vector<Edit> edits = set_option(context, "MaxDaemonChildren", recommended);
    std::vector<Edit> rate = set_option(context, "ConnectionRateThrottle", "10");
    if (edits.empty() || rate.empty()) return;
    // Two new lines at one place are one edit, so that they stay in this order.
    if (edits.size() == 1 && rate.size() == 1 && edits[0].where == rate[0].where &&
        edits[0].where.span.empty())
        edits[0].replacement += rate[0].replacement;
    else
        edits.insert(edits.end(), rate.begin(), rate.end());
    d->fix = Fix{"set MaxDaemonChildren to " + recommended + " and ConnectionRateThrottle to 10",
                 false, std::move(edits)};
}

extern const Rule kSM_P002 = {
    "SM-P002",
    "unbounded-process-creation",
    Pack::Performance,
    Severity::Medium,
    10,
    "Background delivery with neither MaxDaemonChildren nor ConnectionRateThrottle: nothing caps "
    "the processes sendmail forks",
    "set MaxDaemonChildren (sized to memory) and ConnectionRateThrottle",
    FixKind::Unsafe,
    &check};

} // namespace smaudit::rules
