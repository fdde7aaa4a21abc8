// The grammar itself: no rule can loop without consuming input (PEGTL's analyze).
#include "grammar/cf/cf.hpp"

#include <doctest/doctest.h>
#include <tao/pegtl/contrib/analyze.hpp>

namespace g = smaudit::grammar::cf;

TEST_CASE("cf grammar has no infinite loops") {
    CHECK(tao::pegtl::analyze<g::file>() == 0);
    CHECK(tao::pegtl::analyze<g::statement>() == 0);
}

TEST_CASE("physical layer: a line starting with a blank continues the previous one") {
    using namespace tao::pegtl;
    memory_input<> folded("Cw a\n\tb\n", "");
    CHECK(parse<seq<g::logical_line, one<'\n'>, eof>>(folded));
    memory_input<> two_lines("Cw a\nCw b", "");
    CHECK_FALSE(parse<seq<g::logical_line, eof>>(two_lines));
}

TEST_CASE("every error point has an SM-E code and a message") {
    auto check = [](const g::ErrorInfo& info) {
        REQUIRE(info.code != nullptr);
        CHECK(std::string_view(info.code).substr(0, 5) == "SM-E0");
        REQUIRE(info.message != nullptr);
        CHECK(std::string_view(info.message).size() > 10);
    };
    check(g::error<g::err::unknown_line_type>);
    check(g::error<g::err::option_letter_missing>);
    check(g::error<g::err::option_letter_blank>);
    check(g::error<g::err::option_name_missing>);
    check(g::error<g::err::rule_tab_missing>);
    check(g::error<g::err::rule_lhs_empty>);
    check(g::error<g::err::rule_rhs_empty>);
    check(g::error<g::err::field_name_missing>);
    check(g::error<g::err::field_equals_missing>);
    check(g::error<g::err::macro_name_missing>);
    check(g::error<g::err::macro_name_unbalanced>);
    check(g::error<g::err::macro_name_char>);
    check(g::error<g::err::header_condition_unterminated>);
    check(g::error<g::err::header_name_missing>);
    check(g::error<g::err::header_colon_missing>);
    check(g::error<g::err::map_name_missing>);
    check(g::error<g::err::map_type_missing>);
    check(g::error<g::err::ruleset_name_invalid>);
    check(g::error<g::err::ruleset_number_missing>);
    check(g::error<g::err::version_level_missing>);
    check(g::error<g::err::precedence_equals_missing>);
}
