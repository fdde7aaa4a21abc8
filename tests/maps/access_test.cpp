// The access parser: tags, value kinds, spans and one diagnostic per bad line. Expectations
// come from KB §1.6 and from running makemap by hand (see grammar/maps/makemap.hpp).
#include "parse/maps.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using namespace std::string_literals;
using ast::AccessTag;
using ast::AccessValueKind;

namespace {

struct Parsed {
    SourceSet sources;
    FileId id = 0;
    std::vector<Diagnostic> diagnostics;
    ast::AccessFile map;
    explicit Parsed(std::string text) {
        id = sources.add("access", std::move(text));
        map = parse_access(sources, id, diagnostics);
    }
    std::string_view slice(Span s) const { return sources.get(id).slice(s); }
    const ast::MapEntry* find(std::string_view stored) const {
        for (const auto& e : map.entries)
            if (map.stored_key(e) == stored) return &e;
        return nullptr;
    }
};

} // namespace

TEST_CASE("access: tags are recognised case-insensitively and split from the key") {
    Parsed p("Connect:192.168.1 RELAY\nCONNECT:Spammer.Example REJECT\n"
             "TLS_Srv_Features:x.example Options=+X\nTLS_Srv:secure.example VERIFY:112\n"
             "To:org RELAY\nTry_TLS:b.example NO\nGreetPause: 5000\nexample.edu OK\n"
             "IPv6:2001:db8 RELAY\n[IPv6:2001:db8::1] REJECT\nConect:typo.example REJECT\n"
             "2001:db8::1 RELAY\n");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.map.entries.size() == 12);
    const auto& e = p.map.entries;
    CHECK(e[0].tag == AccessTag::Connect);
    CHECK(p.map.tag_text(e[0]) == "Connect");
    CHECK(p.map.bare_key(e[0]) == "192.168.1");
    CHECK(e[1].tag == AccessTag::Connect);
    CHECK(p.map.stored_key(e[1]) == "connect:spammer.example");
    CHECK(e[2].tag == AccessTag::TlsSrvFeatures); // not TLS_Srv followed by "_Features"
    CHECK(e[3].tag == AccessTag::TlsSrv);
    CHECK(e[4].tag == AccessTag::To);
    CHECK(p.map.bare_key(e[4]) == "org");
    CHECK(e[5].tag == AccessTag::TryTls);
    CHECK(e[6].tag == AccessTag::GreetPause);
    CHECK(p.map.bare_key(e[6]).empty()); // the tag's default entry
    CHECK(e[6].kind == AccessValueKind::Number);
    CHECK(e[7].tag == AccessTag::None);
    CHECK(e[8].tag == AccessTag::None); // IPv6: is part of the key, not a tag
    CHECK(p.map.bare_key(e[8]) == "IPv6:2001:db8");
    CHECK(e[9].tag == AccessTag::None);
    CHECK(e[10].tag == AccessTag::Unknown);
    CHECK(p.map.tag_text(e[10]) == "Conect");
    CHECK(p.map.bare_key(e[10]) == "typo.example");
    CHECK(e[11].tag == AccessTag::Unknown); // IPv6 address without its IPv6: prefix
}

TEST_CASE("access: value kinds come from the first word, case-insensitively") {
    Parsed p("a OK\nb relay\nc REJECT  \nd DISCARD\ne SKIP\nf ERROR:5.7.1:550 No\n"
             "g QUARANTINE:held\nh TEMP:451 later\ni 550 Go away\nj 5000\nk FRIEND\nl hater\n"
             "m OKAY\nn VERIFY:112\no \"ERROR:550 quoted\"\np ERROR: 550 space after colon\n"
             "q 550\nr RELAY.\n");
    REQUIRE(p.diagnostics.empty());
    const std::vector<AccessValueKind> expected = {
        AccessValueKind::Ok,         AccessValueKind::Relay,  AccessValueKind::Reject,
        AccessValueKind::Discard,    AccessValueKind::Skip,   AccessValueKind::Error,
        AccessValueKind::Quarantine, AccessValueKind::Temp,   AccessValueKind::LegacyError,
        AccessValueKind::Number,     AccessValueKind::Friend, AccessValueKind::Hater,
        AccessValueKind::Other,      AccessValueKind::Other,  AccessValueKind::Error,
        AccessValueKind::Error,      AccessValueKind::Number, AccessValueKind::Other};
    REQUIRE(p.map.entries.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(p.map.key(p.map.entries[i]));
        CHECK(p.map.entries[i].kind == expected[i]);
    }
    CHECK(p.find("o")->quoted_value());
    CHECK_FALSE(p.find("f")->quoted_value());
    CHECK(p.map.value(*p.find("c")) == "REJECT  "); // makemap keeps trailing blanks
}

TEST_CASE("access: spans point at the key and the value bytes") {
    Parsed p("# head\nConnect:10.1\t\tRELAY\r\n");
    REQUIRE(p.map.entries.size() == 1);
    const auto& e = p.map.entries[0];
    CHECK(e.key_span() == Span{7, 19});
    CHECK(e.tag_span() == Span{7, 15});
    CHECK(p.slice(e.bare_key_span()) == "10.1");
    CHECK(e.value_span() == Span{21, 27});
    CHECK(p.slice(e.value_span()) == "RELAY\r"); // makemap stores the CR of a CRLF line
    CHECK(p.map.comments.size() == 1);
    CHECK(p.slice(p.map.comments[0]) == "# head");
}

TEST_CASE("access: one diagnostic per bad line, parsing goes on") {
    Parsed p("  lead REJECT\nnoval\nok.example OK\nnoval2   \n\r\nDup OK\ndup REJECT\n"
             "nul\0x REJECT\nafter OK\n"s
             "long " +
             std::string(1100, 'x') + "\nlast RELAY");
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& d : p.diagnostics)
        found.emplace_back(d.rule_id, std::string(p.slice(d.where.span)).substr(0, 12));
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"SM-E201", "  lead REJEC"},
        {"SM-E202", "noval"},
        {"SM-E202", "noval2   "},
        {"SM-E201", "\r"},
        {"SM-E204", std::string("nul\0x REJECT", 12)},
        {"SM-E203", "long xxxxxxx"},
        // The rest of the long line (77 bytes of x) is a line of its own for makemap.
        {"SM-E202", "xxxxxxxxxxxx"},
        {"SM-E205", "dup"},
    };
    CHECK(found == expected);
    for (const auto& d : p.diagnostics)
        CHECK(d.pack == Pack::Syntax);
    std::vector<std::string> keys;
    for (const auto& e : p.map.entries)
        if (!e.duplicate()) keys.push_back(p.map.stored_key(e));
    CHECK(keys == std::vector<std::string>{"ok.example", "dup", "after", "last"});
    REQUIRE(p.map.duplicates.size() == 1);
    CHECK(p.map.value(p.map.entries[p.map.duplicates[0].kept]) == "OK"); // makemap keeps the first
    const Diagnostic& dup = p.diagnostics.back();
    CHECK(dup.message.find("line 6") != std::string::npos);
    REQUIRE(dup.notes.size() == 1);
    CHECK(p.slice(dup.notes[0].where.span) == "Dup");
}

TEST_CASE("access: makemap folds only ASCII letters of the key, never the value") {
    Parsed p("Latin1.\xc9X R\xc9JECT Me\n");
    REQUIRE(p.map.entries.size() == 1);
    CHECK(p.map.stored_key(p.map.entries[0]) == "latin1.\xc9x");
    CHECK(p.map.value(p.map.entries[0]) == "R\xc9JECT Me");
}

TEST_CASE("access: the fixture with every tag parses without diagnostics") {
    SourceSet sources;
    const FileId id = sources.add(
        "tags.access", maps_test::read_file(maps_test::kFixtures + "/access/tags.access"));
    std::vector<Diagnostic> diagnostics;
    const ast::AccessFile map = parse_access(sources, id, diagnostics);
    CHECK(diagnostics.empty());
    CHECK(map.entries.size() == 51); // every line but the comment
    std::set<AccessTag> tags;
    for (const auto& e : map.entries)
        tags.insert(e.tag);
    CHECK(tags.size() == 22); // 20 tags, untagged and unknown
}

TEST_CASE("access keys are classified as sendmail matches them") {
    using K = ast::AccessKeyKind;
    struct Case {
        const char* key;
        K kind;
        int components;
        bool compressed;
    };
    const Case cases[] = {
        {"", K::Empty, 0, false},
        {"10", K::IPv4, 1, false},
        {"192.168", K::IPv4, 2, false},
        {"192.0.2.9", K::IPv4, 4, false},
        {"192.0.2.0/24", K::Other, 0, false}, // no CIDR in access keys
        {"256.1", K::Domain, 2, false},       // not an IPv4 prefix: looked up as a name
        {"1.2.3.4.5", K::Domain, 5, false},
        {"IPv6:2001:db8", K::IPv6, 2, false},
        {"ipv6:::1", K::IPv6, 1, true},
        {"IPv6:0:0:0:0:0:0:0:1", K::IPv6, 8, false},
        {"IPv6:::ffff:192.0.2.1", K::IPv6, 3, true},
        {"2001:db8::1", K::Other, 0, false}, // IPv6 without its prefix never matches
        {"[192.0.2.9]", K::BracketedIp, 0, false},
        {"[IPv6:2001:db8::9]", K::BracketedIp, 0, true},
        {"example.com", K::Domain, 2, false},
        {".example.com", K::Domain, 2, false},
        {"com", K::Domain, 1, false},
        {"user@example.com", K::Address, 0, false},
        {"user@", K::LocalPart, 0, false},
        {"@example.com", K::Other, 0, false},
        {"*", K::Other, 0, false},
        {"a..b", K::Other, 0, false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.key);
        const ast::AccessKeyInfo info = classify_access_key(c.key);
        CHECK(info.kind == c.kind);
        CHECK(info.components == c.components);
        CHECK(info.ipv6_compressed == c.compressed);
    }
}
