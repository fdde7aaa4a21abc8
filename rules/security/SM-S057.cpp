// SM-S057 log-level-too-low: below LogLevel 9 sendmail leaves out log entries an audit trail
// needs; STIG GEN004440 requires at least 9 (KB SEC-057).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static constexpr long long kMinimum = 9;

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("LogLevel");
    if (is_unset(option)) return; // sendmail's default is 9
    const model::OptionSetting& setting = option->settings.back();
    // sendmail reads the level with atoi(): `OL8`, `O LogLevel=8` and `8x` are all 8.
    long long level = leading_integer(setting.value);
    if (level >= kMinimum) return;
    std::string shown = is_plain_integer(setting.value)
                            ? describe_number("LogLevel", setting.value, level, " ") + " is below 9"
                            : describe_number("LogLevel", setting.value, level, " ") + ", below 9";
    Diagnostic& d = out.report(setting.value_where,
                               shown + ": sendmail leaves out log entries that an "
                                       "audit of this server needs",
                               set_here(context, setting, "LogLevel"));
    if (auto edits = set_value(context, setting, "LogLevel", "9"); !edits.empty())
        d.fix = Fix{"set LogLevel to 9", true, std::move(edits)};
}

extern const Rule kSM_S057 = {"SM-S057",
                              "log-level-too-low",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "LogLevel is below 9, too low for an audit trail",
                              "set LogLevel to 9",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
