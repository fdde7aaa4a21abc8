// A large makemap source is read in parts on threads (parse/maps_makemap.hpp,
// scan_makemap_parts): the entries, duplicates, comments and syntax diagnostics must be those of
// one scan, wherever the parts are cut and on any number of threads. The split threshold is
// lowered (set_parallel_min_bytes) so that small maps are cut too.
#include "parse/maps.hpp"
#include "source/parallel.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <random>

using namespace smaudit;

namespace {

// The split settings of the process, restored after a test.
struct SplitSettings {
    SplitSettings(unsigned threads, size_t min_bytes) {
        set_work_threads(threads);
        set_parallel_min_bytes(min_bytes);
    }
    ~SplitSettings() {
        set_work_threads(0);
        set_parallel_min_bytes(size_t{4} << 20);
    }
};

struct Parsed {
    ast::AccessFile access;
    ast::KeyValueMap kv;
    std::vector<Diagnostic> diagnostics;
};

Parsed parse_with(const std::string& text, unsigned threads, size_t min_bytes) {
    const SplitSettings settings(threads, min_bytes);
    SourceSet sources;
    const FileId id = sources.add("map", text);
    Parsed out;
    out.access = parse_access(sources, id, out.diagnostics);
    out.kv = parse_kv_map(sources, id, out.diagnostics);
    out.access.text = out.kv.text = {}; // the SourceSet's: compared as offsets
    return out;
}

bool same_entries(const std::vector<ast::MapEntry>& a, const std::vector<ast::MapEntry>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof a[0]) == 0);
}

std::string describe(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const Diagnostic& d : diagnostics) {
        out += d.rule_id + " " + std::to_string(d.where.span.begin) + "-" +
               std::to_string(d.where.span.end) + " " + d.message + " | " + d.label;
        for (const Label& note : d.notes)
            out += " / " + std::to_string(note.where.span.begin) + " " + note.text;
        out += "\n";
    }
    return out;
}

void check_same(const Parsed& one, const Parsed& split) {
    CHECK(same_entries(one.access.entries, split.access.entries));
    CHECK(same_entries(one.kv.entries, split.kv.entries));
    const ast::KeyValueMap* pairs[][2] = {{&one.access, &split.access}, {&one.kv, &split.kv}};
    for (const auto& pair : pairs) {
        const ast::KeyValueMap& a = *pair[0];
        const ast::KeyValueMap& b = *pair[1];
        REQUIRE(a.duplicates.size() == b.duplicates.size());
        for (size_t i = 0; i < a.duplicates.size(); ++i) {
            CHECK(a.duplicates[i].entry == b.duplicates[i].entry);
            CHECK(a.duplicates[i].kept == b.duplicates[i].kept);
        }
        CHECK(a.comments == b.comments);
    }
    CHECK(describe(one.diagnostics) == describe(split.diagnostics));
}

// Each split against one scan: 2, 3 and 7 threads, cut at every few hundred bytes.
void check_splits(const std::string& text) {
    const Parsed one = parse_with(text, 1, 1);
    for (unsigned threads : {2u, 3u, 7u}) {
        CAPTURE(threads);
        check_same(one, parse_with(text, threads, 1));
    }
}

// An access map of every shape a line can take: tagged and untagged keys, duplicates (in other
// case) far apart, comments, blank, valueless, leading-blank, overlong, CRLF, NUL and non-ASCII
// lines.
std::string mixed_map(size_t lines, unsigned seed) {
    std::mt19937 rng(seed);
    std::string text = "# a mixed map\n";
    for (size_t i = 0; i < lines; ++i) {
        switch (rng() % 14) {
        case 0:
            text += "# comment " + std::to_string(i) + "\n";
            break;
        case 1:
            text += "\n";
            break;
        case 2:
            text += "valueless" + std::to_string(i) + ".example\n";
            break;
        case 3:
            text += " leading.example\tOK\n";
            break;
        case 4:
            text +=
                "long" + std::to_string(i) + "\t" + std::string(1000 + rng() % 2100, 'x') + "\n";
            break;
        case 5:
            text += "crlf" + std::to_string(i) + ".example\tREJECT\r\n";
            break;
        case 6:
            text += std::string("nul\0byte", 8) + std::to_string(i) + "\tOK\n";
            break;
        case 7: // a duplicate of an earlier key, in other case
            text += "CONNECT:10." + std::to_string(rng() % 50) + "\tRELAY\n";
            break;
        case 8:
            text += "Connect:10." + std::to_string(rng() % 50) + "\tOK\n";
            break;
        case 9:
            text += "caf\xc3\xa9" + std::to_string(i) + ".example\tERROR:\"550 no\"\n";
            break;
        default:
            text += "From:user" + std::to_string(i) + "@example.org\tREJECT\n";
        }
    }
    return text;
}

} // namespace

TEST_CASE("a map read in parts on threads gives the entries and diagnostics of one scan") {
    SUBCASE("mixed lines") {
        for (unsigned seed : {1u, 2u, 3u})
            check_splits(mixed_map(3000, seed));
    }
    SUBCASE("more syntax errors than the cap of 1000, in every part") {
        std::string text;
        for (int i = 0; i < 5000; ++i)
            text += i % 7 == 0 ? "Connect:10." + std::to_string(i % 40) + " RELAY\n"
                               : "lonely-key" + std::to_string(i) + "\n";
        const Parsed one = parse_with(text, 1, 1);
        CHECK(one.diagnostics.size() == 2 * (SyntaxSink::kMaxPerFile + 1)); // access and kv
        check_splits(text);
    }
    SUBCASE("cuts that fall in an overlong line, a last line without newline, NUL at the end") {
        check_splits(std::string(5000, 'k') + " v\nshort\tOK\nlast\tOK");
        check_splits("a\tOK\n" + std::string(3000, 'x') + std::string("\0tail", 5));
        check_splits("\n\n\n\n");
        check_splits("");
    }
    SUBCASE("random bytes") {
        std::mt19937 rng(7);
        static const char kBytes[] = "ab:#,\" \t\r\n\n\0\xe9";
        const std::string alphabet(kBytes, sizeof kBytes - 1);
        for (int round = 0; round < 40; ++round) {
            std::string text(static_cast<size_t>(rng() % 4000), ' ');
            for (char& c : text)
                c = alphabet[rng() % alphabet.size()];
            check_splits(text);
        }
    }
    SUBCASE("the corpus's access maps and the repository's") {
        size_t maps = 0;
        for (const std::filesystem::path& file : maps_test::known_access_maps()) {
            CAPTURE(file.string());
            check_splits(maps_test::read_file(file));
            ++maps;
        }
        CHECK(maps > 10);
    }
}

TEST_CASE("below the threshold or on one thread a map is read in one scan") {
    const std::string text = mixed_map(200, 5);
    {
        const SplitSettings settings(2, 1);
        CHECK(parallel_parts(text.size()) == 2);
    }
    {
        const SplitSettings settings(2, text.size() + 1);
        CHECK(parallel_parts(text.size()) == 1);
    }
    {
        const SplitSettings settings(1, 1);
        CHECK(parallel_parts(text.size()) == 1);
    }
}
