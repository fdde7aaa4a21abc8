#include "rules/tls_support.hpp"

#include <cctype>

namespace smaudit::rules {

namespace {

bool is_flag_separator(char c) {
    return c == ' ' || c == '\t' || c == ',';
}

} // namespace

std::string read_flag_letters(std::string_view value) {
    std::string letters;
    size_t at = 0;
    while (at < value.size()) {
        if (!is_flag_separator(value[at]) && letters.find(value[at]) == std::string::npos)
            letters += value[at];
        // `++val; val = strpbrk(val, ", \t"); if (val != NULL) ++val;`
        size_t next = at + 1;
        while (next < value.size() && !is_flag_separator(value[next]))
            ++next;
        if (next >= value.size()) break;
        at = next + 1;
    }
    return letters;
}

std::string meant_flag_letters(std::string_view value, std::string_view known) {
    std::string letters;
    auto add = [&](char c) {
        if (letters.find(c) == std::string::npos) letters += c;
    };
    size_t at = 0;
    while (at < value.size()) {
        while (at < value.size() && is_flag_separator(value[at]))
            ++at;
        size_t end = at;
        while (end < value.size() && !is_flag_separator(value[end]))
            ++end;
        std::string_view word = value.substr(at, end - at);
        if (!word.empty()) {
            bool all_known = word.find_first_not_of(known) == std::string_view::npos;
            if (all_known)
                for (char c : word)
                    add(c);
            else
                add(word.front());
        }
        at = end;
    }
    return letters;
}

std::string option_letters(const model::Config& config, std::string_view option) {
    std::string letters;
    const model::OptionValue* value = config.option(option);
    if (is_unset(value)) return letters;
    for (const model::OptionSetting& setting : value->settings)
        for (char c : read_flag_letters(setting.value))
            if (letters.find(c) == std::string::npos) letters += c;
    return letters;
}

AccessFeatures access_features(const RuleContext& context, ast::AccessTag tag,
                               std::string_view ruleset, std::string_view tag_text) {
    AccessFeatures features;
    if (context.maps == nullptr || !context.config_present) return features;
    const model::RulesetDef* rules = context.config.ruleset(ruleset);
    if (rules == nullptr) return features;
    const std::string wanted = model::to_lower(tag_text);
    bool reads_access = false;
    for (const model::RuleDef& rule : rules->rules)
        reads_access = reads_access || model::to_lower(rule.rhs).find(wanted) != std::string::npos;
    if (!reads_access) return features;
    for (const ast::AccessFile& access : context.maps->access)
        for (const ast::MapEntry& entry : access.entries) {
            if (entry.tag != tag || entry.duplicate()) continue;
            AccessEntry found{&access, &entry};
            if (access.bare_key(entry).empty())
                features.fallback = found;
            else
                features.per_host.push_back(found);
        }
    return features;
}

bool feature_after(bool before, std::string_view value, std::string_view letters) {
    bool on = before;
    size_t at = 0;
    while (at < value.size()) {
        while (at < value.size() && std::isspace(static_cast<unsigned char>(value[at])))
            ++at;
        if (at >= value.size()) break;
        const char first = value[at];
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(first)));
        if (letters.find(lower) != std::string_view::npos) on = first == lower;
        while (at < value.size() && !std::isspace(static_cast<unsigned char>(value[at])))
            ++at;
    }
    return on;
}

ServerTls server_tls(const model::Config& config) {
    ServerTls result;
    for (std::string_view name : {"ServerCertFile", "ServerKeyFile", "CACertPath", "CACertFile"}) {
        const model::OptionValue* option = config.option(name);
        if (!is_unset(option)) {
            const model::OptionSetting& setting = option->settings.back();
            const Location at = setting.value_where,
                           last = result.last_set ? result.last_set->value_where : Location{};
            if (!last.valid() ||
                (at.valid() && at.file == last.file && at.span.begin > last.span.begin))
                result.last_set = &setting;
        }
        // tls.c tls_ok_f(): "must be absolute pathname".
        if (is_unset(option) || option->value.empty() || option->value.front() != '/')
            result.missing.emplace_back(name);
    }
    result.configured = result.missing.empty();
    return result;
}

const model::OptionSetting* daemon_setting(const model::Config& config,
                                           const model::PortOptions& daemon) {
    if (daemon.is_default) return nullptr;
    const model::OptionValue* option = config.option("DaemonPortOptions");
    if (is_unset(option)) return nullptr;
    // Every DaemonPortOptions line is one setting and one daemon, both in file order (in an
    // .mc, the O line m4 writes is the cf tree's, its value the .mc's DAEMON_OPTIONS argument).
    for (size_t i = 0; i < config.daemons.size() && i < option->settings.size(); ++i)
        if (&config.daemons[i] == &daemon) return &option->settings[i];
    return nullptr;
}

Location daemon_location(const model::Config& config, const model::PortOptions& daemon) {
    const model::OptionSetting* setting = daemon_setting(config, daemon);
    return setting != nullptr && setting->value_where.valid() ? setting->value_where : daemon.where;
}

std::optional<DaemonItem> find_daemon_item(std::string_view value, char key) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(key)));
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(key)));
    size_t at = 0;
    while (at <= value.size()) {
        size_t comma = value.find(',', at);
        size_t end = comma == std::string_view::npos ? value.size() : comma;
        size_t begin = at;
        while (begin < end && (value[begin] == ' ' || value[begin] == '\t'))
            ++begin;
        size_t eq = value.find('=', begin);
        if (begin < end && (value[begin] == lower || value[begin] == upper) && eq < end) {
            size_t to = end;
            while (to > eq + 1 && (value[to - 1] == ' ' || value[to - 1] == '\t'))
                --to;
            return DaemonItem{begin, end, eq + 1, to};
        }
        if (comma == std::string_view::npos) break;
        at = comma + 1;
    }
    return std::nullopt;
}

bool daemon_value_editable(const RuleContext& context, Location at) {
    if (!at.valid() || at.file >= context.sources.size()) return false;
    if (!context.expansion) return true;
    const std::string& text = context.sources.get(at.file).text();
    return at.span.begin > 0 && at.span.end < text.size() && text[at.span.begin - 1] == '`' &&
           text[at.span.end] == '\'';
}

std::string join_words(const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

} // namespace smaudit::rules
