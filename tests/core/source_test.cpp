#include "source/source.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

TEST_CASE("line and column from byte offsets") {
    SourceFile f("x", "ab\ncd\r\n\tx\xc3\xa9y\n");
    CHECK(f.line_count() == 3);
    CHECK(f.position(0).line == 1);
    CHECK(f.position(4).line == 2);
    CHECK(f.position(4).column == 2);
    CHECK(f.line_text(2) == "cd");          // CRLF stripped
    // line 3: tab counts one column, é (2 bytes) counts one code point
    uint32_t y = static_cast<uint32_t>(f.text().find('y'));
    CHECK(f.position(y).column == 4);
    CHECK(f.position(static_cast<uint32_t>(f.text().size())).line == 3);
}

TEST_CASE("invalid UTF-8 bytes count one column each") {
    CHECK(count_columns("\xe9t\xe9") == 3);
    CHECK(count_columns("\xc3\xa9") == 1);
    CHECK(count_columns(std::string_view("a\0b", 3)) == 3);
}

TEST_CASE("a file without final newline and an empty file") {
    SourceFile f("x", "one\ntwo");
    CHECK(f.line_count() == 2);
    CHECK(f.line_text(2) == "two");
    SourceFile e("e", "");
    CHECK(e.line_count() == 1);
    CHECK(e.position(0).line == 1);
}
