#include "parse/m4_lexer.hpp"

#include "grammar/m4/lexer.hpp"

namespace smaudit::m4 {

namespace g = grammar;
namespace pegtl = tao::pegtl;

void lex_token(std::string_view text, const Delims& delims, bool more_follows, Lexed& out,
               LexRuns runs) {
    g::LexState state{delims};
    state.more_follows = more_follows;
    state.runs = static_cast<g::LexState::Runs>(static_cast<int>(runs));
    // A `const char*` source name: no std::string built per token.
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(
        text.data(), text.data() + text.size(), "m4");
    if (!pegtl::parse<g::dispatched_token, g::token_action>(in, state)) {
        // Only reachable when a delimiter prefix ends the text: ask for more input.
        out = Lexed{TokenKind::Other, 0, true, false};
        return;
    }
    out.kind = static_cast<TokenKind>(static_cast<int>(state.kind));
    out.length = static_cast<uint32_t>(in.current() - text.data());
    out.incomplete = state.incomplete;
    out.unterminated = state.unterminated;
}

} // namespace smaudit::m4
