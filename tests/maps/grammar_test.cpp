// The map grammars have no rule that can loop without consuming input.
#include "grammar/access/access.hpp"
#include "grammar/aliases/aliases.hpp"
#include "grammar/maps/class_file.hpp"

#include <doctest/doctest.h>
#include <tao/pegtl/contrib/analyze.hpp>

#include <cctype>
#include <random>
#include <string>

namespace pegtl = tao::pegtl;
using namespace smaudit::grammar;

TEST_CASE("map grammars are free of infinite loops") {
    CHECK(pegtl::analyze<access::line>(-1) == 0);
    CHECK(pegtl::analyze<makemap::line<makemap::plain_key, makemap::plain_value>>(-1) == 0);
    CHECK(pegtl::analyze<aliases::entry>(-1) == 0);
    CHECK(pegtl::analyze<aliases::target_list>(-1) == 0);
    CHECK(pegtl::analyze<class_file::first_word_line>(-1) == 0);
    CHECK(pegtl::analyze<class_file::words_before_hash_line>(-1) == 0);
}

TEST_CASE("find_blank finds the first C isspace() byte, eight bytes at a time or one") {
    std::mt19937 rng(7);
    const std::string bytes = std::string("a \t\n\v\f\r\x08\x0e\x1f\x21\x20\xa0\x89\x8d\0z", 17);
    for (int round = 0; round < 20000; ++round) {
        std::string text(rng() % 40, 'x');
        for (char& c : text)
            if (rng() % 6 == 0) c = bytes[rng() % bytes.size()];
        const char* begin = text.data();
        const char* end = begin + text.size();
        const char* expected = begin;
        while (expected != end && !std::isspace(static_cast<unsigned char>(*expected)))
            ++expected;
        CAPTURE(text);
        REQUIRE(makemap::find_blank(begin, end) == expected);
    }
}
