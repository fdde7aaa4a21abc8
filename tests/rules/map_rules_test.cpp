// The parts of the access/aliases/relay-domains rules that fixtures do not pin: the public
// suffix decision (libpsl), severities that depend on the configuration, and the spans findings
// point at.
#include "fix/apply.hpp"
#include "map_rule_run.hpp"
#include "rules/map_support.hpp"

using namespace smaudit;

TEST_CASE("public suffixes come from the public suffix list, single labels always count") {
    for (const char* suffix : {"com", "org", "co.uk", "com.au", "github.io", ".co.uk", "ORG"})
        CHECK_MESSAGE(rules::is_public_suffix(suffix), suffix);
    for (const char* name : {"example.com", "example.co.uk", "mail.example.org", "", "."})
        CHECK_MESSAGE(!rules::is_public_suffix(name), name);
    CHECK(rules::is_public_suffix("intranet")); // a single label covers every name under it
}

TEST_CASE("relay breadth: what a key covers") {
    CHECK(rules::relay_breadth("10")->find("10.0.0.0/8") != std::string::npos);
    CHECK(rules::relay_breadth("198.51")->find("198.51.0.0/16") != std::string::npos);
    for (const char* narrow :
         {"192.168", "172.16", "172.31", "10.1", "192.0.2", "192.0.2.9", "example.com",
          ".example.com", "IPv6:2001:db8:1", "IPv6:2001:db8::1", "localhost", "127", "IPv6:::1"})
        CHECK_MESSAGE(!rules::relay_breadth(narrow), narrow);
    for (const char* broad : {"172.32", "11", "com", ".com", "co.uk", "IPv6:2001:db8"})
        CHECK_MESSAGE(rules::relay_breadth(broad).has_value(), broad);
}

TEST_CASE("SM-S009 points at the key after its tag") {
    test::MapRun run = test::run_rule_on_maps("SM-S009", {{"access", "To:org\tRELAY\n"}});
    REQUIRE(run.findings.size() == 1);
    CHECK(run.text(run.findings[0].where) == "org");
    CHECK(run.findings[0].severity == Severity::Critical);
}

TEST_CASE("SM-S007's severity follows FEATURE(relay_mail_from)") {
    const std::string access = "From:example.com\tRELAY\n";
    // Relay_ok as m4 writes it for the feature (its banner alone is not the feature).
    const std::string feature_rules =
        "SRelay_ok\n"
        "R$*\t\t\t$: <?> $>CanonAddr $&f\n"
        "R<?> $+ < @ $+ >\t$: <@> $>SearchList <! From> $| <F:$1@$2> <>\n"
        "R<@> <RELAY>\t\t$@ RELAY\t\tRELAY FROM sender ok\n";
    const std::string banner =
        "#####  $Id: relay_mail_from.m4,v 8.12 2013-11-22 20:51:11 ca Exp $  #####\n";
    test::MapRun alone = test::run_rule_on_maps("SM-S007", {{"access", access}});
    test::MapRun inert =
        test::run_rule_on_maps("SM-S007", {{"sendmail.cf", "V10/Berkeley\n"}, {"access", access}});
    test::MapRun open = test::run_rule_on_maps(
        "SM-S007", {{"sendmail.cf", "V10/Berkeley\n" + feature_rules}, {"access", access}});
    test::MapRun banner_only = test::run_rule_on_maps(
        "SM-S007", {{"sendmail.cf", "V10/Berkeley\n" + banner}, {"access", access}});
    REQUIRE(banner_only.findings.size() == 1);
    CHECK(banner_only.findings[0].severity == Severity::Low);
    REQUIRE(alone.findings.size() == 1);
    REQUIRE(inert.findings.size() == 1);
    REQUIRE(open.findings.size() == 1);
    CHECK(alone.findings[0].severity == Severity::Medium);
    CHECK(inert.findings[0].severity == Severity::Low);
    CHECK(open.findings[0].severity == Severity::High);
    CHECK(open.text(open.findings[0].where) == "From:example.com\tRELAY");
}

TEST_CASE("SM-C010 needs a configuration and stays quiet with access_db") {
    const std::string access = "Connect:192.0.2\tRELAY\n";
    CHECK(test::run_rule_on_maps("SM-C010", {{"access", access}}).findings.empty());
    CHECK(test::run_rule_on_maps("SM-C010", {{"sendmail.cf", "V10/Berkeley\n"}, {"access", access}})
              .findings.size() == 1);
    CHECK(test::run_rule_on_maps("SM-C010",
                                 {{"sendmail.cf", "V10/Berkeley\nKaccess hash /etc/mail/access\n"},
                                  {"access", access}})
              .findings.empty());
}

TEST_CASE("SM-S050: the swallowed line's own bytes, CRLF files too") {
    test::MapRun run = test::run_rule_on_maps(
        "SM-S050", {{"aliases", "postmaster: root\r\n# old\r\n  staff: alice\r\nroot: bob\r\n"}});
    REQUIRE(run.findings.size() == 1);
    CHECK(run.text(run.findings[0].where) == "  staff: alice");
}

TEST_CASE("SM-S010 finds a class R word on its own C line") {
    test::MapRun run = test::run_rule_on_maps(
        "SM-S010", {{"sendmail.cf", "V10/Berkeley\nCRexample.com\nCR10\nC{R}net\n"}});
    REQUIRE(run.findings.size() == 2);
    std::vector<std::string> words;
    for (const Diagnostic& d : run.findings)
        words.emplace_back(run.text(d.where));
    std::sort(words.begin(), words.end());
    CHECK(words == std::vector<std::string>{"10", "net"});
}

TEST_CASE("SM-S011 shadowing: all three tagged keys, compared as makemap folds them") {
    const std::string map = "b.example\tOK\n"         // shadowed: line 1
                            "a.example\tOK\n"         // shadowed: line 2
                            "c.example\tOK\n"         // only two tags below: used
                            "To:A.EXAMPLE\tOK\n"      // keys fold: A.EXAMPLE is a.example
                            "connect:a.example\tOK\n" // tags are case-insensitive
                            "From:a.Example\tOK\n"
                            "Connect:b.example\tOK\nFrom:b.example\tOK\nTo:b.example\tOK\n"
                            "Connect:c.example\tOK\nTo:c.example\tOK\n";
    test::MapRun run = test::run_rule_on_maps("SM-S011", {{"access", map}});
    REQUIRE(run.findings.size() == 2);
    CHECK(run.line(run.findings[0]) == 1);
    CHECK(run.line(run.findings[1]) == 2);
    CHECK(run.findings[1].message.find("`a.example` is never used") != std::string::npos);
}

TEST_CASE("SM-S011 shadowing in a map of 150,000 untagged keys: exactly the shadowed ones") {
    // Enough untagged keys to size the key filter past its minimum; every 10,000th key has all
    // three tagged twins, every 10,000th + 1 only two.
    std::string map;
    for (int i = 0; i < 150000; ++i)
        map += "host" + std::to_string(i) + ".example\tOK\n";
    for (int i = 0; i < 150000; i += 10000) {
        const std::string key = "host" + std::to_string(i) + ".example";
        const std::string partial = "host" + std::to_string(i + 1) + ".example";
        map += "Connect:" + key + "\tOK\nFrom:" + key + "\tOK\nTo:" + key + "\tOK\n";
        map += "Connect:" + partial + "\tOK\nTo:" + partial + "\tOK\n";
    }
    test::MapRun run = test::run_rule_on_maps("SM-S011", {{"access", map}});
    REQUIRE(run.findings.size() == 15);
    for (size_t n = 0; n < run.findings.size(); ++n)
        CHECK(run.line(run.findings[n]) == n * 10000 + 1);
}

TEST_CASE("SM-S011 offers the octet prefix a CIDR or .0 key was meant as (unsafe)") {
    struct Case {
        const char* line;
        const char* fixed; // nullptr: no fix
    };
    for (Case c : {Case{"Connect:192.0.2.0/24\tREJECT\n", "Connect:192.0.2\tREJECT\n"},
                   Case{"Connect:10.0.0.0/8\tREJECT\n", "Connect:10\tREJECT\n"},
                   Case{"Connect:198.51.100.0\tRELAY\n", "Connect:198.51.100\tRELAY\n"},
                   Case{"Connect:192.0.2.7/32\tREJECT\n", "Connect:192.0.2.7\tREJECT\n"},
                   Case{"2001:db8::1\tREJECT\n", "IPv6:2001:db8::1\tREJECT\n"},
                   Case{"Connect:192.0.2.128/25\tREJECT\n", nullptr},
                   Case{"Connect:192.0.2.1/24\tREJECT\n", nullptr},
                   Case{"Connect:*.example.com\tREJECT\n", nullptr}}) {
        INFO(c.line);
        test::MapRun run = test::run_rule_on_maps("SM-S011", {{"access", c.line}});
        REQUIRE(run.findings.size() == 1);
        const Diagnostic& d = run.findings[0];
        if (c.fixed == nullptr) {
            CHECK_FALSE(d.fix.has_value());
            continue;
        }
        REQUIRE(d.fix.has_value());
        CHECK_FALSE(d.fix->safe);
        std::string text = run.sources.get(run.files[0]).text();
        for (const Edit& e : d.fix->edits)
            text.replace(e.where.span.begin, e.where.span.size(), e.replacement);
        CHECK(text == c.fixed);
    }
}

TEST_CASE("map rules survive random bytes in every map kind") {
    // Lines built from the bytes that matter to the parsers and rules: tags, dots, slashes,
    // quotes, '#', '|', ':', blanks, CR/LF, NUL and latin-1.
    static constexpr char kAlphabet[] = "abcC0129.:/*?#|\"\\ \t\r\n\n\0\xe9@,-IPv6RELAY";
    const std::string alphabet(kAlphabet, sizeof kAlphabet - 1); // NUL included
    uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7fff;
    };
    const char* ids[] = {"SM-S007", "SM-S009", "SM-S010", "SM-S011", "SM-S017", "SM-S044",
                         "SM-S045", "SM-S046", "SM-S047", "SM-S049", "SM-S050", "SM-C010"};
    for (int round = 0; round < 150; ++round) {
        std::string text;
        size_t length = next() % 400;
        for (size_t i = 0; i < length; ++i)
            text += alphabet[next() % alphabet.size()];
        for (const char* id : ids) {
            test::MapRun run = test::run_rule_on_maps(
                id, {{"x.cf", "V10/Berkeley\nC{R}" + text.substr(0, text.find('\n')) + "\n"},
                     {"x.access", text},
                     {"x.aliases", text},
                     {"x.relay-domains", text}});
            for (const Diagnostic& d : run.findings) {
                REQUIRE(d.where.valid());
                const SourceFile& file = run.sources.get(d.where.file);
                CHECK(d.where.span.begin <= d.where.span.end);
                CHECK(d.where.span.end <= file.text().size());
            }
        }
    }
}

TEST_CASE("SM-S049: every missing role alias in one finding, also for an empty aliases file") {
    for (const char* empty : {"", "# only a comment\n", "\n\n"}) {
        test::MapRun run = test::run_rule_on_maps("SM-S049", {{"aliases", empty}});
        REQUIRE(run.findings.size() == 1);
        const Diagnostic& d = run.findings[0];
        CHECK(d.where.span.begin == 0);
        CHECK(d.message.starts_with("the aliases file defines no alias at all: no `postmaster`, "
                                    "`MAILER-DAEMON` or `abuse` alias:"));
        for (const char* why : {"RFC 5321", "replies to bounces", "RFC 2142"})
            CHECK(d.message.find(why) != std::string::npos);
    }
    test::MapRun two = test::run_rule_on_maps("SM-S049", {{"aliases", "postmaster: root\n"}});
    REQUIRE(two.findings.size() == 1);
    CHECK(two.findings[0].message.starts_with("no `MAILER-DAEMON` or `abuse` alias: mail to them"));
    CHECK(two.text(two.findings[0].where) == "postmaster");
    test::MapRun one = test::run_rule_on_maps(
        "SM-S049", {{"aliases", "root: alice\npostmaster: root\nMAILER-DAEMON: postmaster\n"}});
    REQUIRE(one.findings.size() == 1);
    CHECK(one.findings[0].message ==
          "no `abuse` alias (RFC 2142: where others report abuse from your network): mail to it "
          "bounces as an unknown user unless an account of that name exists");
}

namespace {

// The map's text after every fix of the run applied at once (src/fix/apply).
std::string fixed_map(const test::MapRun& run) {
    std::vector<const Diagnostic*> report;
    for (const Diagnostic& d : run.findings)
        report.push_back(&d);
    FixApplication applied = apply_fixes(run.sources, report);
    CHECK(applied.conflicted.empty());
    auto it = applied.texts.find(run.files[0]);
    return it == applied.texts.end() ? run.sources.get(run.files[0]).text() : it->second;
}

} // namespace

TEST_CASE("SM-S009's fix comments the entry out with a note, and the RELAY duplicates behind it") {
    test::MapRun run = test::run_rule_on_maps(
        "SM-S009", {{"access", "To:org\tRELAY\nConnect:192.0.2\tRELAY\nTO:ORG\tRELAY\n"
                               "to:org\tREJECT\nConnect:\tRELAY\n"}});
    REQUIRE(run.findings.size() == 2);
    REQUIRE(run.findings[0].fix.has_value());
    CHECK_FALSE(run.findings[0].fix->safe);
    // An empty key is never looked up: commenting it out changes nothing.
    REQUIRE(run.findings[1].fix.has_value());
    CHECK(run.findings[1].fix->safe);
    // makemap keeps the first `to:org` line: the later RELAY one would take its place, the
    // REJECT one may (it is the owner's own line).
    CHECK(fixed_map(run) == "# smaudit SM-S009: commented out: this RELAY key covers far more "
                            "than one site; narrow it to your own\n#To:org\tRELAY\n"
                            "Connect:192.0.2\tRELAY\n#TO:ORG\tRELAY\nto:org\tREJECT\n"
                            "# smaudit SM-S009: commented out: sendmail never looks up an empty "
                            "key\n#Connect:\tRELAY\n");
}

TEST_CASE("SM-S009's note keeps the map's CRLF line ends") {
    test::MapRun run =
        test::run_rule_on_maps("SM-S009", {{"access", "x\tOK\r\nTo:org\tRELAY\r\n"}});
    REQUIRE(run.findings.size() == 1);
    CHECK(fixed_map(run) == "x\tOK\r\n# smaudit SM-S009: commented out: this RELAY key covers far "
                            "more than one site; narrow it to your own\r\n#To:org\tRELAY\r\n");
}

TEST_CASE("SM-S007's fix deletes each entry with the RELAY duplicates behind that entry only") {
    // makemap keeps a key's first line: the later RELAY lines of the same key would take its
    // place, the REJECT one is the owner's own; each finding's fix takes its own key's lines.
    test::MapRun run = test::run_rule_on_maps(
        "SM-S007", {{"access", "From:a@x.org\tRELAY\nFrom:b@x.org\tRELAY\nFROM:A@X.ORG\tRELAY\n"
                               "from:b@x.org\tREJECT\nFrom:b@X.org\tRELAY\n"}});
    REQUIRE(run.findings.size() == 2);
    CHECK(run.line(run.findings[0]) == 1);
    CHECK(run.line(run.findings[1]) == 2);
    for (const Diagnostic& d : run.findings) {
        REQUIRE(d.fix.has_value());
        CHECK(d.fix->edits.size() == 2);
    }
    CHECK(fixed_map(run) == "from:b@x.org\tREJECT\n");
}

TEST_CASE("SM-S044's fix deletes the alias, or only its decoder, and what it overrides") {
    struct Case {
        const char* before;
        const char* after;
    };
    for (Case c :
         {Case{"a: root\ndecode: \"|/usr/bin/uudecode\"\nb: root\n", "a: root\nb: root\n"},
          // An earlier definition newaliases overrides would come back: it goes too.
          Case{"decode: \"|/usr/bin/uudecode -o x\"\ndecode: \"|/usr/bin/uudecode\"\n", ""},
          Case{"files: root, \"|/usr/bin/uudecode\"\n", "files: root\n"},
          Case{"files: \"|/usr/bin/uudecode\", root\n", "files: root\n"},
          // A continued alias goes with its continuation lines.
          Case{"decode:\n\t\"|/usr/bin/uudecode\"\nx: root\n", "x: root\n"},
          Case{"files: root, \"|/usr/bin/uudecode\", \"|base64 -d\"\n", "files: root\n"}}) {
        INFO(c.before);
        test::MapRun run = test::run_rule_on_maps("SM-S044", {{"aliases", c.before}});
        REQUIRE(!run.findings.empty());
        for (const Diagnostic& d : run.findings) {
            REQUIRE(d.fix.has_value());
            CHECK_FALSE(d.fix->safe);
        }
        CHECK(fixed_map(run) == c.after);
    }
}
