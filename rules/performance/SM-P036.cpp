// SM-P036 dial-up-leftovers: settings for hosts on demand-dialled links left on a permanently
// connected one (KB PERF-036). HoldExpensive=True queues mail for every mailer with the `e`
// flag until the next queue run; DialDelay above 0 makes each first failed connect of a mailer
// with the `Z` flag sleep that long and try again. Neither matters without such a mailer.
#include "model/duration.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// The mailers whose F= holds `flag`, as "smtp, relay".
std::string mailers_with(const model::Config& config, char flag) {
    std::string names;
    for (const auto& [name, mailer] : config.mailers) {
        auto flags = mailer.fields.find('F');
        if (flags == mailer.fields.end() || flags->second.find(flag) == std::string::npos) continue;
        names += (names.empty() ? "" : ", ") + name;
    }
    return names;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    if (std::string expensive = mailers_with(context.config, 'e'); !expensive.empty())
        check_true_option(context, out, "HoldExpensive",
                          "mail for the expensive mailers (F=e: " + expensive +
                              ") is not sent at once but queued until the next queue run, a "
                              "dial-up setting that only delays mail on a connected host");
    std::optional<model::Duration> delay = model::option_duration(context.config, "DialDelay");
    const model::OptionValue* dial = context.config.option("DialDelay");
    if (delay && delay->seconds > 0 && !is_unset(dial)) {
        std::string dialled = mailers_with(context.config, 'Z');
        if (dialled.empty()) return;
        const model::OptionSetting& setting = dial->settings.back();
        Diagnostic& d = out.report(
            setting.value_where.valid() ? setting.value_where : setting.where,
            "DialDelay is " + model::describe_seconds(delay->seconds) +
                ": when the first connection of a mailer with F=Z (" + dialled +
                ") fails, sendmail sleeps that long and tries again, so every delivery to a "
                "host that is down waits " +
                model::describe_seconds(delay->seconds) +
                " longer, a dial-up setting with no use on a connected host",
            set_here(context, setting, "DialDelay"));
        if (auto edits = set_value(context, setting, "DialDelay", "0s"); !edits.empty())
            d.fix = Fix{"set DialDelay to 0s", false, std::move(edits)};
    }
}

extern const Rule kSM_P036 = {"SM-P036",
                              "dial-up-leftovers",
                              Pack::Performance,
                              Severity::Info,
                              1,
                              "HoldExpensive or DialDelay, dial-up settings, delay mail of the "
                              "mailers they apply to",
                              "set HoldExpensive to False and DialDelay to 0s",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
