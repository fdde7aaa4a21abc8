// The access parser reads the common line shapes by hand before the grammar
// (parse/access_line.hpp): wherever the hand-written path takes a line, its entry must be the
// grammar's, and it must leave every line the grammar rejects to the grammar. Checked line by line
// on generated lines built from the grammar's pieces (tags, keywords, digits, quotes, blanks in
// every case) and on whole maps (the corpus's, the repository's, generated) parsed with and without
// it.
#include "parse/access_line.hpp"
#include "parse/maps.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <random>

using namespace smaudit;

namespace {

bool same(const ast::MapEntry& a, const ast::MapEntry& b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Text in random case.
std::string any_case(std::string text, std::mt19937& rng) {
    for (char& c : text)
        if (rng() % 2) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string pick(const std::vector<std::string>& options, std::mt19937& rng) {
    return options[rng() % options.size()];
}

std::string random_line(std::mt19937& rng) {
    static const std::vector<std::string> leads = {"", "", "", "", "", " ", "\t", "#", "\r"};
    static const std::vector<std::string> tags = {"",
                                                  "",
                                                  "",
                                                  "connect:",
                                                  "from:",
                                                  "to:",
                                                  "spam:",
                                                  "greetpause:",
                                                  "clientrate:",
                                                  "clientconn:",
                                                  "qgrp:",
                                                  "srv_features:",
                                                  "clt_features:",
                                                  "try_tls:",
                                                  "tls_clt:",
                                                  "tls_srv:",
                                                  "tls_rcpt:",
                                                  "tls_srv_features:",
                                                  "tls_clt_features:",
                                                  "certissuer:",
                                                  "certsubject:",
                                                  "authinfo:",
                                                  "compat:",
                                                  "conect:",
                                                  "ipv6:",
                                                  "[ipv6:",
                                                  ":",
                                                  "to",
                                                  "tls_srv_feature:",
                                                  "connectx:",
                                                  "from::",
                                                  "a:b:"};
    static const std::vector<std::string> keys = {
        "",           "10.1.2", "example.com",  "user@example.org", "2001:db8::1",
        "*.x",        "a\"b",   "192.0.2.0/24", "k\xc3\xa9y",       "x:y",
        "[10.0.0.1]", ":"};
    static const std::vector<std::string> separators = {"", " ", "\t", " \t ", "\v", "\f", "  \r"};
    static const std::vector<std::string> values = {
        "ok",    "relay",       "reject",     "discard", "skip", "friend", "hater",    "error:",
        "error", "quarantine:", "quarantine", "temp:",   "temp", "550",    "5000",     "55",
        "5501",  "4.2",         "",           "x",       "rela", "okay",   "rejected", "0"};
    static const std::vector<std::string> tails = {
        "", "", " ", "\t", "\r", "\"", "x", ":", " 5.7.1 no", "  ", " \r", "\"\t", "550", "\" "};
    std::string line =
        pick(leads, rng) + any_case(pick(tags, rng), rng) + pick(keys, rng) + pick(separators, rng);
    if (rng() % 4 == 0) line += '"';
    line += any_case(pick(values, rng), rng) + pick(tails, rng);
    if (rng() % 5 == 0) line += pick(tails, rng);
    return line;
}

struct Tally {
    size_t fast = 0, lines = 0;
};

void check_line(std::string_view line, Tally& tally) {
    CAPTURE(line);
    const std::optional<ast::MapEntry> fast = access_line_fast(line);
    const std::optional<ast::MapEntry> grammar = access_line_grammar(line);
    ++tally.lines;
    if (!fast) return; // left to the grammar
    ++tally.fast;
    REQUIRE(grammar.has_value());
    CHECK(same(*fast, *grammar));
}

// Every line of a text (as makemap's pieces are cut at newlines).
void check_lines(std::string_view text, Tally& tally) {
    for (size_t at = 0; at < text.size();) {
        size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        if (nl - at <= 1023) check_line(text.substr(at, nl - at), tally);
        at = nl + 1;
    }
}

std::string describe(const ast::AccessFile& map, const std::vector<Diagnostic>& diagnostics) {
    std::string out = std::to_string(map.entries.size()) + " entries\n";
    for (const ast::MapEntry& e : map.entries)
        out.append(reinterpret_cast<const char*>(&e), sizeof e);
    for (const ast::MapDuplicate& d : map.duplicates)
        out += std::to_string(d.entry) + ">" + std::to_string(d.kept) + ",";
    for (const Diagnostic& d : diagnostics)
        out += d.rule_id + std::to_string(d.where.span.begin) + d.message + "\n";
    return out;
}

// A whole map parsed with the hand-written path and without it.
void check_map(const std::string& text) {
    SourceSet sources;
    const FileId id = sources.add("access", text);
    std::vector<Diagnostic> with_fast, grammar_only;
    const ast::AccessFile a = parse_access(sources, id, with_fast);
    set_access_fast_path(false);
    const ast::AccessFile b = parse_access(sources, id, grammar_only);
    set_access_fast_path(true);
    CHECK(describe(a, with_fast) == describe(b, grammar_only));
}

} // namespace

TEST_CASE("the hand-written access line reader agrees with the grammar on generated lines") {
    std::mt19937 rng(2026);
    Tally tally;
    for (int i = 0; i < 200000; ++i)
        check_line(random_line(rng), tally);
    // It takes many of them (the others start with a blank or a #, or have no value, or empty
    // keys and separators made them so).
    CHECK(tally.fast > tally.lines / 3);
    Tally edges;
    for (const char* line : {"k v",
                             "k\tv",
                             "Connect:\tOK",
                             "connect: OK",
                             "k \"",
                             "k \"\"",
                             "k \"OK\"",
                             "k \"OK",
                             "k 550 x",
                             "k 550",
                             "k 5000\r",
                             "k 5000 x",
                             "k ERROR:\"550 no\"",
                             "IPv6:1:2 RELAY",
                             "To:IPv6:1::2 OK",
                             "k  ",
                             "k",
                             " k v",
                             "#k v",
                             "k v\r",
                             "a:b c",
                             ":a b",
                             "k v v v"})
        check_line(line, edges);
    CHECK(edges.fast == 19); // all but "k  ", "k", " k v" and "#k v"
}

TEST_CASE("an access map parsed with the hand-written reader is the grammar's, entry for entry") {
    SUBCASE("the corpus's access maps and the repository's") {
        size_t maps = 0;
        Tally tally;
        for (const std::filesystem::path& file : maps_test::known_access_maps()) {
            CAPTURE(file.string());
            const std::string text = maps_test::read_file(file);
            check_lines(text, tally);
            check_map(text);
            ++maps;
        }
        CHECK(maps > 10);
        CHECK(tally.fast > 100);
    }
    SUBCASE("generated maps") {
        std::mt19937 rng(99);
        for (int round = 0; round < 20; ++round) {
            std::string text;
            for (int i = 0; i < 500; ++i)
                text += random_line(rng) + (rng() % 50 == 0 ? "\r\n" : "\n");
            check_map(text);
        }
        // The benchmark's shapes (bench/maps/generate.py).
        std::string bench;
        for (int i = 0; i < 2000; ++i)
            bench += std::string(i % 3 ? "Connect:" : "") + "host" + std::to_string(i) +
                     ".example" + std::to_string(i % 97) + ".com\t" +
                     (i % 4 ? "ERROR:4.7.1:451 Try again later" : "\"OK\"") + "\n";
        check_map(bench);
    }
}
