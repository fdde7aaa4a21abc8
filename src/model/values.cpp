#include "model/values.hpp"

#include "model/option_table.hpp"

namespace smaudit::model {

bool sendmail_bool(std::string_view value) {
    return value.empty() || value[0] == 't' || value[0] == 'T' || value[0] == 'y' ||
           value[0] == 'Y';
}

namespace {

long long unit_seconds(char unit) {
    switch (unit) {
    case 'w':
        return 7LL * 24 * 3600;
    case 'h':
        return 3600;
    case 'm':
        return 60;
    case 's':
        return 1;
    default: // 'd' and, as in convtime(), anything unknown falls through to days
        return 24LL * 3600;
    }
}

bool is_unit(char c) {
    return c == 'w' || c == 'd' || c == 'h' || c == 'm' || c == 's';
}

} // namespace

std::optional<long long> duration_seconds(std::string_view value, char default_unit) {
    if (iequals(value, "now")) return 0;
    bool negative = false;
    if (!value.empty() && value[0] == '-') {
        negative = true;
        value.remove_prefix(1);
    }
    constexpr long long kCap = 1LL << 40; // far beyond any real timeout; keeps the sum bounded
    long long total = 0;
    bool any_digit = false;
    size_t i = 0;
    while (i < value.size()) {
        long long number = 0;
        while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
            any_digit = true;
            if (number < kCap) number = number * 10 + (value[i] - '0');
            ++i;
        }
        char unit = default_unit;
        if (i < value.size()) {
            unit = is_unit(value[i]) ? value[i] : default_unit;
            ++i;
        }
        total += number * unit_seconds(unit);
        if (total > kCap) total = kCap;
    }
    if (!any_digit) return std::nullopt;
    return negative ? -total : total;
}

char timeout_default_unit(std::string_view canonical_name) {
    std::string name = to_lower(canonical_name);
    if (name.rfind("timeout.queuewarn", 0) == 0) return 'h';
    if (name.rfind("timeout.queuereturn", 0) == 0) return 'd';
    if (name.rfind("timeout.resolver.retrans", 0) == 0) return 's';
    return 'm';
}

std::optional<long long> option_seconds(const Config& config, std::string_view name,
                                        char default_unit) {
    const OptionValue* option = config.option(name);
    if (option == nullptr) return std::nullopt;
    std::string lower = to_lower(name);
    char unit = lower.rfind("timeout.", 0) == 0 ? timeout_default_unit(name) : default_unit;
    return duration_seconds(option->value, unit);
}

} // namespace smaudit::model
