// Sendmail's token vectors: prescan's tokeniser (parseaddr.c) with its token-type tables, the
// meta tokens a rule's sides carry ($*, $=w, $&{client_addr}, ...), and the text forms -bt prints
// (printav/xputs) and map lookups build (cataddr). Reimplemented from the documented behaviour and
// checked against `sendmail -bt`; no code of sendmail's is copied.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::relay {

// A token. Meta tokens start with a NUL byte (an address never holds one), then the code, then
// the class or macro name or the digit of `$1`: "\0\x93w" is `$=w`.
using Token = std::string;
using Tokens = std::vector<Token>;

enum class Meta : unsigned char {
    MatchZany = 0x90,   // $*
    MatchAny = 0x91,    // $+
    MatchOne = 0x92,    // $-
    MatchClass = 0x93,  // $=X
    MatchNclass = 0x94, // $~X
    MatchRepl = 0x95,   // $1..$9
    CanonNet = 0x96,    // $#
    CanonHost = 0x97,   // $@
    CanonUser = 0x98,   // $:
    CallSubr = 0x99,    // $>
    CondIf = 0x9a,      // $?
    CondElse = 0x9b,    // $|
    CondFi = 0x9c,      // $.
    HostBegin = 0x9d,   // $[
    HostEnd = 0x9e,     // $]
    MatchZero = 0x9f,   // $@ on a left-hand side
    LookupBegin = 0x85, // $(
    LookupEnd = 0x86,   // $)
    MacroDExpand = 0x82 // $&X
};

Token meta_token(Meta code, std::string_view name = {});
// Inline: the rewriting engine asks these for every token of every rule it tries.
inline bool is_meta(const Token& token) {
    return token.size() >= 2 && token[0] == '\0';
}
inline bool is_meta(const Token& token, Meta code) {
    return is_meta(token) &&
           static_cast<unsigned char>(token[1]) == static_cast<unsigned char>(code);
}
// The class/macro name or digit of a meta token ("w", "client_addr", "1").
inline std::string_view meta_name(const Token& token) {
    return is_meta(token) ? std::string_view(token).substr(2) : std::string_view{};
}

// Character types of prescan's state machine.
enum class CharType : unsigned char { Opr, Atm, Qst, Spc, One };

// A token-type table as sendmail builds it from OperatorChars and its delimiters.
struct TokenTable {
    std::array<CharType, 256> type{};
};
struct TokenTables {
    TokenTable ext;         // addresses from outside (ExtTokenTab)
    TokenTable internal;    // IntTokenTab: comments removed
    TokenTable no_comments; // TokTypeNoC: parentheses are tokens (V9+ rules, -bt input)
};
// `operator_chars`: the OperatorChars option (or `$o` below V7), already expanded.
TokenTables make_token_tables(std::string_view operator_chars);

// One input unit of prescan: a byte, or a meta token already formed (rule sides after macro
// expansion).
struct Piece {
    char c = 0;
    Token meta; // non-empty: this piece is a meta token of its own
};

struct PrescanResult {
    std::optional<Tokens> tokens;    // nullopt: sendmail's prescan returns NULL
    std::vector<std::string> errors; // "553 Unbalanced '<'", ... (sendmail prints these)
    size_t stop = 0; // input pieces read: where `delim` stopped the scan, or the end
};

inline constexpr size_t kMaxAtom = 200; // MAXATOM: tokens in one vector

// prescan(): `delim` ends the scan outside quotes, comments and angle brackets ('\0' none).
// `ignore`: unbalanced quotes/parens/brackets are not patched up.
PrescanResult prescan(const std::vector<Piece>& input, const TokenTable& table, char delim = '\0',
                      bool ignore = false);
PrescanResult prescan(std::string_view input, const TokenTable& table, char delim = '\0',
                      bool ignore = false);

// As -bt prints a token vector: each token after one blank, meta tokens as `$#`, `$=w`,
// `$&{client_addr}`. No leading blank.
std::string print_tokens(const Tokens& tokens);
std::string print_token(const Token& token);

// cataddr(): tokens joined, `space` between two atoms (by the internal table), '\0' for none.
std::string cat_tokens(const Tokens& tokens, size_t first, size_t end, const TokenTables& tables,
                       char space);
// The same into `out` (cleared first), so that a caller in a loop reuses one buffer.
void cat_tokens_into(std::string& out, const Tokens& tokens, size_t first, size_t end,
                     const TokenTables& tables, char space);

// stripquotes(): removes double quotes and the backslashes that escape characters.
std::string strip_quotes(std::string_view text);

} // namespace smaudit::relay
