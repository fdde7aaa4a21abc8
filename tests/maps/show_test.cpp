// map_show_json: what `smaudit show FILE --format json` prints for a map.
#include "parse/maps.hpp"
#include "parse/maps_show.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using nlohmann::json;

TEST_CASE("show: access entries as makemap stores them, in file order") {
    SourceSet sources;
    const FileId id = sources.add("/etc/mail/access",
                                  "# c\nConnect:Foo.EXAMPLE\tREJECT Me \nfoo OK\nFOO REJECT\n");
    std::vector<Diagnostic> diagnostics;
    const json shown = map_show_json(sources, parse_access(sources, id, diagnostics));
    const json expected = json::parse(R"({"entries":[
        {"key":"connect:foo.example","value":"REJECT Me ","path":"/etc/mail/access","line":2},
        {"key":"foo","value":"OK","path":"/etc/mail/access","line":3}]})");
    CHECK(shown == expected);
}

TEST_CASE("show: aliases with joined values, the last duplicate winning") {
    SourceSet sources;
    const FileId id = sources.add("aliases", "Root: a,\n  b\ndup: 1\nx: y\nDup: 2\n");
    std::vector<Diagnostic> diagnostics;
    const json shown = map_show_json(sources, parse_aliases(sources, id, diagnostics));
    const json expected = json::parse(R"({"entries":[
        {"key":"root","value":"a,  b","path":"aliases","line":1},
        {"key":"x","value":"y","path":"aliases","line":4},
        {"key":"dup","value":"2","path":"aliases","line":5}]})");
    CHECK(shown == expected);
}

TEST_CASE("show: latin-1 bytes become the characters they stand for, the JSON stays valid") {
    SourceSet sources;
    const FileId id = sources.add("relay-domains", "caf\xe9.example\nok.example\n");
    std::vector<Diagnostic> diagnostics;
    const json shown = map_show_json(sources, parse_class_file(sources, id, diagnostics));
    CHECK(shown["entries"][0]["key"] == "caf\xc3\xa9.example");
    CHECK(shown["entries"][0]["value"].is_null());
    CHECK(shown["entries"][1]["line"] == 2);
    CHECK_NOTHROW((void)shown.dump());
    CHECK(bytes_to_utf8("\xc3\xa9 ok") == "\xc3\xa9 ok"); // valid UTF-8 is kept
}
