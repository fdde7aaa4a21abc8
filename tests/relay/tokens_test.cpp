// prescan() against what `sendmail -bt` printed for the same input (sendmail 8.17.1.9, Debian
// 12): V8 configurations scan -bt input with the external table (comments dropped), V9+ with
// parentheses as tokens; rscheck() scans with the internal table.
#include "relay/tokens.hpp"

#include <doctest/doctest.h>

using namespace smaudit::relay;

namespace {

std::string scan(std::string_view input, const TokenTable& table, char delim = ',') {
    PrescanResult result = prescan(input, table, delim);
    return result.tokens ? print_tokens(*result.tokens) : "<null>";
}

} // namespace

TEST_CASE("prescan: default operators .:@[] (V8 and V10 without OperatorChars)") {
    TokenTables tables = make_token_tables(".:@[]");
    CHECK(scan(R"("a b"@x (comment) <u\ser@Example.ORG.>)", tables.ext) ==
          R"("a b" @ x < u\ser @ Example . ORG . >)");
    CHECK(scan(R"("a b"@x (comment) <u\ser@Example.ORG.>)", tables.no_comments) ==
          R"("a b" @ x ( comment ) < u\ser @ Example . ORG . >)");
    CHECK(scan(R"(a\!b@c)", tables.ext) == "a!b @ c");
    CHECK(scan("a%b!c@d", tables.ext) == "a%b!c @ d");
    CHECK(scan(R"(a"b c"d@e)", tables.ext) == R"(a "b c" d @ e)");
    CHECK(scan("x\\", tables.ext) == "x");
    CHECK(scan("<a(b>c)@d>", tables.ext) == "< a @ d >");
    CHECK(scan("Foo Bar <foo@bar>, baz", tables.ext) == "Foo Bar < foo @ bar >");
}

TEST_CASE("prescan: Debian's OperatorChars .:%@!^/[]+") {
    TokenTables tables = make_token_tables(".:%@!^/[]+");
    CHECK(scan("user%other.example@example.org", tables.no_comments) ==
          "user % other . example @ example . org");
    CHECK(scan("uucp!host!user", tables.no_comments) == "uucp ! host ! user");
    CHECK(scan(R"(user\@x@example.org)", tables.no_comments) == R"(user\@x @ example . org)");
    CHECK(scan("<@relay.example:user@other.example>", tables.no_comments) ==
          "< @ relay . example : user @ other . example >");
}

TEST_CASE("prescan: unbalanced input is patched and reported as sendmail does") {
    TokenTables tables = make_token_tables(".:%@!^/[]+");
    PrescanResult open_angle = prescan("<a@b", tables.no_comments, ',');
    REQUIRE(open_angle.tokens);
    CHECK(print_tokens(*open_angle.tokens) == "< a @ b >");
    REQUIRE(open_angle.errors.size() == 1);
    CHECK(open_angle.errors[0] == "553 Unbalanced '<'");
    PrescanResult close_angle = prescan("a@b>", tables.no_comments, ',');
    CHECK(print_tokens(*close_angle.tokens) == "a @ b");
    CHECK(close_angle.errors.at(0) == "553 Unbalanced '>'");
    PrescanResult quote = prescan("\"a@b", tables.no_comments, ',');
    CHECK(print_tokens(*quote.tokens) == "\"a@b\"");
    CHECK(quote.errors.at(0) == "553 Unbalanced '\"'");
    // Nothing but blanks: prescan gives no vector at all.
    CHECK_FALSE(prescan("   ", tables.ext).tokens);
    // More than MAXATOM tokens.
    std::string many;
    for (int i = 0; i < 150; ++i)
        many += "a.";
    CHECK_FALSE(prescan(many, tables.ext).tokens);
}

TEST_CASE("prescan: the internal table (rscheck) drops comments") {
    TokenTables tables = make_token_tables(".:%@!^/[]+");
    CHECK(scan("user (comment) @ example.org", tables.internal, '\0') == "user @ example . org");
}

TEST_CASE("cat_tokens puts the blank only between two atoms; strip_quotes") {
    TokenTables tables = make_token_tables(".:%@!^/[]+");
    Tokens tokens = *prescan("Full Name <a@b.c>", tables.ext).tokens;
    CHECK(cat_tokens(tokens, 0, tokens.size(), tables, ' ') == "Full Name<a@b.c>");
    CHECK(strip_quotes(R"("550 Relaying denied")") == "550 Relaying denied");
    CHECK(strip_quotes(R"(a\"b)") == "a\"b");
}
