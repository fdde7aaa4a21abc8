#include "relay/tokens.hpp"

#include <cctype>
#include <utility>

namespace smaudit::relay {

Token meta_token(Meta code, std::string_view name) {
    Token token(2, '\0');
    token[1] = static_cast<char>(code);
    token += name;
    return token;
}

namespace {

// The types of the first 128 bytes before OperatorChars are applied; the upper half differs
// between the tables (external text: atoms; internal text: operators, sendmail's meta bytes).
void base_table(TokenTable& table, bool comments_are_blanks, bool high_is_operator) {
    for (size_t c = 0; c < 256; ++c) {
        CharType type = CharType::Atm;
        if (c >= 128)
            type = high_is_operator ? CharType::Opr : CharType::Atm;
        else if (c == ' ' || (c >= '\t' && c <= '\r'))
            type = CharType::Spc;
        else if (c == '"')
            type = CharType::Qst;
        else if (c == '(' || c == ')')
            type = comments_are_blanks ? CharType::Spc : CharType::Opr;
        table.type[c] = type;
    }
    if (high_is_operator) table.type[0x7f] = CharType::One;
}

void apply_operators(TokenTable& table, std::string_view chars) {
    for (char c : chars) {
        auto& type = table.type[static_cast<unsigned char>(c)];
        if (type == CharType::Atm) type = CharType::Opr;
    }
}

// State-machine results: next state plus "drop this character" (M) and "break before it" (B).
struct Next {
    CharType state;
    bool drop;
    bool brk;
};

inline Next next_state(CharType state, CharType type) {
    using C = CharType;
    switch (state) {
    case C::Opr:
    case C::Atm: {
        bool atm_continues = state == C::Atm && type == C::Atm;
        if (type == C::Spc) return {C::Spc, true, true};
        return {type, false, !atm_continues};
    }
    case C::Qst:
        return {type == C::Qst ? C::Opr : C::Qst, false, false};
    case C::Spc:
        return {type, type == C::Spc, false};
    case C::One:
        return {C::Opr, false, false};
    }
    return {C::Atm, false, false};
}

} // namespace

TokenTables make_token_tables(std::string_view operator_chars) {
    static constexpr std::string_view kDelimiters = "()<>,;\r\n";
    TokenTables tables;
    base_table(tables.ext, true, false);
    base_table(tables.internal, true, true);
    base_table(tables.no_comments, false, true);
    for (TokenTable* table : {&tables.ext, &tables.internal, &tables.no_comments}) {
        apply_operators(*table, operator_chars);
        apply_operators(*table, kDelimiters);
    }
    return tables;
}

namespace {

// prescan() over `size` input pieces; `piece_at(i)` gives the byte of piece i and its meta token
// (nullptr for a byte), so that text is scanned in place, not copied into pieces first.
template <typename PieceAt>
PrescanResult prescan_pieces(size_t size, const PieceAt& piece_at, const TokenTable& table,
                             char delim, bool ignore) {
    PrescanResult result;
    Tokens tokens;
    std::string token;
    CharType state = CharType::Atm;
    int comments = 0;
    int angles = 0;
    bool backslash = false;
    size_t i = 0;
    bool too_many = false;
    result.stop = size;
    auto flush = [&] {
        if (token.empty()) return;
        if (tokens.size() >= kMaxAtom) too_many = true;
        tokens.push_back(std::move(token));
        token.clear();
    };
    const bool comments_are_blanks = table.type[static_cast<unsigned char>('(')] == CharType::Spc;
    for (;;) {
        int c = 0;
        if (i < size) {
            const std::pair<char, const Token*> piece = piece_at(i++);
            if (piece.second) {
                // A meta token formed by the rule reader is a token of its own.
                backslash = false;
                flush();
                tokens.push_back(*piece.second);
                state = CharType::Opr;
                continue;
            }
            c = static_cast<unsigned char>(piece.first);
            if (c == 0) break; // text after a NUL is not seen (C strings)
        }
        if (c == 0) {
            if (ignore) break;
            if (state == CharType::Qst) {
                result.errors.emplace_back("553 Unbalanced '\"'");
                c = '"';
            } else if (comments > 0) {
                result.errors.emplace_back("553 Unbalanced '('");
                c = ')';
            } else if (angles > 0) {
                result.errors.emplace_back("553 Unbalanced '<'");
                c = '>';
            } else {
                break;
            }
        } else if (c == static_cast<unsigned char>(delim) && comments <= 0 &&
                   state != CharType::Qst && angles <= 0) {
            result.stop = i - 1;
            break;
        }
        if (backslash) {
            backslash = false;
            if (comments > 0) continue;
            if (c != '!' || state == CharType::Qst) {
                // The escaped byte joins the token as written, backslash kept, uninterpreted.
                token += '\\';
                token += static_cast<char>(c);
                continue;
            }
        }
        if (c == '\\') {
            backslash = true;
        } else if (state == CharType::Qst) {
            // inside quotes nothing is special
        } else if (c == '(' && comments_are_blanks) {
            ++comments;
            continue;
        } else if (c == ')' && comments_are_blanks) {
            if (comments <= 0) {
                if (!ignore) {
                    result.errors.emplace_back("553 Unbalanced ')'");
                    continue;
                }
            } else {
                --comments;
            }
        } else if (comments > 0) {
            continue;
        } else if (c == '<') {
            ++angles;
        } else if (c == '>') {
            if (angles <= 0) {
                if (!ignore) {
                    result.errors.emplace_back("553 Unbalanced '>'");
                    continue;
                }
            } else {
                --angles;
            }
        }
        Next next = next_state(state, table.type[static_cast<unsigned char>(c)]);
        state = next.state;
        if (next.brk) flush();
        if (next.drop || c == '\\') continue; // a backslash is stored with the byte it escapes
        token += static_cast<char>(c);
    }
    flush();
    if (too_many) {
        result.errors.emplace_back("553 5.1.0 prescan: too many tokens");
        return result;
    }
    if (tokens.empty()) return result; // "null leading token": NULL as well
    result.tokens = std::move(tokens);
    return result;
}

} // namespace

PrescanResult prescan(const std::vector<Piece>& input, const TokenTable& table, char delim,
                      bool ignore) {
    return prescan_pieces(
        input.size(),
        [&](size_t i) {
            const Piece& piece = input[i];
            return std::pair<char, const Token*>(piece.c,
                                                 piece.meta.empty() ? nullptr : &piece.meta);
        },
        table, delim, ignore);
}

PrescanResult prescan(std::string_view input, const TokenTable& table, char delim, bool ignore) {
    return prescan_pieces(
        input.size(), [&](size_t i) { return std::pair<char, const Token*>(input[i], nullptr); },
        table, delim, ignore);
}

std::string print_token(const Token& token) {
    if (!is_meta(token)) return token;
    std::string_view name = meta_name(token);
    auto named = [&](std::string_view prefix) {
        std::string out(prefix);
        if (name.size() == 1)
            out += name;
        else {
            out += '{';
            out += name;
            out += '}';
        }
        return out;
    };
    switch (static_cast<Meta>(static_cast<unsigned char>(token[1]))) {
    case Meta::MatchZany:
        return "$*";
    case Meta::MatchAny:
        return "$+";
    case Meta::MatchOne:
        return "$-";
    case Meta::MatchClass:
        return named("$=");
    case Meta::MatchNclass:
        return named("$~");
    case Meta::MatchRepl:
        return "$" + std::string(name);
    case Meta::CanonNet:
        return "$#";
    case Meta::CanonHost:
        return "$@";
    case Meta::CanonUser:
        return "$:";
    case Meta::CallSubr:
        return "$>";
    case Meta::CondIf:
        return "$?";
    case Meta::CondElse:
        return "$|";
    case Meta::CondFi:
        return "$.";
    case Meta::HostBegin:
        return "$[";
    case Meta::HostEnd:
        return "$]";
    case Meta::MatchZero:
        return "$@";
    case Meta::LookupBegin:
        return "$(";
    case Meta::LookupEnd:
        return "$)";
    case Meta::MacroDExpand:
        return named("$&");
    }
    return "$?";
}

std::string print_tokens(const Tokens& tokens) {
    std::string out;
    for (const Token& token : tokens) {
        if (!out.empty()) out += ' ';
        if (is_meta(token))
            out += print_token(token);
        else
            out += token; // no copy of a plain token
    }
    return out;
}

std::string cat_tokens(const Tokens& tokens, size_t first, size_t end, const TokenTables& tables,
                       char space) {
    std::string out;
    cat_tokens_into(out, tokens, first, end, tables, space);
    return out;
}

void cat_tokens_into(std::string& out, const Tokens& tokens, size_t first, size_t end,
                     const TokenTables& tables, char space) {
    out.clear();
    bool previous_atom = false;
    for (size_t i = first; i < end && i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        bool atom = !is_meta(token) && !token.empty() &&
                    tables.internal.type[static_cast<unsigned char>(token[0])] == CharType::Atm;
        if (previous_atom && atom && space != '\0') out += space;
        if (is_meta(token))
            out += print_token(token);
        else
            out += token;
        previous_atom = atom;
    }
}

std::string strip_quotes(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\\') {
            if (++i >= text.size()) break;
            out += text[i];
        } else if (c != '"') {
            out += c;
        }
    }
    return out;
}

} // namespace smaudit::relay
