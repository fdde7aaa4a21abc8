// SM-P022 fast-split-disabled: FastSplit 0 (or less) makes sendmail look up the MX records of
// every recipient's domain before the first delivery attempt, to sort the envelope; op.me says
// that is slower unless a local DNS cache answers (KB PERF-022).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("FastSplit");
    if (is_unset(option)) return; // sendmail's default, 1
    const model::OptionSetting& setting = option->settings.back();
    const long long value = leading_integer(setting.value); // readcf.c: atoi()
    if (value > 0) return;
    Diagnostic& d = out.report(
        setting.value_where,
        describe_number("FastSplit", setting.value, value, " is ") +
            ": before the first delivery attempt sendmail looks up the MX records of every "
            "recipient's domain to sort the envelope, which delays the first delivery of mail to "
            "many domains unless a local DNS cache answers",
        set_here(context, setting, "FastSplit"));
    if (auto edits = set_value(context, setting, "FastSplit", "1"); !edits.empty())
        d.fix = Fix{"set FastSplit to 1", true, std::move(edits)};
}

extern const Rule kSM_P022 = {"SM-P022",
                              "fast-split-disabled",
                              Pack::Performance,
                              Severity::Info,
                              1,
                              "FastSplit is 0: MX lookups for every recipient before the first "
                              "delivery attempt",
                              "set FastSplit to 1",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
