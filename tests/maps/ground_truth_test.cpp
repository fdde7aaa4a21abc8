// Agreement with sendmail's own map builders: every access map, key/value map, aliases file
// and class file of the corpus and of fixtures/parse/maps is built by the real tool, dumped,
// and compared with what the parser says sendmail stores. Also the number of complaints the
// tool prints must equal the number of syntax diagnostics.
#include "parse/maps.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <utility>

using namespace smaudit;
using namespace maps_test;

namespace {

const char* kSendmail = "unshare -u sh -c 'hostname mx.example.test; exec sendmail -C %s "
                        "-O ServiceSwitchFile=/etc/mail/service.switch-nodns %s'";

std::string sendmail_command(const std::string& cf, const std::string& args) {
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, kSendmail, cf.c_str(), args.c_str());
    return buffer;
}

// With SMAUDIT_KEEP_FAILED=DIR, inputs that disagree are copied there for a closer look.
void keep_failed(const std::filesystem::path& file) {
    if (const char* dir = std::getenv("SMAUDIT_KEEP_FAILED"))
        std::filesystem::copy_file(file, std::filesystem::path(dir) / file.filename(),
                                   std::filesystem::copy_options::overwrite_existing);
}

struct Tally {
    int agreed = 0;
    int compared = 0;
};

// makemap hash OUT < FILE; makemap -u hash OUT. `access` selects the access parser.
void check_makemap(const std::filesystem::path& file, bool access, Tally& tally) {
    CAPTURE(file.string());
    TempDir dir;
    const std::string out = (dir.path / "map").string();
    run("makemap hash " + out + " < '" + file.string() + "' 2> " + out + ".err");
    REQUIRE(run("makemap -u hash " + out + " > " + out + ".dump 2> /dev/null") == 0);
    const auto expected = parse_dump(read_file(out + ".dump"));
    const size_t complaints = count_line_messages(read_file(out + ".err"));

    SourceSet sources;
    const FileId id = sources.add(file.string(), read_file(file));
    std::vector<Diagnostic> diagnostics;
    ast::KeyValueMap map =
        access ? parse_access(sources, id, diagnostics) : parse_kv_map(sources, id, diagnostics);
    std::map<std::string, std::string> parsed;
    for (const ast::MapEntry& e : map.entries)
        if (!e.duplicate()) parsed.emplace(map.stored_key(e), std::string(map.value(e)));
    CAPTURE(show(expected));
    CAPTURE(show(parsed));
    CHECK(parsed == expected);
    CHECK(diagnostics.size() == complaints);
    ++tally.compared;
    if (parsed == expected && diagnostics.size() == complaints)
        ++tally.agreed;
    else
        keep_failed(file);
}

void check_newaliases(const std::filesystem::path& file, Tally& tally) {
    CAPTURE(file.string());
    TempDir dir;
    const std::string aliases = (dir.path / "aliases").string();
    write_file(aliases, read_file(file));
    run(sendmail_command("/etc/mail/sendmail.cf", "-O AliasFile=" + aliases + " -bi") + " > " +
        aliases + ".err 2>&1");
    REQUIRE(run("makemap -u hash " + aliases + " > " + aliases + ".dump 2> /dev/null") == 0);
    auto expected = parse_dump(read_file(aliases + ".dump"));
    // newaliases adds the key "@" (value "@") to mark the database complete; the makemap -u
    // dump shows keys without the trailing NUL newaliases stores (makemap strips it).
    REQUIRE(expected.count("@") == 1);
    expected.erase("@");
    // sendmail -bi reports problems on stdout: "FILE: line 5: dup... Warning: duplicate ...".
    const size_t complaints = count_line_messages(read_file(aliases + ".err"));

    SourceSet sources;
    const FileId id = sources.add(file.string(), read_file(file));
    std::vector<Diagnostic> diagnostics;
    const ast::AliasesFile parsed_file = parse_aliases(sources, id, diagnostics);
    std::string dumped;
    for (const ast::AliasEntry& e : parsed_file.entries)
        if (!e.overridden()) dumped += parsed_file.key(e) + "\t" + parsed_file.value(e) + "\n";
    // Compared as makemap -u prints them: a key with an escaped TAB splits like sendmail's.
    const auto parsed = parse_dump(dumped);
    CAPTURE(show(expected));
    CAPTURE(show(parsed));
    CHECK(parsed == expected);
    CHECK(diagnostics.size() == complaints);
    ++tally.compared;
    if (parsed == expected && diagnostics.size() == complaints)
        ++tally.agreed;
    else
        keep_failed(file);
}

// `$=R` in sendmail -bt after `FR FILE` (pattern %s) and `F{S}FILE %[^\#]`.
std::set<std::string> sendmail_class(const std::string& cf, const std::string& cls) {
    TempDir dir;
    const std::string out = (dir.path / "out").string();
    run("printf '$=" + cls + "\\n' | " + sendmail_command(cf, "-bt") + " > " + out + " 2>&1");
    std::set<std::string> words;
    std::istringstream in(read_file(out));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("> ", 0) == 0) line = line.substr(2);
        if (line.empty() || line == ">" || line.rfind("ADDRESS TEST MODE", 0) == 0 ||
            line.rfind("Enter <ruleset>", 0) == 0)
            continue;
        words.insert(line);
    }
    return words;
}

void check_class_file(const std::filesystem::path& file, Tally& tally) {
    CAPTURE(file.string());
    TempDir dir;
    const std::string copy = (dir.path / "class").string();
    write_file(copy, read_file(file));
    const std::string cf = (dir.path / "test.cf").string();
    // The scratch directory is under world-writable /tmp: sendmail needs leave to read it.
    write_file(cf, "V10\nO DontBlameSendmail=ClassFileInUnsafeDirPath\nFR" + copy + "\nF{S}" +
                       copy + " %[^\\#]\nMlocal, P=/bin/true, F=lA, A=x\n");
    SourceSet sources;
    const FileId id = sources.add(file.string(), read_file(file));
    for (auto [cls, pattern] : {std::pair{"R", ast::ClassPattern::FirstWord},
                                std::pair{"{S}", ast::ClassPattern::WordsBeforeHash}}) {
        CAPTURE(cls);
        const auto expected = sendmail_class(cf, cls);
        std::vector<Diagnostic> diagnostics;
        const ast::ClassFile parsed_file = parse_class_file(sources, id, diagnostics, pattern);
        std::set<std::string> parsed;
        for (const Span& w : parsed_file.words)
            parsed.insert(std::string(parsed_file.word(w)));
        CHECK(parsed == expected);
        ++tally.compared;
        if (parsed == expected) ++tally.agreed;
    }
}

} // namespace

TEST_CASE("access and key/value maps: the parser stores what makemap stores") {
    Tally tally;
    // The corpus is ../shared beside the checkout (CI has it); without it, fixtures only.
    const bool corpus = std::filesystem::is_directory(kCorpus + "/access");
    if (!corpus) MESSAGE("no corpus at " << kCorpus << ": fixtures only");
    for (const auto& f :
         corpus ? files_in(kCorpus + "/access") : std::vector<std::filesystem::path>{})
        check_makemap(f, true, tally);
    for (const auto& f : files_in(kFixtures + "/access"))
        check_makemap(f, true, tally);
    for (const auto& f : files_in(kFixtures + "/kv"))
        check_makemap(f, false, tally);
    MESSAGE("makemap agreement: " << tally.agreed << "/" << tally.compared << " files");
    CHECK(tally.compared >= (corpus ? 14 : 7));
    CHECK(tally.agreed == tally.compared);
}

TEST_CASE("aliases: the parser stores what newaliases stores") {
    Tally tally;
    const bool corpus = std::filesystem::is_directory(kCorpus + "/aliases");
    if (!corpus) MESSAGE("no corpus at " << kCorpus << ": fixtures only");
    for (const auto& f :
         corpus ? files_in(kCorpus + "/aliases") : std::vector<std::filesystem::path>{})
        check_newaliases(f, tally);
    for (const auto& f : files_in(kFixtures + "/aliases"))
        check_newaliases(f, tally);
    MESSAGE("newaliases agreement: " << tally.agreed << "/" << tally.compared << " files");
    CHECK(tally.compared >= (corpus ? 8 : 1));
    CHECK(tally.agreed == tally.compared);
}

TEST_CASE("class files: the parser reads the words sendmail puts into the class") {
    Tally tally;
    for (const auto& f : files_in(kFixtures + "/class"))
        check_class_file(f, tally);
    MESSAGE("class file agreement: " << tally.agreed << "/" << tally.compared << " readings");
    CHECK(tally.compared >= 2);
    CHECK(tally.agreed == tally.compared);
}

namespace {

// Random files made of the bytes these formats are sensitive to (blanks at line start, CR,
// '#', '\', quotes, specials, NUL, long lines), for differential tests against the real tools.
// Alias names are drawn from pieces whose handling by sendmail's address parser is modelled;
// names the parser knowingly does not follow are left out: two '@' (sendmail adds a second
// complaint, "Invalid route address"), double quotes (sendmail sometimes
// strips them from the stored key), names longer than sendmail's token limit, an unclosed '<',
// ',' or ';' in a name, '@' or '%' at either end of a name (sendmail prints a second complaint), a
// lone '!' (sendmail's rulesets recurse). Values may hold anything.
std::string random_map_text(std::mt19937& rng, bool aliases) {
    static const char* const kPieces[] = {
        "a",  "B",  "key", "Connect:", "To:", "x.example",  "\xe9",  " ",
        "  ", "\t", "\r",  "#",        "\\",  "\"",         ":",     ",",
        "@",  "!",  "(c)", "<h>",      "OK",  "|/bin/prog", "/file", "%",
    };
    static const char* const kNamePieces[] = {
        "a",     "B",          "key", "x.example", "\xe9", " ",   "\t", "(c)", "OK",
        "/file", "|/bin/prog", "#",   "a@b",       "u%h",  "h!u", "\\", "\r",
    };
    auto piece = [&](bool name) {
        return name ? kNamePieces[rng() % std::size(kNamePieces)]
                    : kPieces[rng() % std::size(kPieces)];
    };
    std::string text;
    const int lines = static_cast<int>(rng() % 30);
    for (int l = 0; l < lines; ++l) {
        if (aliases) {
            const int name_pieces = static_cast<int>(rng() % 3);
            bool at_sign = false;
            for (int p = 0; p < name_pieces; ++p) {
                std::string name_piece = piece(true);
                if (name_piece.find('@') != std::string::npos && std::exchange(at_sign, true))
                    name_piece = "a"; // a second '@' adds "Invalid route address"
                text += name_piece;
            }
            if (rng() % 4) {
                text += rng() % 2 ? ": " : ":";
                const int value_pieces = static_cast<int>(rng() % 6);
                for (int p = 0; p < value_pieces; ++p)
                    text += piece(false);
            }
        } else {
            const int pieces = static_cast<int>(rng() % 8);
            for (int p = 0; p < pieces; ++p) {
                text += piece(false);
                if (p == 0 && rng() % 3) text += " ";
            }
        }
        const size_t newline = text.rfind('\n');
        const size_t colon = text.rfind(':');
        const bool in_value = !aliases || (colon != std::string::npos &&
                                           (newline == std::string::npos || colon > newline));
        if (rng() % 60 == 0) text += '\0';
        if (rng() % 80 == 0 && in_value) text += std::string(1000 + rng() % 100, 'L');
        if (rng() % 25 == 0) text += '\\';
        text += '\n';
    }
    if (rng() % 4 == 0 && !text.empty()) text.pop_back(); // no newline at the end
    return text;
}

} // namespace

// Known difference, seen once in 800 random files (SMAUDIT_RANDOM_SEED=1234, 200 rounds): after
// a line with a NUL byte, newaliases throws away a `\`-continued line, an empty line and one
// more line; the parser drops only the first two. Not modelled: the rule behind it is unclear.
TEST_CASE("random files: the parsers store what makemap and newaliases store") {
    // SMAUDIT_RANDOM_SEED and SMAUDIT_RANDOM_ROUNDS explore further than the default run.
    const char* seed = std::getenv("SMAUDIT_RANDOM_SEED");
    const char* rounds_env = std::getenv("SMAUDIT_RANDOM_ROUNDS");
    std::mt19937 rng(seed ? static_cast<unsigned>(std::stoul(seed)) : 20261128u);
    const int rounds = rounds_env ? std::stoi(rounds_env) : 60;
    TempDir dir;
    Tally makemap_tally;
    Tally aliases_tally;
    for (int round = 0; round < rounds; ++round) {
        const auto access = dir.path / ("access" + std::to_string(round));
        write_file(access, random_map_text(rng, false));
        check_makemap(access, true, makemap_tally);
        const auto aliases = dir.path / ("aliases" + std::to_string(round));
        write_file(aliases, random_map_text(rng, true));
        check_newaliases(aliases, aliases_tally);
    }
    MESSAGE("random makemap agreement: " << makemap_tally.agreed << "/" << makemap_tally.compared
                                         << ", random newaliases agreement: "
                                         << aliases_tally.agreed << "/" << aliases_tally.compared);
    CHECK(makemap_tally.agreed == makemap_tally.compared);
    CHECK(aliases_tally.agreed == aliases_tally.compared);
}
