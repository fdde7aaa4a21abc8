#include "rules/timeout_support.hpp"

#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// The setting's value bytes are its value (not a place standing for it, such as the DOMAIN call
// of an .mc, nor a value joined from continuation lines).
bool bytes_are_value(const SourceSet& sources, const model::OptionSetting& setting) {
    const Location at = setting.value_where;
    return at.valid() && at.file < sources.size() &&
           sources.get(at.file).slice(at.span) == setting.value;
}

bool same_place(Location a, Location b) {
    return a.valid() && b.valid() && a.file == b.file && a.span.begin == b.span.begin &&
           a.span.end == b.span.end;
}

} // namespace

std::optional<TimeoutValue> read_timeout(const model::Config& config, std::string_view name) {
    std::optional<model::Duration> value = model::option_duration(config, name);
    const model::OptionValue* option = config.option(name);
    if (!value || option == nullptr) return std::nullopt;
    TimeoutValue timeout{option->name, *value, nullptr};
    if (!is_unset(option)) timeout.setting = &option->settings.back();
    return timeout;
}

std::string describe_timeout(const TimeoutValue& timeout) {
    if (timeout.is_default())
        return timeout.name + " is not set (sendmail's default: " + timeout.value.describe() + ")";
    if (timeout.value.clean()) return timeout.name + " is " + timeout.value.describe();
    return timeout.name + " `" + timeout.setting->value + "` reads as " + timeout.value.describe();
}

Location timeout_where(const TimeoutValue& timeout) {
    if (timeout.is_default()) return Location{};
    return timeout.setting->value_where.valid() ? timeout.setting->value_where
                                                : timeout.setting->where;
}

Diagnostic& report_at_timeout(Emitter& out, const RuleContext& context, const TimeoutValue& timeout,
                              std::string message) {
    Diagnostic& d =
        out.report(timeout_where(timeout), std::move(message), timeout_label(context, timeout));
    d.about_default = timeout.is_default();
    return d;
}

bool sets_other_timeouts(const RuleContext& context, const TimeoutValue& timeout) {
    if (timeout.is_default() || !bytes_are_value(context.sources, *timeout.setting)) return false;
    const Location at = timeout.setting->value_where;
    const std::string own_classes = model::to_lower(timeout.name) + ".";
    for (const auto& [name, option] : context.config.options) {
        if (model::iequals(name, timeout.name) || model::to_lower(name).starts_with(own_classes))
            continue;
        for (const model::OptionSetting& other : option.settings)
            if (same_place(other.value_where, at) && other.value == timeout.setting->value)
                return true;
    }
    return false;
}

std::string timeout_label(const RuleContext& context, const TimeoutValue& timeout) {
    if (timeout.is_default()) return {};
    const std::string value = " (" + timeout.value.describe() + ")";
    if (sets_other_timeouts(context, timeout))
        return timeout.name + " is set here, with other timeouts" + value;
    return set_here(context, *timeout.setting, timeout.name) + value;
}

void add_timeout_note(Diagnostic& finding, const RuleContext& context,
                      const TimeoutValue& timeout) {
    if (timeout.is_default()) return;
    const Location at = timeout_where(timeout);
    // A line that set several of the finding's timeouts is shown once.
    if (same_place(at, finding.where)) return;
    for (const Label& note : finding.notes)
        if (same_place(note.where, at)) return;
    finding.notes.push_back(Label{at, timeout_label(context, timeout)});
}

std::vector<Edit> timeout_edits(const RuleContext& context, const TimeoutValue& timeout,
                                std::string_view value) {
    const bool own_line = !timeout.is_default() && !sets_other_timeouts(context, timeout);
    // In a .cf a value joined from continuation lines has no bytes of its own to replace; an
    // .mc's value without bytes of its own (cf tree, DOMAIN file) gets an overriding define from
    // set_value.
    if (own_line && (context.expansion || bytes_are_value(context.sources, *timeout.setting)))
        return set_value(context, *timeout.setting, timeout.name, value);
    if (auto edit = insert_option_line(context, timeout.name, value)) return {*edit};
    return {};
}

} // namespace smaudit::rules
