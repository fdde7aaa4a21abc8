#include "model/duration.hpp"

#include "model/option_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace smaudit::model {

namespace {

constexpr long long kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour, kWeek = 7 * kDay;
constexpr long long kCap = 1LL << 40; // far beyond any real timeout; keeps every sum bounded

long long unit_seconds(char unit) {
    switch (unit) {
    case 'w':
        return kWeek;
    case 'd':
        return kDay;
    case 'h':
        return kHour;
    case 'm':
        return kMinute;
    case 's':
        return 1;
    default: // convtime()'s switch: anything else counts as days
        return kDay;
    }
}

bool is_unit(char c) {
    return c == 'w' || c == 'd' || c == 'h' || c == 'm' || c == 's';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

} // namespace

Duration read_duration(std::string_view text, char default_unit) {
    Duration d;
    if (iequals(text, "now")) {
        d.now = true;
        d.seconds = -1; // NOW in sendmail.h
        return d;
    }
    bool negative = false;
    if (!text.empty() && text[0] == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    long long total = 0;
    size_t i = 0;
    while (i < text.size()) {
        long long number = 0;
        while (i < text.size() && is_digit(text[i])) {
            d.has_digits = true;
            number = std::min(kCap, number * 10 + (text[i] - '0'));
            ++i;
        }
        char unit = default_unit;
        if (i < text.size()) {
            // The character after the digits is the unit, whatever it is: sendmail consumes it.
            if (is_unit(text[i]))
                unit = text[i];
            else
                d.invalid_units += text[i];
            ++i;
        }
        total = std::min(kCap, total + std::min(kCap, number * unit_seconds(unit)));
    }
    d.seconds = negative ? -total : total;
    return d;
}

std::string Duration::describe() const {
    return now ? "now" : describe_seconds(seconds);
}

std::string describe_seconds(long long seconds) {
    if (seconds == 0) return "0 seconds";
    std::string out = seconds < 0 ? "-" : "";
    long long rest = seconds < 0 ? -seconds : seconds;
    static constexpr std::array<std::pair<long long, std::string_view>, 5> kUnits{
        {{kWeek, "week"}, {kDay, "day"}, {kHour, "hour"}, {kMinute, "minute"}, {1, "second"}}};
    bool first = true;
    for (const auto& [size, name] : kUnits) {
        long long count = rest / size;
        rest %= size;
        if (count == 0) continue;
        if (!first) out += ' ';
        first = false;
        out += std::to_string(count) + ' ' + std::string(name) + (count == 1 ? "" : "s");
    }
    return out;
}

std::optional<char> duration_unit(std::string_view name) {
    if (starts_with_ignore_case(name, "Timeout.")) {
        std::string_view sub = name.substr(8);
        if (starts_with_ignore_case(sub, "queuewarn")) return 'h';
        if (starts_with_ignore_case(sub, "queuereturn")) return 'd';
        if (starts_with_ignore_case(sub, "resolver.retrans")) return 's';
        if (starts_with_ignore_case(sub, "resolver.retry")) return std::nullopt; // atoi()
        return 'm';
    }
    static constexpr std::pair<std::string_view, char> kOptions[] = {
        {"ConnectionCacheTimeout", 'm'},
        {"MinQueueAge", 'm'},
        {"MaxQueueAge", 'm'},
        {"DialDelay", 's'},
        {"DeliverByMin", 's'},
        {"RejectLogInterval", 'h'},
        {"ConnectionRateWindowSize", 's'}};
    for (const auto& [option, unit] : kOptions)
        if (iequals(option, name)) return unit;
    return std::nullopt;
}

std::optional<Duration> option_duration(const Config& config, std::string_view name) {
    std::optional<char> unit = duration_unit(name);
    const OptionValue* option = config.option(name);
    if (!unit || option == nullptr) return std::nullopt;
    return read_duration(option->value, *unit);
}

} // namespace smaudit::model
