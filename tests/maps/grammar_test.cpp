// The map grammars have no rule that can loop without consuming input.
#include "grammar/access/access.hpp"
#include "grammar/aliases/aliases.hpp"
#include "grammar/maps/class_file.hpp"

#include <doctest/doctest.h>
#include <tao/pegtl/contrib/analyze.hpp>

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
