#include "rules/queue_support.hpp"

#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

const model::OptionSetting* host_status_directory(const model::Config& config) {
    const model::OptionValue* option = config.option("HostStatusDirectory");
    if (is_unset(option)) return nullptr;
    const model::OptionSetting& setting = option->settings.back();
    return setting.value.empty() ? nullptr : &setting; // readcf.c: an empty value sets nothing
}

long long connection_cache_size(const model::Config& config) {
    const model::OptionValue* option = config.option("ConnectionCacheSize");
    if (is_unset(option)) return 1; // conf.c setdefaults()
    long long size = leading_integer(option->settings.back().value);
    return size < 0 ? 0 : size;
}

bool host_status_directory_in_effect(const model::Config& config) {
    return host_status_directory(config) != nullptr && connection_cache_size(config) > 0;
}

bool option_is_true(const model::Config& config, std::string_view name) {
    const model::OptionValue* option = config.option(name);
    return option != nullptr && model::sendmail_bool(option->value);
}

SuperSafeMode super_safe_mode(std::string_view value) {
    const char first = value.empty() ? '\0' : value.front();
    if (first == 'i' || first == 'I') return SuperSafeMode::Interactive;
    if (first == 'p' || first == 'P') return SuperSafeMode::PostMilter;
    return model::sendmail_bool(value) ? SuperSafeMode::True : SuperSafeMode::False;
}

SuperSafeMode super_safe_mode(const model::Config& config) {
    const model::OptionValue* option = config.option("SuperSafe");
    return is_unset(option) ? SuperSafeMode::True : super_safe_mode(option->settings.back().value);
}

Diagnostic* report_option_on(const RuleContext& context, Emitter& out, std::string_view option,
                             std::string message) {
    const model::OptionValue* value = context.config.option(option);
    if (is_unset(value) || !model::sendmail_bool(value->value)) return nullptr;
    const model::OptionSetting& setting = value->settings.back();
    Diagnostic& d =
        out.report(setting.where, std::move(message), set_here(context, setting, option));
    if (auto edits = set_value(context, setting, option, "False"); !edits.empty())
        d.fix = Fix{"set " + std::string(option) + " to False", true, std::move(edits)};
    return &d;
}

} // namespace smaudit::rules
