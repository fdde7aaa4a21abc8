// The PEGTL lexer of m4 (grammar/m4/lexer.hpp via parse/m4_lexer.cpp).
#include "grammar/m4/lexer.hpp"
#include "parse/m4_lexer.hpp"

#include <doctest/doctest.h>

using namespace smaudit::m4;

namespace {
const Delims kDefault{"`", "'", "#", "\n"};
}

TEST_CASE("the m4 token grammar has no infinite loops") {
    CHECK(tao::pegtl::analyze<grammar::token>() == 0);
}

TEST_CASE("token kinds and lengths") {
    auto t = lex_token("define(x)", kDefault, false);
    CHECK(t.kind == TokenKind::Name);
    CHECK(t.length == 6);
    t = lex_token("`a`b'c' rest", kDefault, false);
    CHECK(t.kind == TokenKind::Quoted);
    CHECK(t.length == 7);
    t = lex_token("# comment\nnext", kDefault, false);
    CHECK(t.kind == TokenKind::Comment);
    CHECK(t.length == 10);
    CHECK(lex_token("(", kDefault, false).kind == TokenKind::Open);
    CHECK(lex_token(",", kDefault, false).kind == TokenKind::Comma);
    CHECK(lex_token(")", kDefault, false).kind == TokenKind::Close);
    t = lex_token(" \t\n x", kDefault, false);
    CHECK(t.kind == TokenKind::Space);
    CHECK(t.length == 4);
    t = lex_token("$1=.x", kDefault, false); // a run of plain text up to the name
    CHECK(t.kind == TokenKind::Other);
    CHECK(t.length == 1);
    t = lex_token("=.-x", kDefault, false);
    CHECK(t.length == 3);
    CHECK(lex_token("1abc", kDefault, false).length == 1); // names never start with a digit
}

TEST_CASE("run-time delimiters") {
    const Delims brackets{"[", "]", "", ""}; // comments off, as after cfhead.m4's changecom()
    auto t = lex_token("[a[b]c]x", brackets, false);
    CHECK(t.kind == TokenKind::Quoted);
    CHECK(t.length == 7);
    t = lex_token("# not a comment", brackets, false);
    CHECK(t.kind == TokenKind::Other);
    const Delims multi{"<<", ">>", "/*", "*/"};
    t = lex_token("<<a<b>>c>>!", multi, false); // a lone < does not nest
    CHECK(t.kind == TokenKind::Quoted);
    CHECK(t.length == 7);
    t = lex_token("<<a<<b>>c>>!", multi, false);
    CHECK(t.length == 11);
    CHECK(lex_token("/* x */y", multi, false).length == 7);
    CHECK(lex_token("<x", multi, false).kind == TokenKind::Other);
}

TEST_CASE("tokens that may continue in the input below") {
    CHECK(lex_token("`open", kDefault, true).incomplete);
    CHECK(lex_token("# open", kDefault, true).incomplete);
    const Delims multi{"<<", ">>", "#", "\n"};
    CHECK(lex_token("<", multi, true).incomplete); // maybe the start of <<
    auto t = lex_token("`open", kDefault, false);
    CHECK(t.unterminated);
    CHECK(t.length == 5);
    CHECK_FALSE(lex_token("name", kDefault, true).incomplete); // the engine looks below itself
}
