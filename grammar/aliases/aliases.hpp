// PEGTL grammar of the aliases file (aliases(5)) as newaliases reads it. The parser first joins
// a logical line (checked with `sendmail -bi`, Debian 8.17):
// - a line ending in `\` is joined with the next line (the `\` and newline removed);
// - a following line starting with SPACE or TAB continues the entry (the newline is removed,
//   the blanks stay), also after a comment line: the indented line belongs to the comment;
// - an empty line ends the entry and takes no continuation.
// This grammar parses one joined logical line that is neither a comment nor blank.
#pragma once

#include <tao/pegtl.hpp>

namespace smaudit::grammar::aliases {

namespace pegtl = tao::pegtl;

// C isspace() in the C locale: newaliases skips these after the ':'.
struct blank : pegtl::one<' ', '\t', '\n', '\v', '\f', '\r'> {};

struct no_leading_blank : pegtl::not_at<pegtl::one<' ', '\t'>> {};
// The name: everything before the first ':' (newaliases looks for the first colon, quotes or
// not). An empty name is checked by the action ("illegal alias name").
struct name : pegtl::star<pegtl::not_one<':'>> {};
struct colon : pegtl::one<':'> {};
struct value : pegtl::plus<pegtl::any> {};
// An empty value is checked by the action, after the name (newaliases' order of errors).
struct rhs : pegtl::seq<pegtl::star<blank>, pegtl::opt<value>> {};
struct entry : pegtl::seq<no_leading_blank, name, colon, rhs, pegtl::eof> {};

// The value as a comma-separated list of targets (how the alias is expanded at delivery
// time). Commas inside quotes, (comments) and <angle brackets> do not separate.
struct quoted
    : pegtl::seq<pegtl::one<'"'>,
                 pegtl::until<pegtl::sor<pegtl::one<'"'>, pegtl::eof>,
                              pegtl::sor<pegtl::seq<pegtl::one<'\\'>, pegtl::any>, pegtl::any>>> {};
struct comment
    : pegtl::seq<pegtl::one<'('>, pegtl::until<pegtl::sor<pegtl::one<')'>, pegtl::eof>>> {};
struct angle : pegtl::seq<pegtl::one<'<'>, pegtl::until<pegtl::sor<pegtl::one<'>'>, pegtl::eof>>> {
};
struct item_part : pegtl::sor<quoted, comment, angle, pegtl::not_one<','>> {};
struct item : pegtl::star<item_part> {};
struct target_list : pegtl::seq<pegtl::list<item, pegtl::one<','>>, pegtl::eof> {};

template <typename Rule> inline constexpr const char* error_message = nullptr;
template <>
inline constexpr const char* error_message<no_leading_blank> =
    "line starts with a blank but continues nothing: newaliases rejects it (\"Non-continuation "
    "line starts with space\")";
template <>
inline constexpr const char* error_message<colon> =
    "alias without ':': newaliases skips the line (\"missing colon\")";

struct errors {
    template <typename Rule> static constexpr const char* message = error_message<Rule>;
};
template <typename Rule>
using control = pegtl::must_if<errors, pegtl::normal, false>::control<Rule>;

} // namespace smaudit::grammar::aliases
