// What `smaudit show FILE` prints for a map: the entries walk (for_each_shown_entry) and its
// JSON and terminal writers, whose JSON must stay byte-identical to nlohmann::json's dump.
#include "parse/maps.hpp"
#include "parse/maps_show.hpp"
#include "report/json_writer.hpp"
#include "source/json_string.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace smaudit;
using nlohmann::json;

namespace {

std::string dump(const json& value) {
    return value.dump(2, ' ', false, json::error_handler_t::replace);
}

// The entries as JSON text, checked byte for byte against nlohmann's dump of the same value
// (at the top level and nested in an object).
template <class Map> json shown_entries(const SourceSet& sources, const Map& map) {
    std::ostringstream top;
    write_entries_json(top, sources, map, 0);
    const json entries = json::parse(top.str());
    CHECK(top.str() == dump(entries));
    std::ostringstream nested;
    write_entries_json(nested, sources, map, 1);
    CHECK("{\n  \"entries\": " + nested.str() + "\n}" == dump(json{{"entries", entries}}));
    return entries;
}

template <class Map> std::string shown_terminal(const SourceSet& sources, const Map& map) {
    std::ostringstream out;
    write_entries_terminal(out, sources, map);
    return out.str();
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

} // namespace

TEST_CASE("show: access entries as makemap stores them, in file order") {
    SourceSet sources;
    const FileId id = sources.add("/etc/mail/access",
                                  "# c\nConnect:Foo.EXAMPLE\tREJECT Me \nfoo OK\nFOO REJECT\n");
    std::vector<Diagnostic> diagnostics;
    const ast::AccessFile access = parse_access(sources, id, diagnostics);
    const json expected = json::parse(R"([
        {"key":"connect:foo.example","value":"REJECT Me ","path":"/etc/mail/access","line":2},
        {"key":"foo","value":"OK","path":"/etc/mail/access","line":3}])");
    CHECK(shown_entries(sources, access) == expected);
    CHECK(shown_terminal(sources, access) == "connect:foo.example\tREJECT Me \nfoo\tOK\n");
}

TEST_CASE("show: aliases with joined values, the last duplicate winning") {
    SourceSet sources;
    const FileId id = sources.add("aliases", "Root: a,\n  b\ndup: 1\nx: y\nDup: 2\n");
    std::vector<Diagnostic> diagnostics;
    const ast::AliasesFile aliases = parse_aliases(sources, id, diagnostics);
    const json expected = json::parse(R"([
        {"key":"root","value":"a,  b","path":"aliases","line":1},
        {"key":"x","value":"y","path":"aliases","line":4},
        {"key":"dup","value":"2","path":"aliases","line":5}])");
    CHECK(shown_entries(sources, aliases) == expected);
    CHECK(shown_terminal(sources, aliases) == "root\ta,  b\nx\ty\ndup\t2\n");
}

TEST_CASE("show: latin-1 bytes become the characters they stand for, the JSON stays valid") {
    SourceSet sources;
    const FileId id = sources.add("relay-domains", "caf\xe9.example\nok.example\n");
    std::vector<Diagnostic> diagnostics;
    const ast::ClassFile cls = parse_class_file(sources, id, diagnostics);
    const json shown = shown_entries(sources, cls);
    CHECK(shown[0]["key"] == "caf\xc3\xa9.example");
    CHECK(shown[0]["value"].is_null());
    CHECK(shown[1]["line"] == 2);
    CHECK(shown_terminal(sources, cls) == "caf\xc3\xa9.example\nok.example\n");
    CHECK(bytes_to_utf8("\xc3\xa9 ok") == "\xc3\xa9 ok"); // valid UTF-8 is kept

    std::vector<ShownEntry> walked;
    for_each_shown_entry(sources, cls, [&](const ShownEntry& e) { walked.push_back(e); });
    REQUIRE(walked.size() == 2);
    CHECK(walked[0].key == "caf\xe9.example"); // the walk gives the raw bytes
    CHECK(!walked[0].value);
    CHECK(walked[1].line == 2);
}

TEST_CASE("show: an empty map is an empty array") {
    SourceSet sources;
    const FileId id = sources.add("access", "# nothing\n");
    std::vector<Diagnostic> diagnostics;
    const ast::AccessFile access = parse_access(sources, id, diagnostics);
    CHECK(shown_entries(sources, access) == json::array());
    CHECK(shown_terminal(sources, access).empty());
}

TEST_CASE("show and the reports: strings are escaped as nlohmann::json's dump escapes them") {
    // One escaper (source/json_string.hpp) serves show's maps and the reports' StreamedObject:
    // both checked against dump, UTF-8 and escapes before, inside and after an 8-byte run.
    for (const std::string& text : {
             std::string("plain"),
             std::string(""),
             std::string("\"quoted\" back\\slash /"),
             std::string("\b\f\n\r\t \x01\x1f\x7f"),
             std::string("nul\0byte", 8),
             std::string("caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbf"),
             std::string("\xe9 lone latin-1"),
             std::string("overlong \xc0\xaf \xe0\x80\x80 \xf0\x80\x80\x80"),
             std::string("surrogate \xed\xa0\x80 too big \xf4\x90\x80\x80 \xf5\x80"),
             std::string("truncated \xe2\x82"),
             std::string("\"\xff\"\n"),
             std::string("0123456789abcdef\xc3\xa9"
                         "0123456789abcdef\t0123456789\xe2\x82\xac"),
             std::string("0123456789abcdef\xc3\xa9"
                         "0123456789\xc3"),
         }) {
        CHECK_MESSAGE(json_string(text) ==
                          json(text).dump(-1, ' ', false, json::error_handler_t::replace),
                      text);
        std::ostringstream streamed;
        {
            report::StreamedObject object(streamed, -1); // written out when it goes
            object.member("s", text);
            object.end();
        }
        const json member = {{"s", text}};
        CHECK_MESSAGE(streamed.str() ==
                          member.dump(-1, ' ', false, json::error_handler_t::replace) + "\n",
                      text);
    }
}
