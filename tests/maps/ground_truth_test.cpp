// Agreement with sendmail's own map builders: every access map, key/value map, aliases file
// and class file of the corpus and of fixtures/parse/maps is built by the real tool, dumped,
// and compared with what the parser says sendmail stores. Also the number of complaints the
// tool prints must equal the number of syntax diagnostics.
#include "parse/maps.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

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
    if (parsed == expected && diagnostics.size() == complaints) ++tally.agreed;
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
    std::map<std::string, std::string> parsed;
    for (const ast::AliasEntry& e : parsed_file.entries)
        if (!e.overridden()) parsed[parsed_file.key(e)] = std::string(parsed_file.value(e));
    CAPTURE(show(expected));
    CAPTURE(show(parsed));
    CHECK(parsed == expected);
    CHECK(diagnostics.size() == complaints);
    ++tally.compared;
    if (parsed == expected && diagnostics.size() == complaints) ++tally.agreed;
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
    for (const auto& f : files_in(kCorpus + "/access"))
        check_makemap(f, true, tally);
    for (const auto& f : files_in(kFixtures + "/access"))
        check_makemap(f, true, tally);
    for (const auto& f : files_in(kFixtures + "/kv"))
        check_makemap(f, false, tally);
    MESSAGE("makemap agreement: " << tally.agreed << "/" << tally.compared << " files");
    CHECK(tally.compared >= 14);
    CHECK(tally.agreed == tally.compared);
}

TEST_CASE("aliases: the parser stores what newaliases stores") {
    Tally tally;
    for (const auto& f : files_in(kCorpus + "/aliases"))
        check_newaliases(f, tally);
    for (const auto& f : files_in(kFixtures + "/aliases"))
        check_newaliases(f, tally);
    MESSAGE("newaliases agreement: " << tally.agreed << "/" << tally.compared << " files");
    CHECK(tally.compared >= 8);
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
