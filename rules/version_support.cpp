#include "rules/version_support.hpp"

#include <cctype>

namespace smaudit::rules {

namespace {

constexpr int kMaxMacroDepth = 8; // macros may refer to each other, even in a loop

std::optional<std::string> macro_reveals_at(const model::Config& config, const std::string& name,
                                            int depth);

std::optional<std::string> text_reveals_at(const model::Config& config, std::string_view text,
                                           int depth) {
    for (const MacroRef& ref : macro_refs(text))
        if (auto why = macro_reveals_at(config, ref.name, depth)) return why;
    if (has_literal_version(text)) return "a release number written out";
    return std::nullopt;
}

// `$v` is sendmail's own version; `$Z` is what the .cf's `DZ` line says (m4 writes the release
// there), empty when undefined; other macros reveal it when their value does. A one-character
// name in braces is the same macro: `${v}` is `$v`.
std::optional<std::string> macro_reveals_at(const model::Config& config, const std::string& name,
                                            int depth) {
    if (name == "v") return "$v, sendmail's version";
    if (depth >= kMaxMacroDepth) return std::nullopt;
    auto it = config.macros.find(name);
    if (it == config.macros.end()) return std::nullopt; // undefined: expands to nothing
    if (name == "Z") { // m4 writes the release there; a value without digits is no version
        const std::string& value = it->second.value;
        for (char c : value)
            if (std::isdigit(static_cast<unsigned char>(c)))
                return "$Z, the configuration's version (" + value + ")";
    }
    auto why = text_reveals_at(config, it->second.value, depth + 1);
    if (!why) return std::nullopt;
    std::string shown = name.size() == 1 ? "$" + name : "${" + name + "}";
    return shown + ", whose value shows " + *why;
}

} // namespace

std::vector<MacroRef> macro_refs(std::string_view text) {
    std::vector<MacroRef> refs;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '$') continue;
        size_t at = i + 1;
        bool conditional = text[at] == '?';
        if (conditional || text[at] == '&') ++at;
        if (at >= text.size()) break;
        std::string name;
        size_t end = at + 1;
        if (text[at] == '{') {
            size_t close = text.find('}', at);
            if (close == std::string_view::npos) break;
            name = std::string(text.substr(at + 1, close - at - 1));
            end = close + 1;
        } else if (std::isalnum(static_cast<unsigned char>(text[at]))) {
            name = std::string(1, text[at]);
        } else {
            i = at; // `$$`, `$|`, `$.`, ... : skip the operator character
            continue;
        }
        if (!conditional && !name.empty())
            refs.push_back({name, static_cast<uint32_t>(i), static_cast<uint32_t>(end)});
        i = end - 1;
    }
    return refs;
}

bool has_literal_version(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
        if (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))
            continue;
        int numbers = 0;
        size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
                ++j;
            ++numbers;
            if (j + 1 < text.size() && text[j] == '.' &&
                std::isdigit(static_cast<unsigned char>(text[j + 1])))
                ++j;
            else
                break;
        }
        if (numbers >= 3) return true;
    }
    return false;
}

std::optional<std::string> text_reveals(const model::Config& config, std::string_view text) {
    return text_reveals_at(config, text, 0);
}

std::optional<std::string> macro_reveals(const model::Config& config, const std::string& name) {
    return macro_reveals_at(config, name, 0);
}

std::optional<std::string> without_version(const model::Config& config, std::string_view text) {
    std::vector<std::pair<uint32_t, uint32_t>> cuts;
    for (const MacroRef& ref : macro_refs(text)) {
        if (!macro_reveals(config, ref.name)) continue;
        if (ref.name != "v" && ref.name != "Z") return std::nullopt;
        if (!cuts.empty() && ref.begin == cuts.back().second + 1 && text[cuts.back().second] == '/')
            cuts.back().second = ref.end; // `$v/$Z`
        else
            cuts.emplace_back(ref.begin, ref.end);
    }
    std::string out;
    uint32_t from = 0;
    for (auto [begin, end] : cuts) {
        if (begin > from && end < text.size() && text[begin - 1] == '(' && text[end] == ')') {
            --begin;
            ++end;
        }
        if (begin > from && text[begin - 1] == ' ' &&
            (end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]))))
            --begin;
        out.append(text.substr(from, begin - from));
        from = end;
    }
    out.append(text.substr(from));
    if (text_reveals(config, out) || out.find_first_not_of(" \t") == std::string::npos)
        return std::nullopt;
    return out;
}

} // namespace smaudit::rules
