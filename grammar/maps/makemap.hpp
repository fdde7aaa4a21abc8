// PEGTL grammar of one line of a makemap source (`makemap hash OUT < FILE`): access,
// virtusertable, mailertable, genericstable, domaintable, authinfo.
//
// makemap reads the file with fgets into a 1024-byte buffer, so the parser first cuts the text
// into the pieces makemap sees (a line, or 1023-byte pieces of a longer one); this grammar
// parses one piece without its newline. Facts checked with Debian's makemap 8.17:
// - a line whose first byte is '#' is a comment, an empty line is skipped;
// - a line starting with any C isspace() byte (also a lone CR of a CRLF blank line) is
//   "syntax error (leading space)";
// - the key ends at the first isspace() byte, the value starts after the blank run and is the
//   rest of the line: trailing blanks and a CR stay in it; no `%`, `\` or quote processing;
// - no value is "no RHS for LHS".
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace smaudit::grammar::makemap {

namespace pegtl = tao::pegtl;

// C isspace() in the C locale.
struct blank : pegtl::one<' ', '\t', '\n', '\v', '\f', '\r'> {};
struct not_blank : pegtl::not_one<' ', '\t', '\n', '\v', '\f', '\r'> {};

// Two scanning rules written out by hand: a million-line map spends most of its parse time in
// keys and values, and PEGTL's byte-at-a-time repetition costs several times this loop.
// star<not_blank> (plus<not_blank> with AtLeastOne):
// Where the first C isspace() byte is in [p, end), eight bytes at a time: a byte equal to ' ' or
// in '\t'..'\r' sets its high bit in the mask (exact tests from the "bit twiddling hacks"; the
// lowest marked byte, the first in memory on little-endian machines, is always a true one).
inline const char* find_blank(const char* p, const char* const end) {
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    if constexpr (std::endian::native == std::endian::little) {
        while (end - p >= 8) {
            uint64_t w;
            std::memcpy(&w, p, 8);
            const uint64_t spaces = w ^ (0x20 * kOnes);
            const uint64_t is_space = (spaces - kOnes) & ~spaces & kHigh;
            // bytes b with 8 < b < 14
            const uint64_t low7 = w & (0x7f * kOnes);
            const uint64_t is_ctrl =
                ((127 + 14) * kOnes - low7) & ~w & (low7 + (127 - 8) * kOnes) & kHigh;
            if (const uint64_t hit = is_space | is_ctrl) return p + (std::countr_zero(hit) >> 3);
            p += 8;
        }
    }
    while (p != end && *p != ' ' && (*p < '\t' || *p > '\r'))
        ++p;
    return p;
}

template <bool AtLeastOne> struct non_blank_run {
    using rule_t = non_blank_run;
    using subs_t = pegtl::type_list<>;
    template <typename ParseInput> static bool match(ParseInput& in) {
        const char* p = find_blank(in.current(), in.end());
        if (AtLeastOne && p == in.current()) return false;
        in.bump_in_this_line(static_cast<size_t>(p - in.current()));
        return true;
    }
};
// star<any>: the rest of the input (one line).
struct rest {
    using rule_t = rest;
    using subs_t = pegtl::type_list<>;
    template <typename ParseInput> static bool match(ParseInput& in) {
        in.bump_in_this_line(in.size());
        return true;
    }
};

struct comment_line : pegtl::seq<pegtl::one<'#'>, rest> {};
struct no_leading_blank : pegtl::not_at<blank> {};
struct separator : pegtl::plus<blank> {};

// The key and value rules are parameters: the access map gives its keys tags and its values
// kinds, other maps take them as plain text.
struct plain_key : non_blank_run<true> {};
struct plain_value : pegtl::seq<pegtl::any, rest> {};

template <typename Value> struct rhs : pegtl::seq<separator, Value> {};
template <typename Key, typename Value> struct entry : pegtl::seq<Key, rhs<Value>, pegtl::eof> {};
template <typename Key, typename Value>
struct line : pegtl::sor<comment_line, pegtl::seq<no_leading_blank, entry<Key, Value>>> {};

// Error points: a rule with a message raises a parse_error with it when it fails.
template <typename Rule> inline constexpr const char* error_message = nullptr;
template <>
inline constexpr const char* error_message<no_leading_blank> =
    "line starts with a blank: makemap rejects it (\"syntax error (leading space)\")";
template <typename Value>
inline constexpr const char* error_message<rhs<Value>> =
    "key without a value: makemap skips the line (\"no RHS for LHS\")";

struct errors {
    template <typename Rule> static constexpr const char* message = error_message<Rule>;
};
template <typename Rule>
using control = pegtl::must_if<errors, pegtl::normal, false>::control<Rule>;

} // namespace smaudit::grammar::makemap

// What analyze<>() needs to know about the hand-written rules: whether they may succeed
// without consuming input.
namespace tao::pegtl {
template <typename Name, bool AtLeastOne>
struct analyze_traits<Name, smaudit::grammar::makemap::non_blank_run<AtLeastOne>>
    : std::conditional_t<AtLeastOne, analyze_any_traits<>, analyze_opt_traits<>> {};
template <typename Name>
struct analyze_traits<Name, smaudit::grammar::makemap::rest> : analyze_opt_traits<> {};
} // namespace tao::pegtl
