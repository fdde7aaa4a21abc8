// SM-S051 forward-files-enabled: sendmail reads users' .forward files, with which any local user
// can send their mail on, pipe it to programs or write it to files (KB SEC-051, STIG GEN004580).
// An empty ForwardPath turns them off; a missing one is sendmail's default `$z/.forward`.
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

constexpr std::string_view kConsequence =
    "every local user's .forward can send their mail on elsewhere, pipe it to a program or "
    "append it to a file, run as that user; STIG GEN004580 asks for no .forward processing";

void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("ForwardPath");
    if (is_unset(option)) {
        Diagnostic& d = out.report_default(
            "ForwardPath not set: sendmail's default `$z/.forward` applies, so " +
            std::string(kConsequence));
        if (auto edit = insert_option_line(context, "ForwardPath", ""))
            d.fix = Fix{"set ForwardPath empty (no .forward files)", false, {*edit}};
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    if (setting.value.empty()) return;
    std::string message = "ForwardPath is `" + setting.value +
                          "`: sendmail reads .forward files, so " + std::string(kConsequence);
    // An .mc that leaves confFORWARD_PATH alone gets the cf tree's value: a default too.
    Diagnostic& d = setting.value_where.valid()
                        ? out.report(setting.value_where, std::move(message),
                                     set_here(context, setting, "ForwardPath"))
                        : out.report_default(std::move(message));
    // Unsafe: users' forwarding (vacation, procmail, redirects) stops.
    if (auto edits = set_value(context, setting, "ForwardPath", ""); !edits.empty())
        d.fix = Fix{"set ForwardPath empty (no .forward files)", false, std::move(edits)};
}

} // namespace

extern const Rule kSM_S051 = {"SM-S051",
                              "forward-files-enabled",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "sendmail honours users' .forward files",
                              "set ForwardPath empty",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
