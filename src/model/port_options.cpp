#include "model/port_options.hpp"

#include "model/model_diagnostics.hpp"
#include "model/option_table.hpp"

namespace smaudit::model {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

} // namespace

std::string_view port_option_key_name(char first) {
    // daemon.c: upper and lower case are the same key except for R/r, D/d, c and q, where the
    // case picks a different setting (and the lower-case-only keys have no upper-case form).
    switch (first) {
    case 'A':
    case 'a':
        return "Addr";
    case 'F':
    case 'f':
        return "Family";
    case 'P':
    case 'p':
        return "Port";
    case 'N':
    case 'n':
        return "Name";
    case 'M':
    case 'm':
        return "Modifiers";
    case 'L':
    case 'l':
        return "Listen";
    case 'I':
    case 'i':
        return "InputMailFilters";
    case 'S':
    case 's':
        return "SndBufSize";
    case 'R':
        return "RcvBufSize";
    case 'c':
        return "children";
    case 'D':
        return "DeliveryMode";
    case 'd':
        return "delayLA";
    case 'q':
        return "queueLA";
    case 'r':
        return "refuseLA";
    default:
        return {};
    }
}

std::vector<PortOptionItem> port_option_items(std::string_view value) {
    std::vector<PortOptionItem> items;
    size_t pos = 0;
    while (pos <= value.size()) {
        size_t comma = value.find(',', pos);
        size_t end = comma == std::string_view::npos ? value.size() : comma;
        size_t start = pos;
        while (start < end && is_space(value[start]))
            ++start;
        size_t eq = value.substr(start, end - start).find('=');
        if (eq != std::string_view::npos) {
            eq += start;
            size_t value_begin = eq + 1, value_end = end;
            while (value_begin < value_end && is_space(value[value_begin]))
                ++value_begin;
            while (value_end > value_begin && is_space(value[value_end - 1]))
                --value_end;
            items.push_back({start, eq, value_begin, value_end});
        }
        if (comma == std::string_view::npos) break;
        pos = end + 1;
    }
    return items;
}

PortOptions parse_port_options(std::string_view value, Location value_where, Location line,
                               bool value_is_verbatim, std::vector<Diagnostic>& diagnostics) {
    PortOptions result;
    result.where = line;
    for (const PortOptionItem& item : port_option_items(value)) {
        std::string_view key = value.substr(item.key, item.key_end - item.key);
        std::string_view name = port_option_key_name(value[item.key]);
        if (name.empty()) {
            Location where = value_where;
            if (value_is_verbatim) {
                where.span.begin = value_where.span.begin + static_cast<uint32_t>(item.key);
                where.span.end = where.span.begin + static_cast<uint32_t>(trim(key).size());
                if (where.span.end == where.span.begin) where.span.end = where.span.begin + 1;
            }
            diagnostics.push_back(
                make_syntax_diagnostic(kUnknownPortOptionKey, where,
                                       "unknown port option key \"" + std::string(trim(key)) +
                                           "\": only the first character of a key counts, and '" +
                                           std::string(1, value[item.key]) + "' names no setting",
                                       "unknown key"));
            continue;
        }
        result.pairs.emplace_back(
            std::string(name),
            std::string(value.substr(item.value_begin, item.value_end - item.value_begin)));
    }
    return result;
}

std::optional<std::string> PortOptions::get(std::string_view key) const {
    // Later pairs override earlier ones, as sendmail assigns them in order.
    std::optional<std::string> found;
    for (const auto& [name, value] : pairs)
        if (iequals(name, key)) found = value;
    return found;
}

} // namespace smaudit::model
