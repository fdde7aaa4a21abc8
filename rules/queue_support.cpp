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

} // namespace smaudit::rules
