// PEGTL grammar of m4's lexical layer: one token at a time, with the quote and comment
// delimiters of the moment as run-time state (changequote/changecom change them while the input
// is read, so they cannot be compile-time literals). Token order follows GNU m4's next_token:
// comment, name, quoted string, then single characters ( , ) and runs of other text.
//
// The engine feeds one contiguous piece of its input stack at a time. A token that may go on in
// the input below (a name at the very end, an unterminated quote or comment, the first bytes of a
// multi-character delimiter) sets `incomplete` when `more_follows`, so the engine can join the
// pieces and lex again; at the real end of input an open quote or comment is `unterminated`.
#pragma once

#include <algorithm>
#include <string_view>

#include "grammar/m4/delimiters.hpp"

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

namespace smaudit::m4::grammar {

namespace pegtl = tao::pegtl;

enum class TokenKind { Name, Quoted, Comment, Open, Comma, Close, Space, Other };

struct LexState {
    const Delimiters& delims;
    bool more_follows = false; // more input lies beyond the text being lexed
    bool incomplete = false;   // the token may continue past the end of the text
    bool unterminated = false; // a quote or comment runs to the real end of input
    // Runs of text the caller copies through alike, taken as one token of kind Other
    // (`text_run`): None, every token by itself; InArguments, plain text with the blanks and
    // digits after it (only blanks before an argument are dropped, and ( , ) count there);
    // TopLevel, outside argument lists, blanks, ( , ) and plain text together.
    enum class Runs { None, InArguments, TopLevel } runs = Runs::None;
    TokenKind kind = TokenKind::Other;
};

namespace detail {
// Whether `delim` starts at the input's current position. A proper prefix of it at the end of
// the text is flagged incomplete, since the rest may follow in the input below.
template <typename ParseInput>
bool at_delimiter(ParseInput& in, std::string_view delim, LexState& s, std::size_t offset = 0) {
    if (delim.empty()) return false;
    const char* here = in.current() + offset;
    const std::size_t avail = static_cast<std::size_t>(in.end() - here);
    if (avail >= delim.size()) // the first byte decides almost always
        return *here == delim[0] &&
               (delim.size() == 1 || std::string_view(here, delim.size()) == delim);
    const std::string_view rest(here, avail);
    if (s.more_follows && !rest.empty() && delim.substr(0, rest.size()) == rest)
        s.incomplete = true;
    return false;
}

// Whether `delim` (not empty) is at text[pos], pos < text.size(); one-byte delimiters (the usual
// ones) without a memcmp call.
inline bool delimiter_at(std::string_view text, std::size_t pos, std::string_view delim) {
    if (delim.size() == 1) return text[pos] == delim[0];
    return text.size() - pos >= delim.size() && text.compare(pos, delim.size(), delim) == 0;
}

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
inline bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
} // namespace detail

// A run-time rule: the base of the custom rules below (no sub-rules, consumes input).
template <typename Self> struct runtime_rule {
    using rule_t = Self;
    using subs_t = pegtl::empty_list;
};

// `comment text ecomm`, copied through unexpanded.
struct comment : runtime_rule<comment> {
    template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, LexState& s) {
        const Delimiters& d = s.delims;
        if (!detail::at_delimiter(in, d.bcomm, s)) return false;
        const std::string_view rest(in.current(),
                                    static_cast<std::size_t>(in.end() - in.current()));
        // Inside, only a complete end delimiter matters: without one the comment is open.
        const std::size_t close = rest.find(d.ecomm, d.bcomm.size());
        std::size_t length;
        if (close != std::string_view::npos) {
            length = close + d.ecomm.size();
        } else if (s.more_follows) {
            s.incomplete = true;
            return false;
        } else {
            s.unterminated = true;
            length = rest.size();
        }
        in.bump(length);
        s.kind = TokenKind::Comment;
        return true;
    }
};

// `lquote ... rquote` with nesting; the closing delimiter is tried first, as GNU m4 does.
struct quoted : runtime_rule<quoted> {
    template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, LexState& s) {
        const Delimiters& d = s.delims;
        if (!detail::at_delimiter(in, d.lquote, s)) return false;
        const std::string_view rest(in.current(),
                                    static_cast<std::size_t>(in.end() - in.current()));
        const char r0 = d.rquote.empty() ? d.lquote[0] : d.rquote[0];
        const char l0 = d.lquote[0];
        std::size_t pos = d.lquote.size();
        int depth = 1;
        // Only a complete delimiter counts inside: half of one at the end leaves the quote open,
        // which asks for more input anyway.
        // Jump from one candidate delimiter start to the next (memchr is vectorised).
        std::size_t next_r = rest.find(r0, pos);
        std::size_t next_l = r0 == l0 ? next_r : rest.find(l0, pos);
        while (depth != 0) {
            pos = std::min(next_r, next_l);
            if (pos == std::string_view::npos) break;
            if (!d.rquote.empty() && detail::delimiter_at(rest, pos, d.rquote)) {
                pos += d.rquote.size();
                --depth;
            } else if (detail::delimiter_at(rest, pos, d.lquote)) {
                pos += d.lquote.size();
                ++depth;
            } else {
                ++pos;
            }
            if (next_r < pos) next_r = rest.find(r0, pos);
            if (next_l < pos) next_l = r0 == l0 ? next_r : rest.find(l0, pos);
        }
        if (depth != 0) {
            if (s.more_follows) {
                s.incomplete = true;
                return false;
            }
            s.unterminated = true;
            pos = rest.size();
        }
        in.bump(pos);
        s.kind = TokenKind::Quoted;
        return true;
    }
};

// A run of plain text: characters that are not name characters, not ( , ), not blanks, and not
// the first character of the quote or comment opener (those are tried as their own tokens).
// One tight loop rather than a rule per character: most of an .mc's bytes pass through here.
struct other_run : runtime_rule<other_run> {
    template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, LexState& s) {
        const int lq0 =
            s.delims.lquote.empty() ? -1 : static_cast<unsigned char>(s.delims.lquote[0]);
        const int bc0 = s.delims.bcomm.empty() ? -1 : static_cast<unsigned char>(s.delims.bcomm[0]);
        const char* const begin = in.current();
        const char* p = begin;
        const char* const end = in.end();
        for (; p != end; ++p) {
            const char c = *p;
            const int u = static_cast<unsigned char>(c);
            if (detail::is_name_char(c) || detail::is_space(c) || c == '(' || c == ',' ||
                c == ')' || u == lq0 || u == bc0)
                break;
        }
        if (p == begin) return false;
        in.bump(static_cast<std::size_t>(p - begin));
        return true;
    }
};

// What a caller may take as one token (LexState::runs): the tokens space_run, other_run and
// single_char, with open, comma and close outside argument lists, as many as follow each other
// up to a name's first character or the first byte of the quote or comment opener. A digit
// joins the run: a name never starts with one, and one after a name is part of that name.
// Within arguments the run does not start with a blank (blanks before an argument are dropped).
struct text_run : runtime_rule<text_run> {
    template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, LexState& s) {
        const int lq0 =
            s.delims.lquote.empty() ? -1 : static_cast<unsigned char>(s.delims.lquote[0]);
        const int bc0 = s.delims.bcomm.empty() ? -1 : static_cast<unsigned char>(s.delims.bcomm[0]);
        const bool top = s.runs == LexState::Runs::TopLevel;
        const char* const begin = in.current();
        const char* p = begin;
        const char* const end = in.end();
        for (; p != end; ++p) {
            const char c = *p;
            const int u = static_cast<unsigned char>(c);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u == lq0 ||
                u == bc0)
                break;
            if (!top && (c == '(' || c == ',' || c == ')')) break;
        }
        if (p == begin) return false;
        in.bump(static_cast<std::size_t>(p - begin));
        s.kind = TokenKind::Other;
        return true;
    }
};

struct name : pegtl::identifier {};
struct open : pegtl::one<'('> {};
struct comma : pegtl::one<','> {};
struct close : pegtl::one<')'> {};
struct space_run : pegtl::plus<pegtl::one<' ', '\t', '\n', '\v', '\f', '\r'>> {};
struct single_char : pegtl::any {};

struct token
    : pegtl::sor<comment, name, quoted, open, comma, close, space_run, other_run, single_char> {};

// The same token, driven by its first byte: a byte that cannot start the comment or quote
// opener picks the one alternative of `token` that can match it (in `token`'s order, the rules
// before it fail on that byte without side effects), so the lexer does not try every rule in
// turn for each of an .mc's tens of thousands of tokens. Anything else goes through `token`.
struct dispatched_token : runtime_rule<dispatched_token> {
    template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in, LexState& s) {
        if (in.empty()) return false;
        const char c = *in.current();
        const Delimiters& d = s.delims;
        if ((!d.bcomm.empty() && c == d.bcomm[0]) || (!d.lquote.empty() && c == d.lquote[0]))
            return pegtl::match<token, A, M, Action, Control>(in, s);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            return pegtl::match<name, A, M, Action, Control>(in, s);
        if (s.runs == LexState::Runs::TopLevel)
            return pegtl::match<text_run, A, M, Action, Control>(in, s);
        switch (c) {
        case '(':
            return pegtl::match<open, A, M, Action, Control>(in, s);
        case ',':
            return pegtl::match<comma, A, M, Action, Control>(in, s);
        case ')':
            return pegtl::match<close, A, M, Action, Control>(in, s);
        default:
            break;
        }
        if (detail::is_space(c)) return pegtl::match<space_run, A, M, Action, Control>(in, s);
        if (s.runs == LexState::Runs::InArguments)
            return pegtl::match<text_run, A, M, Action, Control>(in, s);
        if (c >= '0' && c <= '9') return pegtl::match<single_char, A, M, Action, Control>(in, s);
        return pegtl::match<other_run, A, M, Action, Control>(in, s);
    }
};

// Actions record which alternative matched (the runtime rules record it themselves).
template <typename Rule> struct token_action : pegtl::nothing<Rule> {};
template <> struct token_action<name> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Name;
    }
};
template <> struct token_action<open> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Open;
    }
};
template <> struct token_action<comma> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Comma;
    }
};
template <> struct token_action<close> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Close;
    }
};
template <> struct token_action<space_run> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Space;
    }
};
template <> struct token_action<other_run> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Other;
    }
};
template <> struct token_action<single_char> {
    template <typename ActionInput> static void apply(const ActionInput&, LexState& s) {
        s.kind = TokenKind::Other;
    }
};

} // namespace smaudit::m4::grammar

namespace tao::pegtl {
// The run-time rules always consume input when they succeed.
template <typename Name>
struct analyze_traits<Name, smaudit::m4::grammar::comment> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, smaudit::m4::grammar::quoted> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, smaudit::m4::grammar::other_run> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, smaudit::m4::grammar::dispatched_token> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, smaudit::m4::grammar::text_run> : analyze_any_traits<> {};
} // namespace tao::pegtl
