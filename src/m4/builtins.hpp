// Pure helpers of the m4 builtins that need no engine state: eval's expression language,
// translit's ranges, GNU regular expressions (patsubst, regexp) and format.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::m4 {

// GNU m4 eval: 32-bit wrapping integer arithmetic with C operators and **. On error returns
// nullopt and sets `error` to m4's message ("divide by zero", "bad expression").
std::optional<int32_t> eval_expression(std::string_view expr, std::string& error);
// eval's output: `value` in `radix` (1..36), at least `width` digits.
std::string format_radix(int32_t value, int radix, int width);

// translit's character lists: a-z style ranges expanded (a '-' first or last is literal).
std::string expand_ranges(std::string_view spec);

// A GNU (Emacs syntax) regular expression rewritten for std::regex's ECMAScript grammar;
// nullopt when it cannot be translated.
std::optional<std::string> translate_regex(std::string_view gnu);

// One regex match: offsets of the whole match (group 0) and of groups 1..9 (-1 when unset).
struct RegexMatch {
    std::vector<std::pair<long, long>> groups;
};
// Searches `text` from `start`; nullopt if no match.
std::optional<RegexMatch> regex_search_at(const std::regex& re, std::string_view text,
                                          size_t start);
// Replacement text of patsubst/regexp: \0 or \& the whole match, \1..\9 groups, \\ a backslash.
std::string substitute(std::string_view replacement, std::string_view text, const RegexMatch& m);

// GNU m4 format(fmt, args...) (the arguments after the format string).
std::string format_builtin(std::string_view fmt, const std::vector<std::string>& args);

// m4's numeric argument: strtol semantics; nullopt for trailing junk ("non-numeric").
std::optional<long> numeric_argument(std::string_view text);

} // namespace smaudit::m4
