// SM-P034 hop-count-too-low: MaxHopCount below sendmail's default of 25. sendmail counts a
// message's trace headers (Received:, Via:, Mail-From:, X400-Received:) and bounces it at
// delivery when there are more than MaxHopCount, so a low limit bounces legitimate mail that
// has passed through more relays than that (KB PERF-034; RFC 5321 6.3 asks for a loop threshold
// of at least 100, which is why a high value is not a finding).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static constexpr long long kDefault = 25; // conf.c setdefaults(), op.me MaxHopCount

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("MaxHopCount");
    if (is_unset(option)) return; // sendmail's default, 25
    const model::OptionSetting& setting = option->settings.back();
    const long long limit = leading_integer(setting.value); // readcf.c: atoi()
    if (limit >= kDefault) return;
    const std::string times =
        limit <= 0 ? "even once"
                   : "more than " + std::to_string(limit) + (limit == 1 ? " time" : " times");
    Diagnostic& d = out.report(
        setting.value_where,
        describe_number("MaxHopCount", setting.value, limit, " is ") +
            ", below sendmail's default of 25: a message processed " + times +
            " on its way (sendmail counts its Received:, Via:, Mail-From: and X400-Received: "
            "headers) is taken for a mail loop and bounced with \"554 5.4.6 Too many hops\", so "
            "legitimate mail that has passed through more relays than that is returned to its "
            "sender; RFC 5321 6.3 asks for a loop threshold of at least 100",
        set_here(context, setting, "MaxHopCount"));
    // Safe: 25 is what sendmail uses when no line sets it.
    if (auto edits = set_value(context, setting, "MaxHopCount", "25"); !edits.empty())
        d.fix = Fix{"set MaxHopCount to 25 (sendmail's default)", true, std::move(edits)};
}

extern const Rule kSM_P034 = {"SM-P034",
                              "hop-count-too-low",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "MaxHopCount is below sendmail's default of 25: mail that has "
                              "passed through more relays is bounced as a loop",
                              "set MaxHopCount to 25 (sendmail's default) or more",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
