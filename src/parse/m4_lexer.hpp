// The m4 lexer: one token from the front of a piece of text, with the current delimiters.
// The only place besides grammar tests that sees PEGTL for m4 (grammar/m4/lexer.hpp).
#pragma once

#include "grammar/m4/delimiters.hpp"

#include <cstdint>
#include <string_view>

namespace smaudit::m4 {

enum class TokenKind { Name, Quoted, Comment, Open, Comma, Close, Space, Other };

using Delims = grammar::Delimiters;

struct Lexed {
    TokenKind kind = TokenKind::Other;
    uint32_t length = 0;       // bytes of the token
    bool incomplete = false;   // may continue in the input that follows: join and lex again
    bool unterminated = false; // quote or comment open at the real end of input
};

// `text` must not be empty. `more_follows`: input continues after `text`. A name that reaches
// the end of `text` is not flagged: the caller looks at the next character below itself.
// The same, written into `out`: the engine's form, since GCC returned a Lexed by value through
// a stack copy built field by field and read back as whole words, a store-forwarding stall on
// every token.
// Runs of text the caller copies through alike, lexed as one token of kind Other: None, each
// token by itself; InArguments, plain text (not starting with a blank) with the blanks and
// digits after it; TopLevel (outside argument lists), blanks, ( , ) and plain text together.
enum class LexRuns { None, InArguments, TopLevel };
void lex_token(std::string_view text, const Delims& delims, bool more_follows, Lexed& out,
               LexRuns runs = LexRuns::None);
inline Lexed lex_token(std::string_view text, const Delims& delims, bool more_follows) {
    Lexed out;
    lex_token(text, delims, more_follows, out);
    return out;
}

} // namespace smaudit::m4
