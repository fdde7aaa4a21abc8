// PEGTL grammar of one line of a class file read by an `F` line (sendmail's fileclass()).
// The line is cut at its newline and at a NUL byte first (sendmail reads it with fgets into a C
// string). Lines whose first byte is '#' are skipped before the pattern is applied. Checked
// with `sendmail -bt` and `$=R` on Debian's 8.17.
#pragma once

#include "grammar/maps/makemap.hpp"

namespace smaudit::grammar::class_file {

namespace pegtl = tao::pegtl;
using makemap::blank;

struct word : pegtl::plus<makemap::not_blank> {};
// `%s`: scanf skips leading blanks and takes one word; the rest of the line is ignored.
struct first_word_line : pegtl::seq<pegtl::star<blank>, pegtl::opt<word>> {};
// `%[^#]`: the text before the first '#', split into words at blanks.
struct hash_word : pegtl::plus<pegtl::not_one<' ', '\t', '\n', '\v', '\f', '\r', '#'>> {};
struct words_before_hash_line
    : pegtl::seq<pegtl::star<blank>, pegtl::star<hash_word, pegtl::star<blank>>> {};

} // namespace smaudit::grammar::class_file
