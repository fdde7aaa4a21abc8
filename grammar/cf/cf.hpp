// PEGTL grammar of a sendmail.cf, in two layers, as sendmail's readcf() reads it:
//
// 1. The physical layer (`file`) runs on the raw bytes and finds logical lines: a line plus the
//    lines after it that start with a SPACE or TAB (fgetfolded() in sendmail's util.c).
// 2. The statement layer (`statement`) runs on the text of one logical line after the
//    preprocessing readcf() does (CRLF -> LF, the rest of a line after a NUL dropped, inline `#`
//    comments removed from V3 on, trailing blanks stripped). The first byte picks the line type.
//
// Where sendmail rejects a line, the grammar reaches an `error_point` with one of the error tags
// below; `error<Tag>` gives its SM-E code, message and which text it points at. The actions live
// in src/parse/cf_parser.cpp, the only other place that sees PEGTL.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace smaudit::grammar::cf {

using namespace tao::pegtl;

// ---------------------------------------------------------------------------------------------
// Physical layer: raw file bytes -> logical lines.

// One physical line without its LF (a CR before the LF stays in; the actions drop it).
struct line_text : star<not_one<'\n'>> {};
// A line that starts with a blank continues the previous one, comment lines included.
struct continuation : seq<one<'\n'>, at<one<' ', '\t'>>, line_text> {};
struct logical_line : seq<line_text, star<continuation>> {};
struct file : seq<logical_line, star<one<'\n'>, logical_line>, eof> {};

// ---------------------------------------------------------------------------------------------
// Error points. Each tag is raised at the place the problem starts.

// Which text a diagnostic points at, relative to where the error was raised.
enum class Extent {
    Char,       // the byte at the error position (empty span at the end of the line)
    Word,       // from the error position to the next blank
    ToEnd,      // from the error position to the end of the line
    Body,       // the whole statement after its letter
    Line,       // the whole statement
    FieldToEnd, // from the start of the field being read to the end of the line
};

struct ErrorInfo {
    const char* code = nullptr; // SM-E0NN
    const char* message = nullptr;
    Extent extent = Extent::Char;
};

namespace err {
struct unknown_line_type {};
struct option_letter_missing {};
struct option_letter_blank {};
struct option_name_missing {};
struct rule_tab_missing {};
struct rule_lhs_empty {};
struct rule_rhs_empty {};
struct field_name_missing {};
struct field_equals_missing {};
struct macro_name_missing {};
struct macro_name_unbalanced {};
struct macro_name_char {};
struct header_condition_unterminated {};
struct header_name_missing {};
struct header_colon_missing {};
struct map_name_missing {};
struct map_type_missing {};
struct ruleset_name_invalid {};
struct ruleset_number_missing {};
struct version_level_missing {};
struct precedence_equals_missing {};
} // namespace err

template <typename Tag> inline constexpr ErrorInfo error{};

// Like PEGTL's raise<Tag>, but without an exception: it calls Control<Tag>::error_point(in,
// states...), which records the error (the first one of a line wins), and fails. A file of
// millions of bad lines then costs no more than a good one (an exception unwinding the grammar's
// frames costs some microseconds per line).
template <typename Tag> struct error_point {
    using rule_t = error_point;
    using subs_t = empty_list;
    template <apply_mode, rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&... st) {
        Control<Tag>::error_point(static_cast<const ParseInput&>(in), st...);
        return false;
    }
};

template <>
inline constexpr ErrorInfo error<err::unknown_line_type>{
    "SM-E001", "unknown configuration line: no line type starts with this character", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::option_letter_missing>{
    "SM-E002", "option line without an option: write `O Name=value`", Extent::Line};
template <>
inline constexpr ErrorInfo error<err::option_letter_blank>{
    "SM-E002",
    "blank after `O` that is not a single space: sendmail takes it as a one-letter option name, "
    "which is unknown",
    Extent::Char};
template <>
inline constexpr ErrorInfo error<err::option_name_missing>{
    "SM-E002", "option line without an option name before `=`", Extent::Body};
template <>
inline constexpr ErrorInfo error<err::rule_tab_missing>{
    "SM-E003",
    "rule without a TAB between pattern and replacement (blanks do not separate the fields)",
    Extent::Body};
template <>
inline constexpr ErrorInfo error<err::rule_lhs_empty>{"SM-E003", "rule with an empty pattern (LHS)",
                                                      Extent::Char};
template <>
inline constexpr ErrorInfo error<err::rule_rhs_empty>{
    "SM-E003", "rule with an empty replacement (RHS)", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::field_name_missing>{
    "SM-E004", "definition without a name before its fields", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::field_equals_missing>{
    "SM-E004", "field without `=` (or a comma with no field after it)", Extent::FieldToEnd};
template <>
inline constexpr ErrorInfo error<err::macro_name_missing>{"SM-E005", "macro or class name missing",
                                                          Extent::Char};
template <>
inline constexpr ErrorInfo error<err::macro_name_unbalanced>{
    "SM-E005", "`{` of a long macro or class name is never closed", Extent::ToEnd};
template <>
inline constexpr ErrorInfo error<err::macro_name_char>{
    "SM-E005", "a long macro or class name may hold only letters, digits and `_`", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::header_condition_unterminated>{
    "SM-E007", "header condition `?...?` is not closed", Extent::ToEnd};
template <>
inline constexpr ErrorInfo error<err::header_name_missing>{"SM-E007", "header without a field name",
                                                           Extent::Char};
template <>
inline constexpr ErrorInfo error<err::header_colon_missing>{
    "SM-E007", "header field name not followed by `:`", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::map_name_missing>{
    "SM-E008", "map definition without a map name (it must start with a letter or digit)",
    Extent::Char};
template <>
inline constexpr ErrorInfo error<err::map_type_missing>{
    "SM-E008", "map definition without a map type (hash, dns, sequence, ...)", Extent::Char};
template <>
inline constexpr ErrorInfo error<err::ruleset_name_invalid>{
    "SM-E009",
    "invalid ruleset name: a number or a name of letters, digits and `_` starting with a letter",
    Extent::Word};
template <>
inline constexpr ErrorInfo error<err::ruleset_number_missing>{
    "SM-E009", "number required after `=` in a ruleset declaration", Extent::ToEnd};
template <>
inline constexpr ErrorInfo error<err::version_level_missing>{
    "SM-E011", "V line without a configuration level number", Extent::Body};
template <>
inline constexpr ErrorInfo error<err::precedence_equals_missing>{
    "SM-E012", "precedence line without `=`: write `Pname=number`", Extent::Body};

// ---------------------------------------------------------------------------------------------
// Statement layer: the text of one logical line.

// isspace() in the C locale; sendmail tests isascii() first, so latin-1 bytes are never blanks.
struct space_char : one<' ', '\t', '\n', '\v', '\f', '\r'> {};
struct spaces : star<space_char> {};
struct word : plus<not_at<space_char>, any> {};
struct rest : star<any> {};
struct digits : plus<digit> {};

// Macro and class names (macid_parse): one byte, or `{name}` of letters, digits and `_`.
struct long_name_text : plus<sor<alnum, one<'_'>>> {};
struct long_name_close : sor<one<'}'>, seq<eof, error_point<err::macro_name_unbalanced>>,
                             error_point<err::macro_name_char>> {};
struct long_name
    : seq<one<'{'>,
          sor<long_name_text, seq<at<one<'}'>>, error_point<err::macro_name_missing>>,
              seq<eof, error_point<err::macro_name_unbalanced>>, error_point<err::macro_name_char>>,
          long_name_close> {};
struct short_name : seq<not_at<one<'{'>>, any> {};
struct macro_name : sor<long_name, short_name, error_point<err::macro_name_missing>> {};

// `Dxvalue`: the value starts right after the name, blanks included.
struct macro_value : rest {};
struct macro_def : seq<one<'D'>, macro_name, macro_value> {};

// `Cx word word...`
struct class_word : word {};
struct class_def : seq<one<'C'>, macro_name, star<spaces, class_word>, spaces> {};

// `Fx[-o] file [pattern]`, `Fx|program`, `Fxkey@map:spec`: the file part is split by the
// actions, which follow sendmail's quoting rules.
struct file_class_optional : seq<string<'-', 'o'>, star<not_at<space_char>, any>, spaces> {};
struct file_class_spec : rest {};
struct file_class_def
    : seq<one<'F'>, macro_name, spaces, opt<file_class_optional>, file_class_spec> {};

// `Troot daemon`
struct trusted_user : word {};
struct trusted_def : seq<one<'T'>, star<spaces, trusted_user>, spaces> {};

// `O Name=value` (long form, exactly one space after O) and `Oxvalue` (legacy letter).
// Only spaces, not tabs, are trimmed around the long name and before the value.
struct option_long_name : plus<not_one<'='>> {};
struct option_equals : one<'='> {};
struct option_value : rest {};
struct option_long : seq<one<' '>, sor<option_long_name, error_point<err::option_name_missing>>,
                         opt<option_equals, star<one<' '>>, option_value>> {};
struct option_letter : seq<not_at<space_char>, any> {};
struct option_legacy : seq<sor<option_letter, seq<eof, error_point<err::option_letter_missing>>,
                               error_point<err::option_letter_blank>>,
                           option_value> {};
struct option_def : seq<one<'O'>, sor<option_long, option_legacy>> {};

// `Hname: value`, `H?flags?name: value`, `H?${macro}?name: value`
struct header_condition : star<not_one<'?'>> {};
struct header_condition_part : seq<one<'?'>, header_condition,
                                   sor<one<'?'>, error_point<err::header_condition_unterminated>>> {
};
// isgraph() except ':'
struct header_name_chars : plus<not_at<one<':'>>, range<'!', '~'>> {};
struct header_value : rest {};
struct header_def
    : seq<one<'H'>, opt<header_condition_part>,
          sor<header_name_chars, error_point<err::header_name_missing>>, spaces,
          sor<one<':'>, error_point<err::header_colon_missing>>, opt<one<' '>>, header_value> {};

// `Kname type spec`: name = alnum [alnum _ .]*, type = alnum+; sendmail consumes one byte
// after each, whatever it is (the actions report a byte that is not a blank).
struct map_name : seq<alnum, star<sor<alnum, one<'_', '.'>>>> {};
struct map_type : plus<alnum> {};
struct map_separator : opt<any> {};
struct map_spec : rest {};
struct map_def : seq<one<'K'>, spaces, sor<map_name, error_point<err::map_name_missing>>,
                     map_separator, spaces, sor<map_type, error_point<err::map_type_missing>>,
                     map_separator, spaces, map_spec> {};

// `Mname, P=..., F=..., A=...`, `Qname, ...`, `Xname, ...`: a name ended by `,` or a blank,
// then fields `K=value` separated by commas; only the key's first byte counts; values may be
// quoted and end at an unquoted comma. After a comma a field must follow: sendmail rejects a
// trailing comma with "`=' expected".
struct field_list_name : plus<not_one<',', ' ', '\t', '\n', '\v', '\f', '\r'>> {};
struct field_key : star<not_one<'=', ','>> {};
struct quoted : seq<one<'"'>, star<sor<seq<one<'\\'>, any>, not_one<'"'>>>, opt<one<'"'>>> {};
struct escaped : seq<one<'\\'>, opt<any>> {};
struct field_value : star<sor<quoted, escaped, not_one<','>>> {};
struct field
    : seq<field_key, sor<one<'='>, error_point<err::field_equals_missing>>, spaces, field_value> {};
struct field_gap : star<sor<one<','>, space_char>> {};
struct field_list : seq<sor<field_list_name, error_point<err::field_name_missing>>, opt<any>,
                        star<not_at<eof>, field_gap, field>> {};
struct mailer_def : seq<one<'M'>, field_list> {};
struct queue_def : seq<one<'Q'>, field_list> {};
struct milter_def : seq<one<'X'>, field_list> {};

// `Sname`, `S0`, `Sname=N`: anything after the name or number is ignored by sendmail.
struct ruleset_number : digits {};
struct ruleset_name : seq<alpha, star<sor<alnum, one<'_'>>>> {};
struct ruleset_assign
    : seq<one<'='>, spaces, sor<ruleset_number, error_point<err::ruleset_number_missing>>> {};
struct ruleset_def : seq<one<'S'>, spaces,
                         sor<ruleset_number, seq<ruleset_name, spaces, opt<ruleset_assign>>,
                             error_point<err::ruleset_name_invalid>>,
                         rest> {};

// `Rlhs<TAB>rhs<TAB>comment`: the first TAB ends the LHS, the RHS runs to the next TAB.
struct rule_lhs : plus<not_one<'\t'>> {};
struct rule_rhs : plus<not_one<'\t'>> {};
struct rule_comment : rest {};
struct rule_tabs : plus<one<'\t'>> {};
struct rule_def
    : seq<one<'R'>,
          sor<rule_lhs, seq<at<one<'\t'>>, error_point<err::rule_lhs_empty>>,
              error_point<err::rule_tab_missing>>,
          sor<rule_tabs, error_point<err::rule_tab_missing>>,
          sor<rule_rhs, error_point<err::rule_rhs_empty>>, opt<rule_tabs, rule_comment>> {};

// `Pname=number`
struct precedence_name : star<not_one<'='>> {};
struct precedence_value : rest {};
struct precedence_def
    : seq<one<'P'>, precedence_name, sor<one<'='>, error_point<err::precedence_equals_missing>>,
          precedence_value> {};

// `V10/Berkeley`
struct version_level : digits {};
struct version_vendor : star<alpha> {};
struct version_def
    : seq<one<'V'>, spaces, sor<version_level, error_point<err::version_level_missing>>,
          opt<one<'/'>, version_vendor>, rest> {};

// `Ename=value`, `Ename`
struct env_name : star<not_one<'='>> {};
struct env_value : rest {};
struct env_def : seq<one<'E'>, env_name, opt<one<'='>, env_value>> {};

struct statement : sor<rule_def, ruleset_def, option_def, macro_def, class_def, file_class_def,
                       header_def, map_def, mailer_def, queue_def, milter_def, precedence_def,
                       version_def, env_def, trusted_def, error_point<err::unknown_line_type>> {};

} // namespace smaudit::grammar::cf

// analyze() treats an error point like PEGTL's raise: it never succeeds.
template <typename Name, typename Tag>
struct tao::pegtl::analyze_traits<Name, smaudit::grammar::cf::error_point<Tag>>
    : analyze_any_traits<> {};
