// Rule sides split into sendmail's tokens (model/rewrite_tokens.hpp), so the relay rules compare
// rules whatever blanks they are written with.
#include "model/rewrite_tokens.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace smaudit::model;
using Tokens = std::vector<std::string>;

TEST_CASE("rule sides split as sendmail splits them") {
    CHECK(rewrite_tokens("$#OK") == Tokens{"$#", "OK"});
    CHECK(rewrite_tokens("$# OK") == rewrite_tokens("$#OK"));
    CHECK(rewrite_tokens("<$* : $=w . : $*> $*") == rewrite_tokens("< $* : $=w. : $* > $*"));
    CHECK(rewrite_tokens("$+ < @ $* $=m >") == Tokens{"$+", "<", "@", "$*", "$=m", ">"});
    CHECK(rewrite_tokens("$: <?> $>CanonAddr $&f") ==
          Tokens{"$:", "<", "?", ">", "$>", "CanonAddr", "$&f"});
    CHECK(rewrite_tokens("$* $| $={TrustAuthMech}") == Tokens{"$*", "$|", "$={TrustAuthMech}"});
    CHECK(rewrite_tokens("$#error $@ 5.7.1 $: \"550 Relaying denied\"") ==
          Tokens{"$#", "error", "$@", "5", ".", "7", ".", "1", "$:", "\"550 Relaying denied\""});
    CHECK(rewrite_tokens("<F:$1@$2>") == Tokens{"<", "F", ":", "$1", "@", "$2", ">"});
    CHECK(rewrite_tokens("${deliveryMode}") == Tokens{"${deliveryMode}"});
    CHECK(rewrite_tokens("").empty());
    CHECK(rewrite_tokens(" \t ").empty());
}

TEST_CASE("ruleset calls, sequences and patterns that match every address") {
    CHECK(called_rulesets(rewrite_tokens("$: $1 $| $>\"Local_check_rcpt\" $1")) ==
          Tokens{"Local_check_rcpt"});
    CHECK(called_rulesets(rewrite_tokens("$: $>Parse0 $>3 $1")) == Tokens{"Parse0", "3"});
    CHECK(called_rulesets(rewrite_tokens("$>")).empty());
    CHECK(has_sequence(rewrite_tokens("$: <@> $>SearchList <! From> $| <F:$1@$2> <>"),
                       {"<", "!", "From", ">"}));
    CHECK_FALSE(has_sequence(rewrite_tokens("$>SearchList <+ From>"), {"<", "!", "From", ">"}));
    for (const char* lhs : {"$*", "$+", "$* $*", "$+ $*", "$+ $+ $+"})
        CHECK_MESSAGE(matches_every_address(rewrite_tokens(lhs)), lhs);
    for (const char* lhs : {"", "$-", "$=w", "$@", "$+ $+ $+ $+", "$* < @ $* >", "$* $| $*"})
        CHECK_MESSAGE(!matches_every_address(rewrite_tokens(lhs)), lhs);
}

TEST_CASE("any bytes split without reading past them") {
    std::mt19937 random(14);
    const std::string alphabet = "$*+-#@:|&=~>{}\"\\ \t.<>()RAab1\x80\xff";
    for (int round = 0; round < 2000; ++round) {
        std::string side;
        for (size_t n = random() % 24; n > 0; --n)
            side += alphabet[random() % alphabet.size()];
        size_t bytes = 0;
        for (const std::string& token : rewrite_tokens(side)) {
            CHECK(!token.empty());
            bytes += token.size();
        }
        CHECK(bytes <= side.size());
        called_rulesets(rewrite_tokens(side));
    }
}
