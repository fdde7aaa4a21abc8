// Pure helpers of the m4 builtins that need no engine state: eval's expression language,
// translit's ranges, GNU regular expressions (patsubst, regexp) and format.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::m4 {

// GNU m4 eval: 32-bit wrapping integer arithmetic with C operators and **, with GNU m4 1.4's
// errors: `--1` and `1+=1` are invalid operators, `0**0` divides by zero, an error in the
// unused side of && or || is forgotten but not the text after it (`1||1/0>2` is an error).
struct EvalResult {
    std::optional<int32_t> value;      // nullopt on error
    std::string error;                 // m4's message ("divide by zero", "bad expression")
    bool too_deep = false;             // nested beyond kMaxEvalDepth (smaudit's limit, not m4's)
    std::vector<std::string> warnings; // m4's warnings (`=' for `==')
};
// Parentheses, unary operators and ** inside each other.
inline constexpr int kMaxEvalDepth = 1024;
EvalResult eval_expression(std::string_view expr);
// eval's output: `value` in `radix` (1..36), at least `width` digits.
std::string format_radix(int32_t value, int radix, int width);

// translit's character lists: a-z style ranges expanded (a '-' first or last is literal).
std::string expand_ranges(std::string_view spec);

// A GNU regular expression as GNU m4 compiles it: glibc's GNU regex engine (the one m4 is
// built with) in Emacs syntax, where ( ) | { } are literal and \( \) \| groups, ^ and $ also
// match at newlines inside the text, \< \> \` \' \w \b are GNU operators, and alternation
// takes the longest match.
class GnuRegex {
  public:
    // nullptr and glibc's message in `error` when the pattern does not compile.
    static std::unique_ptr<GnuRegex> compile(std::string_view pattern, std::string& error);
    ~GnuRegex();
    GnuRegex(const GnuRegex&) = delete;
    GnuRegex& operator=(const GnuRegex&) = delete;

    // Offsets of the whole match (group 0) and of groups 1..re_nsub (-1 when unset).
    struct Match {
        std::vector<std::pair<long, long>> groups;
    };
    // The first match in `text` starting at `start` or later (m4's re_search over the whole
    // text, so ^ and \< see what comes before `start`); nullopt if none. `failed`: the matcher
    // gave up (m4: "error matching regular expression").
    std::optional<Match> search(std::string_view text, size_t start, bool& failed) const;
    // How many \( groups the pattern has.
    size_t groups() const;
    // Whether the pattern refers back to a group (\1 to \9).
    bool has_back_reference() const { return back_reference_; }

  private:
    GnuRegex();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool back_reference_ = false;
};

// Replacement text of patsubst/regexp, as GNU m4 writes it: \0 and \& the whole match, \1..\9
// a group (nothing when it did not match; `warnings` gets m4's warning for a group the pattern
// does not have), \c the character c, a trailing backslash dropped (with m4's warning).
std::string substitute(std::string_view replacement, std::string_view text,
                       const GnuRegex::Match& m, size_t groups, std::vector<std::string>& warnings);

// GNU m4 format(fmt, args...) (the arguments after the format string): printf's flags,
// width and precision (also as `*` arguments), the length modifiers l (64-bit long), h and hh,
// and m4's refusals (%+x, %#d, %.3c, %ls, %hf, %lld: "unrecognized specifier", dropped).
struct FormatResult {
    std::string text;
    std::vector<std::string> warnings;
    // A field longer than the size limit given (its length); the text stops before it.
    size_t too_big = 0;
};
FormatResult format_builtin(std::string_view fmt, const std::vector<std::string>& args,
                            size_t max_size);

// m4's numeric argument: strtol semantics, kept in an int as m4 does (4294967297 is 1);
// nullopt for trailing junk ("non-numeric").
std::optional<long> numeric_argument(std::string_view text);

} // namespace smaudit::m4
