#include "model/rewrite_tokens.hpp"

#include <algorithm>

namespace smaudit::model {

namespace {

// sendmail's default operators ($o of a V10 .cf) and its fixed delimiters (readcf.c, prescan).
constexpr std::string_view kOperators = ".:%@!^/[]+()<>,;";

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The end of a `{name}` starting at `at` (past the `}`), or at + 1 for a one-byte name.
size_t name_end(std::string_view text, size_t at) {
    if (at >= text.size()) return at;
    if (text[at] != '{') return at + 1;
    size_t close = text.find('}', at);
    return close == std::string_view::npos ? text.size() : close + 1;
}

} // namespace

std::vector<std::string> rewrite_tokens(std::string_view side) {
    std::vector<std::string> tokens;
    size_t i = 0;
    while (i < side.size()) {
        const char c = side[i];
        size_t end = i + 1;
        if (is_blank(c)) {
            ++i;
            continue;
        }
        if (c == '$' && i + 1 < side.size()) {
            const char op = side[i + 1];
            if (op == '=' || op == '~' || op == '&')
                end = name_end(side, i + 2);
            else if (op == '{')
                end = name_end(side, i + 1);
            else
                end = i + 2;
        } else if (c == '"') {
            end = i + 1;
            while (end < side.size() && side[end] != '"')
                end += side[end] == '\\' ? 2 : 1;
            end = std::min(end + 1, side.size());
        } else if (kOperators.find(c) == std::string_view::npos) {
            while (end < side.size() && !is_blank(side[end]) && side[end] != '$' &&
                   side[end] != '"' && kOperators.find(side[end]) == std::string_view::npos)
                end += side[end] == '\\' && end + 1 < side.size() ? 2 : 1;
        }
        tokens.emplace_back(side.substr(i, end - i));
        i = end;
    }
    return tokens;
}

bool has_sequence(const std::vector<std::string>& tokens,
                  const std::vector<std::string_view>& sequence) {
    if (sequence.empty()) return true;
    return std::search(tokens.begin(), tokens.end(), sequence.begin(), sequence.end(),
                       [](const std::string& a, std::string_view b) { return a == b; }) !=
           tokens.end();
}

std::vector<std::string> called_rulesets(const std::vector<std::string>& tokens) {
    std::vector<std::string> names;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (tokens[i] != "$>") continue;
        std::string_view name = tokens[i + 1];
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
            name = name.substr(1, name.size() - 2);
        names.emplace_back(name);
    }
    return names;
}

bool matches_every_address(const std::vector<std::string>& lhs) {
    if (lhs.empty()) return false; // matches only the empty workspace
    size_t at_least_one = 0;
    for (const std::string& token : lhs) {
        if (token == "$+")
            ++at_least_one;
        else if (token != "$*")
            return false;
    }
    return at_least_one <= 3;
}

} // namespace smaudit::model
