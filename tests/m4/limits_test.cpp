// Bad input and runaway definitions: always a clear SM-E1xx diagnostic with a location, never a
// hang, a crash or unbounded memory.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {

struct Run {
    SourceSet sources;
    FileId file = kNoFile;
    m4::Expansion e;
};

std::unique_ptr<Run> run(const std::string& text, m4::ExpandOptions options = {}) {
    auto r = std::make_unique<Run>();
    r->file = r->sources.add(m4test::temp_dir() + "/limits.m4", text);
    options.work_dir = m4test::temp_dir();
    r->e = m4::expand_m4(r->sources, r->file, options);
    return r;
}

const Diagnostic* find(const m4::Expansion& e, const std::string& id) {
    for (const auto& d : e.diagnostics)
        if (d.rule_id == id) return &d;
    return nullptr;
}

} // namespace

TEST_CASE("endless recursion stops at the expansion limit") {
    m4::ExpandOptions options;
    options.max_expansions = 20000;
    auto r = run("text\ndefine(`a', `a')a\n", options);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("expansion count") != std::string::npos);
    CHECK(d->where.file == r->file);
    CHECK(d->where.span.begin == 18); // the looping call: the `a' inside the body
    CHECK_FALSE(r->e.complete);
    CHECK(r->e.text == "text\n"); // what was written before stays
}

TEST_CASE("growing pushback stops at the input depth or expansion limit") {
    m4::ExpandOptions options;
    options.max_input_depth = 500;
    auto r = run("define(`a', `a b')a\n", options);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("input stack depth") != std::string::npos);
}

TEST_CASE("nesting inside argument lists stops at the depth limit") {
    m4::ExpandOptions options;
    options.max_depth = 50;
    auto r = run("define(`f', `f(f($1))')f(1)\n", options);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("nesting depth") != std::string::npos);
}

TEST_CASE("output and text size limits") {
    const std::string doubling = "define(`a0', `xxxxxxxxxxxxxxxx')"
                                 "define(`a1', `a0`'a0`'a0`'a0')define(`a2', `a1`'a1`'a1`'a1')"
                                 "define(`a3', `a2`'a2`'a2`'a2')define(`a4', `a3`'a3`'a3`'a3')"
                                 "define(`a5', `a4`'a4`'a4`'a4')define(`a6', `a5`'a5`'a5`'a5')"
                                 "define(`a7', `a6`'a6`'a6`'a6')a7 a7 a7\n";
    m4::ExpandOptions options;
    options.max_output = 100000;
    auto r = run(doubling, options);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("output size") != std::string::npos);
    CHECK(r->e.text.size() <= options.max_output + 64);

    m4::ExpandOptions small_text;
    small_text.max_text = 1000;
    auto t = run("define(`a0', `xxxxxxxxxxxxxxxx')define(`a1', `a0`'a0`'a0`'a0')"
                 "define(`a2', `a1`'a1`'a1`'a1')define(`b', `$1$1$1$1')b(b(b(a2)))\n",
                 small_text);
    const Diagnostic* s = find(t->e, "SM-E103");
    REQUIRE(s != nullptr);
    CHECK(s->message.find("size") != std::string::npos);
}

TEST_CASE("an included file larger than the text limit is not read") {
    m4test::write_temp("big.m4", std::string(5000, 'x'));
    m4::ExpandOptions options;
    options.max_text = 1000;
    auto r = run("include(`big.m4')\n", options);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("included file size") != std::string::npos);
    CHECK(d->where.span.begin == 0); // the include call
    CHECK(r->e.text.empty());
}

TEST_CASE("a file that includes itself stops at the include depth") {
    m4test::write_temp("self.m4", "x include(`self.m4') y");
    auto r = run("include(`self.m4')\n");
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("include depth") != std::string::npos);
}

TEST_CASE("end of input inside a quote, a comment or an argument list") {
    auto q = run("ab `open quote\nnever closed\n");
    const Diagnostic* d = find(q->e, "SM-E104");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("end of file in string") != std::string::npos);
    CHECK(d->where.span.begin == 3);

    auto a = run("x define(`y',\n");
    d = find(a->e, "SM-E104");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("argument list") != std::string::npos);
    CHECK(d->where.span.begin == 2);
    CHECK(a->e.text == "x ");

    auto c = run("changecom(`/*', `*/')/* open\n");
    d = find(c->e, "SM-E104");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("comment") != std::string::npos);
}

TEST_CASE("NUL and latin-1 bytes are handled like m4") {
    // GNU m4 drops a NUL between characters and ends a quoted string or comment at one.
    const char input[] = "a\0b \xe9t\xe9 define(`x', `\xff')x `q\0q' # c\0c\nab\0cd\n";
    const char output[] = "ab \xe9t\xe9 \xff q # cabcd\n";
    const std::string text(input, sizeof input - 1);
    CHECK(m4test::ours(text) == std::string(output, sizeof output - 1));
    if (m4test::real_m4_available()) CHECK(m4test::ours(text) == m4test::real_m4(text));
}

TEST_CASE("a missing cf tree and a missing OSTYPE are named") {
    SourceSet sources;
    const FileId mc = sources.add("x.mc", "include(`../m4/cf.m4')dnl\nOSTYPE(`nosuch')dnl\n");
    m4::ExpandOptions none;
    none.cf_dir = "/nonexistent/cf";
    auto e = m4::expand_mc(sources, mc, none);
    const Diagnostic* d = find(e, "SM-E101");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("/nonexistent/cf") != std::string::npos);
    CHECK(find(e, "SM-E102") == nullptr); // SM-E101 says it all; OSTYPE is not even looked up
    REQUIRE(e.calls.size() >= 3);
    CHECK(e.calls[2].name == "OSTYPE"); // read as a stand-in macro, still recorded

    if (!std::filesystem::exists("/usr/share/sendmail/cf/m4/cf.m4")) return;
    m4::ExpandOptions tree;
    tree.cf_dir = "/usr/share/sendmail/cf";
    auto t = m4::expand_mc(sources, mc, tree);
    d = find(t, "SM-E102");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("OSTYPE file") != std::string::npos);
    CHECK(d->message.find("nosuch.m4") != std::string::npos);
    CHECK(d->where.file == mc);
    CHECK(sources.get(mc).slice(d->where.span) == "OSTYPE(`nosuch')");
}

// GNU's regex matcher has no bound: back-references can run for hours or recurse until the
// stack overflows (GNU m4 dies: "m4: stack overflow"), long patterns and texts take long too.
TEST_CASE("regular expressions GNU's matcher cannot bound stop with SM-E103, not a crash") {
    auto backref = run("a regexp(`aaaaaaaaaaaaaaaa', `\\(\\|\\)\\(\\1\\1\\)*') b\n");
    const Diagnostic* d = find(backref->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("back-reference") != std::string::npos);
    CHECK(backref->e.text == "a ");
    // A bracket's \1 is two characters, not a back-reference.
    CHECK(run("regexp(`x\\1', `[\\1]')\n")->e.text == "1\n");

    std::string nested = "regexp(`abc', `";
    for (int i = 0; i < 100000; ++i)
        nested += "\\(";
    nested += "')\n";
    auto long_pattern = run(nested);
    d = find(long_pattern->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("regular expression length") != std::string::npos);

    m4::ExpandOptions small;
    small.max_regex_work = 1u << 20;
    auto work = run("patsubst(`" + std::string(2000, 'a') + "', `\\(.*\\)\\(.*\\)c')\n", small);
    d = find(work->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("regular expression work") != std::string::npos);
    CHECK(run("patsubst(`" + std::string(2000, 'a') + "', `a', `b')\n")->e.text ==
          std::string(2000, 'b') + "\n"); // the default budget is far above that
}

TEST_CASE("a format field beyond the expansion size limit stops with SM-E103") {
    m4::ExpandOptions small;
    small.max_text = 1000;
    auto r = run("format(`%*d', 5000, 1)\n", small);
    const Diagnostic* d = find(r->e, "SM-E103");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("a format field of 5000 bytes") != std::string::npos);
    CHECK(run("format(`%*d', 999, 1)\n", small)->e.text.size() == 1000);
}

// Debian's make runs m4 in /etc/mail, sendmail's own build in the cf tree's cf/: a relative
// include is looked up beside the .mc first, then there (like m4 -I).
TEST_CASE("a relative include is read beside the .mc, then from the cf tree's cf/") {
    const std::string cf_dir = "/usr/share/sendmail/cf";
    if (!std::filesystem::exists(cf_dir + "/m4/cf.m4")) return;
    const std::string dir = m4test::temp_dir() + "/mcdir";
    std::filesystem::create_directories(dir + "/m4");
    std::ofstream(dir + "/m4/local.m4") << "define(`confMAX_HOP', `33')dnl\n";
    const std::string text = "OSTYPE(`linux')dnl\ninclude(`m4/local.m4')dnl\n"
                             "include(`generic-linux.mc')dnl\n__file__\n";
    const std::string mc = m4test::write_temp("mcdir/relative.mc", text);

    SourceSet sources;
    const FileId id = sources.add(mc, text, FileKind::Mc);
    m4::ExpandOptions options;
    options.cf_dir = cf_dir;
    const m4::Expansion e = m4::expand_mc(sources, id, options);
    CHECK(find(e, "SM-E102") == nullptr);
    CHECK(e.text.find("O MaxHopCount=33") != std::string::npos); // beside the .mc
    // generic-linux.mc is only in cf/: found there, named as m4 -I names it.
    bool read_generic = false;
    for (const auto& inc : e.included_by)
        read_generic =
            read_generic || sources.get(inc.file).path() == cf_dir + "/cf/generic-linux.mc";
    CHECK(read_generic);

    // The same as `cd DIR && m4 -I CF/cf CF/m4/cf.m4 relative.mc`.
    if (!m4test::real_m4_available()) return;
    const auto real = m4test::run_m4_direct(
        dir, {"-D_NO_MAKEINFO_", "-I", cf_dir + "/cf", cf_dir + "/m4/cf.m4", mc});
    CHECK(real.status == 0);
    CHECK(m4test::drop_build_info(e.text) == real.out);

    // Nowhere: both places are named.
    const FileId missing = sources.add(mc, "include(`m4/nosuch.m4')dnl\n", FileKind::Mc);
    const m4::Expansion nowhere = m4::expand_mc(sources, missing, options);
    const Diagnostic* d = find(nowhere, "SM-E102");
    REQUIRE(d != nullptr);
    CHECK(d->message.find(dir + "/m4/nosuch.m4 and " + cf_dir + "/cf/m4/nosuch.m4") !=
          std::string::npos);
}

TEST_CASE("hostile m4: the work done is counted and stays within the limits") {
    struct Case {
        const char* text;
        const char* limit; // in the SM-E103 message
    };
    for (const Case c : {Case{"define(`X', `X')X", "macro expansion count"},
                         Case{"define(`A', `B')define(`B', `A')A", "macro expansion count"},
                         Case{"define(`D', `D D')D", ""},
                         Case{"define(`W', `m4wrap(`W')x')W", "macro expansion count"},
                         Case{"define(`G', `divert(1)eval(1)G')G", ""}}) {
        CAPTURE(c.text);
        smaudit::SourceSet sources;
        const auto file = sources.add("x.m4", c.text, smaudit::FileKind::M4);
        smaudit::m4::ExpandOptions options;
        options.max_expansions = 10'000;
        options.max_output = 1 << 16;
        options.max_text = 1 << 16;
        const auto e = smaudit::m4::expand_m4(sources, file, options);
        CHECK_FALSE(e.complete);
        CHECK(e.work.macro_calls <= options.max_expansions + 1);
        CHECK(e.work.output_bytes <= options.max_output + options.max_text);
        bool limited = false;
        for (const auto& d : e.diagnostics)
            limited =
                limited || (d.rule_id == "SM-E103" && d.message.find(c.limit) != std::string::npos);
        CHECK(limited);
    }
}
