// parse_cf on hand-written inputs: every line type with its fields and spans, the reading rules
// sendmail applies (folding, inline comments, CRLF, NUL), and every SM-E diagnostic with its
// exact span, followed by a line that must still parse. Expected values were worked out by hand
// and, for the reading rules, checked against sendmail 8.17 (`sendmail -C x.cf -bt -d37.1`).
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace smaudit;
using namespace smaudit::ast;

namespace {

struct Parsed {
    SourceSet set;
    FileId id = kNoFile;
    CfFile file;
    std::vector<Diagnostic> diagnostics;

    explicit Parsed(std::string text) {
        id = set.add("test.cf", std::move(text), FileKind::Cf);
        file = parse_cf(set, id, diagnostics);
    }
    std::string_view at(Span span) const { return set.get(id).slice(span); }
    template <typename T> const T& nth(size_t index) const {
        size_t seen = 0;
        for (const auto& s : file.statements)
            if (const T* node = std::get_if<T>(&s))
                if (seen++ == index) return *node;
        FAIL("statement not found");
        throw 0;
    }
    template <typename T> size_t count() const {
        size_t n = 0;
        for (const auto& s : file.statements)
            n += std::holds_alternative<T>(s);
        return n;
    }
    // The one diagnostic of the input, with its rule and the text it points at.
    const Diagnostic& only_diagnostic() const {
        REQUIRE(diagnostics.size() == 1);
        return diagnostics[0];
    }
};

// A bad line followed by a good one: exactly one diagnostic, and the good line still parses.
void check_bad_line(const std::string& bad, const char* rule, std::string_view pointed_text,
                    std::string_view prefix = "V10/Berkeley\nS0\n") {
    std::string text = std::string(prefix) + bad + "\nDjafter.example\n";
    Parsed p(text);
    INFO("line: " << bad);
    REQUIRE(p.diagnostics.size() == 1);
    const Diagnostic& d = p.diagnostics[0];
    CHECK(d.rule_id == rule);
    CHECK(d.pack == Pack::Syntax);
    CHECK(d.where.file == p.id);
    CHECK(p.at(d.where.span) == pointed_text);
    // the span lies inside the bad line
    CHECK(d.where.span.begin >= prefix.size());
    CHECK(d.where.span.end <= prefix.size() + bad.size());
    const auto& after = p.nth<CfMacroDef>(p.count<CfMacroDef>() - 1);
    CHECK(after.name == "j");
    CHECK(after.value == "after.example");
}

} // namespace

TEST_CASE("comments, empty lines and comment continuation") {
    Parsed p("# first\n\n#O PrivacyOptions=goaway\n\tindented: still the comment\nDjx\n");
    CHECK(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 3);
    const auto& first = p.nth<CfComment>(0);
    CHECK(first.text == " first");
    CHECK(p.at(first.span) == "# first");
    const auto& folded = p.nth<CfComment>(1);
    CHECK(folded.text == "O PrivacyOptions=goaway\n\tindented: still the comment");
    CHECK(p.at(folded.span) == "#O PrivacyOptions=goaway\n\tindented: still the comment");
    CHECK(p.nth<CfMacroDef>(0).value == "x");
}

TEST_CASE("V line: level and vendor") {
    Parsed p("V10/Berkeley\n");
    CHECK(p.diagnostics.empty());
    const auto& v = p.nth<CfVersion>(0);
    CHECK(v.level == "10");
    CHECK(v.vendor == "Berkeley");
    CHECK(v.span == Span{0, 12});
    CHECK(v.level_span == Span{1, 3});
    CHECK(v.vendor_span == Span{4, 12});

    Parsed bare("V 9\n");
    CHECK(bare.nth<CfVersion>(0).level == "9");
    CHECK(bare.nth<CfVersion>(0).vendor.empty());
    CHECK(bare.nth<CfVersion>(0).vendor_span == Span{3, 3});
}

TEST_CASE("D lines: short and long names, value as sendmail stores it") {
    Parsed p("V10\nDj$w.Foo.COM\nD{MTAHost}mail.example.org\nDX a value\n"
             "Dq\"quoted text\"\\n$j\nD{R}short\n");
    CHECK(p.diagnostics.empty());
    const auto& j = p.nth<CfMacroDef>(0);
    CHECK(j.name == "j");
    CHECK(p.at(j.name_span) == "j");
    CHECK(j.value == "$w.Foo.COM");
    CHECK(p.at(j.value_span) == "$w.Foo.COM");
    const auto& host = p.nth<CfMacroDef>(1);
    CHECK(host.name == "MTAHost");
    CHECK(p.at(host.name_span) == "{MTAHost}");
    CHECK(host.value == "mail.example.org");
    // The value starts right after the name: the blank is part of it (sendmail -bt: " a value").
    CHECK(p.nth<CfMacroDef>(2).value == " a value");
    // munchstring(): quotes vanish, \n is a newline; the span keeps the raw bytes.
    const auto& q = p.nth<CfMacroDef>(3);
    CHECK(q.value == "quoted text\n$j");
    CHECK(p.at(q.value_span) == "\"quoted text\"\\n$j");
    CHECK(p.nth<CfMacroDef>(4).name == "R"); // {R} is R
}

TEST_CASE("C lines: words, {R} == R, continuation") {
    Parsed p("Cw localhost  foo.example\n\tbar.example\nC{R}relay.example\n");
    CHECK(p.diagnostics.empty());
    const auto& w = p.nth<CfClass>(0);
    CHECK(w.name == "w");
    CHECK_FALSE(w.from_file);
    REQUIRE(w.words.size() == 3);
    CHECK(w.words[0].text == "localhost");
    CHECK(w.words[0].span == Span{3, 12});
    CHECK(w.words[2].text == "bar.example");
    CHECK(p.at(w.words[2].span) == "bar.example");
    CHECK(p.at(w.span) == "Cw localhost  foo.example\n\tbar.example");
    const auto& r = p.nth<CfClass>(1);
    CHECK(r.name == "R");
    CHECK(p.at(r.name_span) == "{R}");
    REQUIRE(r.words.size() == 1);
    CHECK(r.words[0].text == "relay.example");
}

TEST_CASE("F lines: file, -o, pattern, program, quoted name, map") {
    Parsed p("Fw/etc/mail/local-host-names\n"
             "F{R} -o /etc/mail/relay-domains %[^#]\n"
             "F{x}|/usr/bin/prog arg\n"
             "Fq\"/etc/mail/with space\" %s\n"
             "F{G}@LDAP\n"
             "F{H}key@hash:/etc/mail/h\n");
    CHECK(p.diagnostics.empty());
    const auto& w = p.nth<CfClass>(0);
    CHECK(w.from_file);
    CHECK_FALSE(w.optional);
    CHECK(w.path == "/etc/mail/local-host-names");
    CHECK(w.path_span == Span{2, 28});
    CHECK(w.pattern.empty());
    const auto& r = p.nth<CfClass>(1);
    CHECK(r.name == "R");
    CHECK(r.optional);
    CHECK(r.path == "/etc/mail/relay-domains");
    CHECK(p.at(r.path_span) == "/etc/mail/relay-domains");
    CHECK(r.pattern == "%[^#]");
    CHECK(p.at(r.pattern_span) == "%[^#]");
    // sendmail takes the program up to the first space; the rest is ignored.
    const auto& x = p.nth<CfClass>(2);
    CHECK(x.program);
    CHECK(x.path == "|/usr/bin/prog");
    CHECK(x.pattern.empty());
    const auto& q = p.nth<CfClass>(3);
    CHECK(q.path == "/etc/mail/with space");
    CHECK(p.at(q.path_span) == "\"/etc/mail/with space\"");
    CHECK(q.pattern == "%s");
    CHECK(p.nth<CfClass>(4).map);
    CHECK(p.nth<CfClass>(4).path == "@LDAP");
    CHECK(p.nth<CfClass>(5).map);
    CHECK(p.nth<CfClass>(5).path == "key@hash:/etc/mail/h");
}

TEST_CASE("O lines: long form") {
    Parsed p("V10\nO PrivacyOptions=authwarnings,goaway\nO QueueDirectory = /var/spool/mqueue\n"
             "O SevenBitInput\nO Timeout.queuereturn=5d\nO Privacy=noexpn\n");
    CHECK(p.diagnostics.empty());
    const auto& o = p.nth<CfOption>(0);
    CHECK_FALSE(o.legacy);
    CHECK(o.name == "PrivacyOptions");
    CHECK(o.name_span == Span{6, 20});
    CHECK(o.has_value);
    CHECK(o.value == "authwarnings,goaway");
    CHECK(o.value_span == Span{21, 40});
    const auto& q = p.nth<CfOption>(1);
    CHECK(q.name == "QueueDirectory"); // blanks around '=' do not belong to name or value
    CHECK(p.at(q.name_span) == "QueueDirectory");
    CHECK(q.value == "/var/spool/mqueue");
    CHECK(p.at(q.value_span) == "/var/spool/mqueue");
    const auto& b = p.nth<CfOption>(2);
    CHECK(b.name == "SevenBitInput");
    CHECK_FALSE(b.has_value);
    CHECK(b.value.empty());
    CHECK(b.value_span.empty());
    CHECK(b.value_span.begin == b.span.end);
    CHECK(p.nth<CfOption>(3).name == "Timeout.queuereturn");
    CHECK(p.nth<CfOption>(4).name == "Privacy"); // as written; prefixes are the model's business
}

TEST_CASE("O lines: inline # is a comment from V3 on, text before any V line") {
    // sendmail 8.17 -d37.1: "setoption HelpFile (H)=/etc/mail/helpfile" after V10.
    Parsed p("O HelpFile=/etc/mail/helpfile # the help\nV10/Berkeley\n"
             "O HelpFile=/etc/mail/helpfile   # the help\nDY esc \\# kept\nDZ$# op\n");
    CHECK(p.diagnostics.empty());
    CHECK(p.nth<CfOption>(0).value == "/etc/mail/helpfile # the help");
    const auto& o = p.nth<CfOption>(1);
    CHECK(o.value == "/etc/mail/helpfile");
    CHECK(p.at(o.value_span) == "/etc/mail/helpfile");
    CHECK(p.at(o.span) == "O HelpFile=/etc/mail/helpfile   # the help");
    CHECK(p.nth<CfMacroDef>(0).value == " esc # kept"); // \# is a literal '#'
    CHECK(p.nth<CfMacroDef>(1).value == "$# op");       // $# is not a comment
}

TEST_CASE("O lines: legacy one-letter form") {
    // An unknown letter is read like any other; the model reports unknown option names.
    Parsed unknown("ODfoo\n");
    CHECK(unknown.diagnostics.empty());
    CHECK(unknown.nth<CfOption>(0).name == "D");
    CHECK(unknown.nth<CfOption>(0).value == "foo");

    Parsed p("Opgoaway\nOL9\nO7\n");
    CHECK(p.diagnostics.empty());
    const auto& o = p.nth<CfOption>(0);
    CHECK(o.legacy);
    CHECK(o.name == "p");
    CHECK(o.name_span == Span{1, 2});
    CHECK(o.value == "goaway");
    CHECK(o.value_span == Span{2, 8});
    CHECK(p.nth<CfOption>(1).name == "L");
    CHECK(p.nth<CfOption>(1).value == "9");
    CHECK_FALSE(p.nth<CfOption>(2).has_value);
}

TEST_CASE("a continued option value keeps the line break, as fgetfolded() does") {
    // sendmail -d37.1: "setoption SmtpGreetingMessage (0x90)=$j Sendmail\n\tcontinued part"
    Parsed p("V10\nO SmtpGreetingMessage=$j Sendmail\n\tcontinued part\nDjx\n");
    CHECK(p.diagnostics.empty());
    const auto& o = p.nth<CfOption>(0);
    CHECK(o.value == "$j Sendmail\n\tcontinued part");
    CHECK(p.at(o.value_span) == "$j Sendmail\n\tcontinued part");
    CHECK(p.at(o.span) == "O SmtpGreetingMessage=$j Sendmail\n\tcontinued part");
}

TEST_CASE("H lines: plain, ?flags?, ?${macro}?, ?$x?") {
    Parsed p("HSubject:\nH?P?Return-Path: <$g>\nH?${daemon_flags}?X-Flag: y\nH?$j?Z :  w\n"
             "HReceived: $?sfrom $s $.by $j\n\tid $i\n");
    CHECK(p.diagnostics.empty());
    const auto& s = p.nth<CfHeader>(0);
    CHECK(s.name == "Subject");
    CHECK(s.value.empty());
    CHECK(s.condition.empty());
    const auto& rp = p.nth<CfHeader>(1);
    CHECK(rp.condition == "P");
    CHECK(p.at(rp.condition_span) == "P");
    CHECK(rp.name == "Return-Path");
    CHECK(p.at(rp.name_span) == "Return-Path");
    CHECK(rp.value == "<$g>");
    CHECK(p.at(rp.value_span) == "<$g>");
    CHECK(p.nth<CfHeader>(2).condition == "${daemon_flags}");
    const auto& z = p.nth<CfHeader>(3);
    CHECK(z.condition == "$j");
    CHECK(z.name == "Z");
    CHECK(z.value == " w"); // chompheader() drops one space after the colon, no more
    CHECK(p.nth<CfHeader>(4).value == "$?sfrom $s $.by $j\n\tid $i");
}

TEST_CASE("K lines: name, type, spec, arguments") {
    Parsed p("Kaccess hash -T<TMPF> -o /etc/mail/access\nKresolve host -a<OKR> -T<TEMP>\n"
             "Ka.b_c dequote\n");
    CHECK(p.diagnostics.empty());
    const auto& k = p.nth<CfMap>(0);
    CHECK(k.name == "access");
    CHECK(k.name_span == Span{1, 7});
    CHECK(k.type == "hash");
    CHECK(k.type_span == Span{8, 12});
    CHECK(k.spec == "-T<TMPF> -o /etc/mail/access");
    CHECK(k.spec_span == Span{13, 41});
    REQUIRE(k.args.size() == 3);
    CHECK(k.args[2].text == "/etc/mail/access");
    CHECK(p.at(k.args[2].span) == "/etc/mail/access");
    CHECK(p.nth<CfMap>(2).name == "a.b_c");
    CHECK(p.nth<CfMap>(2).spec.empty());
}

TEST_CASE("M lines: every field, first letter counts, continuation, quotes") {
    Parsed p("Mlocal,\t\tP=/usr/lib/sm.bin/mail.local, F=lsDFMAw5:/|@qPn9S, S=EnvFromL/HdrFromL,"
             " R=EnvToL/HdrToL,\n\t\tT=DNS/RFC822/X-Unix,\n\t\tA=mail.local -l\n"
             "Mesmtp, Path=[IPC], Flags=mDFMuXa, E=\\r\\n, L=990, A=TCP $h, U=mail:mail, "
             "m=5, r=10, W=2m, N=5, D=$z:/, Q=mqueue, C=iso-8859-1, M=100, /=/chroot\n"
             "Mq, P=/bin/x, A=\"a, b\" c\n");
    CHECK(p.diagnostics.empty());
    const auto& local = p.nth<CfMailer>(0);
    CHECK(local.name == "local");
    CHECK(local.name_span == Span{1, 6});
    REQUIRE(local.fields.size() == 6);
    CHECK(local.fields[0].key == "P");
    CHECK(local.fields[0].letter == 'P');
    CHECK(local.fields[0].value == "/usr/lib/sm.bin/mail.local");
    CHECK(p.at(local.fields[0].value_span) == "/usr/lib/sm.bin/mail.local");
    CHECK(p.at(local.fields[0].span) == "P=/usr/lib/sm.bin/mail.local");
    CHECK(local.fields[1].value == "lsDFMAw5:/|@qPn9S");
    CHECK(local.fields[4].value == "DNS/RFC822/X-Unix");
    CHECK(local.fields[5].letter == 'A');
    CHECK(local.fields[5].value == "mail.local -l");
    CHECK(p.at(local.span).substr(0, 6) == "Mlocal");
    CHECK(p.at(local.span).ends_with("A=mail.local -l"));
    const auto& esmtp = p.nth<CfMailer>(1);
    REQUIRE(esmtp.fields.size() == 15);
    CHECK(esmtp.fields[0].key == "Path");
    CHECK(esmtp.fields[0].letter == 'P');
    CHECK(esmtp.fields[1].key == "Flags");
    CHECK(esmtp.fields[2].value == "\r\n"); // munchstring escapes
    CHECK(esmtp.fields[14].letter == '/');
    const auto& q = p.nth<CfMailer>(2);
    REQUIRE(q.fields.size() == 2);
    CHECK(q.fields[1].value == "a, b c"); // a quoted comma does not end the value
    CHECK(p.at(q.fields[1].value_span) == "\"a, b\" c");
}

TEST_CASE("Q and X lines") {
    Parsed p("Qfast, P=/var/spool/mqueue/fast, F=f, N=5, I=1m, J=10, R=2, r=50\n"
             "Xmilter1, S=local:/var/run/f1.sock, F=R, T=S:1s;R:1s;E:5m\n");
    CHECK(p.diagnostics.empty());
    const auto& q = p.nth<CfQueueGroup>(0);
    CHECK(q.name == "fast");
    REQUIRE(q.fields.size() == 7);
    CHECK(q.fields[6].letter == 'r');
    CHECK(q.fields[6].value == "50");
    const auto& x = p.nth<CfMilter>(0);
    CHECK(x.name == "milter1");
    REQUIRE(x.fields.size() == 3);
    CHECK(x.fields[0].value == "local:/var/run/f1.sock");
    CHECK(x.fields[2].value == "S:1s;R:1s;E:5m");
}

TEST_CASE("P, T and E lines") {
    Parsed p("Pfirst-class=0\nPjunk=-100\nTroot daemon\n\tuucp\nEFOO=bar baz\nEHOME\n");
    CHECK(p.diagnostics.empty());
    const auto& first = p.nth<CfPrecedence>(0);
    CHECK(first.name == "first-class");
    CHECK(p.at(first.name_span) == "first-class");
    CHECK(first.value == "0");
    CHECK(p.at(first.value_span) == "0");
    CHECK(p.nth<CfPrecedence>(1).value == "-100");
    const auto& t = p.nth<CfTrustedUsers>(0);
    REQUIRE(t.users.size() == 3);
    CHECK(t.users[2].text == "uucp");
    CHECK(p.at(t.users[2].span) == "uucp");
    const auto& e = p.nth<CfEnv>(0);
    CHECK(e.name == "FOO");
    CHECK(e.has_value);
    CHECK(e.value == "bar baz");
    CHECK(p.at(e.value_span) == "bar baz");
    CHECK_FALSE(p.nth<CfEnv>(1).has_value);
    CHECK(p.nth<CfEnv>(1).name == "HOME");
}

TEST_CASE("S lines: numbered, named, named with number") {
    Parsed p("S0\nScheck_rcpt\nSLocal_check_rcpt = 100\nSParse0=99\nSfoo trailing ignored\n");
    // 100 is out of range (sendmail: 0..99); the others are fine
    REQUIRE(p.diagnostics.size() == 1);
    CHECK(p.diagnostics[0].rule_id == "SM-E009");
    CHECK(p.at(p.diagnostics[0].where.span) == "100");
    const auto& zero = p.nth<CfRuleset>(0);
    CHECK(zero.name == "0");
    CHECK(zero.number == 0);
    CHECK(zero.name_span == Span{1, 2});
    const auto& rcpt = p.nth<CfRuleset>(1);
    CHECK(rcpt.name == "check_rcpt");
    CHECK_FALSE(rcpt.number.has_value());
    CHECK(p.at(rcpt.name_span) == "check_rcpt");
    const auto& parse0 = p.nth<CfRuleset>(2);
    CHECK(parse0.name == "Parse0");
    CHECK(parse0.number == 99);
    CHECK(p.nth<CfRuleset>(3).name == "foo");
}

TEST_CASE("R lines: LHS, RHS and comment split by TABs") {
    Parsed p("V10\nS0\nR$+ < @ $=w . >\t$#local $: $1\tlocal host\n"
             "R$-\t\t\t$@ $1\t\tcomment\there\nR$*\t$: $1 # not part of the rule\n"
             "R$* $+\t$@ $2 $1\n");
    CHECK(p.diagnostics.empty());
    const auto& r = p.nth<CfRule>(0);
    CHECK(r.lhs == "$+ < @ $=w . >");
    CHECK(p.at(r.lhs_span) == "$+ < @ $=w . >");
    CHECK(r.rhs == "$#local $: $1");
    CHECK(p.at(r.rhs_span) == "$#local $: $1");
    CHECK(r.comment == "local host");
    CHECK(p.at(r.comment_span) == "local host");
    // several TABs separate; the RHS ends at the next TAB, the rest is the comment
    const auto& many = p.nth<CfRule>(1);
    CHECK(many.lhs == "$-");
    CHECK(many.rhs == "$@ $1");
    CHECK(many.comment == "comment\there");
    // an inline # comment is dropped before the split
    const auto& hashed = p.nth<CfRule>(2);
    CHECK(hashed.rhs == "$: $1");
    CHECK(hashed.comment.empty());
    CHECK(hashed.comment_span.empty());
    CHECK(p.nth<CfRule>(3).lhs == "$* $+"); // blanks inside the LHS are not separators
}

TEST_CASE("CRLF line endings: CR dropped from text and spans") {
    Parsed p("V10/Berkeley\r\nDjmail\r\n\tcontinued\r\nS0\r\nR$*\t$@ $1\r\n");
    CHECK(p.diagnostics.empty());
    const auto& v = p.nth<CfVersion>(0);
    CHECK(v.vendor == "Berkeley");
    CHECK(p.at(v.span) == "V10/Berkeley");
    const auto& j = p.nth<CfMacroDef>(0);
    CHECK(j.value == "mail\n\tcontinued");
    CHECK(p.at(j.span) == "Djmail\r\n\tcontinued");
    CHECK(p.nth<CfRule>(0).rhs == "$@ $1");
    CHECK(p.at(p.nth<CfRule>(0).rhs_span) == "$@ $1");
}

TEST_CASE("latin-1 bytes and NUL bytes") {
    // latin-1 in a value is plain text; in a header name it is not a graphic ASCII character.
    Parsed latin("DZ\xe9t\xe9\nH\xe9t\xe9: x\nDjok\n");
    REQUIRE(latin.diagnostics.size() == 1);
    CHECK(latin.nth<CfMacroDef>(0).value == "\xe9t\xe9");
    CHECK(latin.diagnostics[0].rule_id == "SM-E007");
    CHECK(latin.at(latin.diagnostics[0].where.span) == "\xe9");
    CHECK(latin.nth<CfMacroDef>(1).value == "ok");

    // sendmail reads a line up to a NUL: DXab (checked with -bt: $X is "ab").
    std::string text("DXab\0cd\nDjok\n", 13);
    Parsed nul(text);
    const Diagnostic& d = nul.only_diagnostic();
    CHECK(d.rule_id == "SM-E013");
    CHECK(d.where.span == Span{4, 7});
    CHECK(nul.at(d.where.span) == std::string_view("\0cd", 3));
    CHECK(nul.nth<CfMacroDef>(0).value == "ab");
    CHECK(nul.nth<CfMacroDef>(1).value == "ok");

    // still one diagnostic when the rest of the line has a problem of its own
    Parsed vendor(std::string("V10/Debian\0x\n", 13));
    CHECK(vendor.only_diagnostic().rule_id == "SM-E013");
    CHECK(vendor.nth<CfVersion>(0).vendor == "Debian");

    // a NUL in a comment is nobody's business
    Parsed comment(std::string("# a\0b\n", 6));
    CHECK(comment.diagnostics.empty());
}

TEST_CASE("blank-only lines: first line, and after an empty line") {
    // sendmail 8.17: 'unknown configuration line " "' and 'unknown configuration line "\n"'
    Parsed p("  \nV10\n\n  \nDjok\n");
    REQUIRE(p.diagnostics.size() == 2);
    CHECK(p.diagnostics[0].rule_id == "SM-E001");
    CHECK(p.at(p.diagnostics[0].where.span) == " ");
    CHECK(p.diagnostics[1].rule_id == "SM-E001");
    CHECK(p.at(p.diagnostics[1].where.span) == "\n");
    CHECK(p.nth<CfMacroDef>(0).value == "ok");
}

TEST_CASE("SM-E001 unknown line type") {
    check_bad_line("Lfoo", "SM-E001", "L");
    check_bad_line("Gbar", "SM-E001", "G");
    check_bad_line("lowercase", "SM-E001", "l");
    check_bad_line("\xe9t\xe9", "SM-E001", "\xe9");
}

TEST_CASE("SM-E002 malformed option") {
    check_bad_line("O", "SM-E002", "O");
    check_bad_line("O =x", "SM-E002", " =x");
    check_bad_line("O\tLogLevel=9", "SM-E002", "\t");
    check_bad_line("O  QueueDirectory=/q", "SM-E002", " ");
    check_bad_line("O LogLevel\t=9", "SM-E002", "\t");
}

TEST_CASE("SM-E003 malformed rule") {
    check_bad_line("R$+ $@ $1", "SM-E003", "$+ $@ $1");
    check_bad_line("R\t$@ x", "SM-E003", "\t");
    check_bad_line("R  \t$@ x", "SM-E003", "  ");
    check_bad_line("R$*\t  \tcomment", "SM-E003", "  ");
    // sendmail 8.17: the inline comment swallows the TAB: 'invalid rewrite line "R+" (tab
    // expected)'
    check_bad_line("R$+ # foo\t$@ x", "SM-E003", "$+");
}

TEST_CASE("SM-E004 malformed mailer, queue group, milter") {
    check_bad_line("M", "SM-E004", "");
    check_bad_line("M, P=/bin/x, A=x", "SM-E004", ",");
    check_bad_line("Mfoo, P=/bin/true, A=true, Z=1", "SM-E004", "Z");
    check_bad_line("Mfoo, P=/bin/true, A=true, F", "SM-E004", "F");
    check_bad_line("Mfoo, P=/bin/true, A=true,", "SM-E004", ",");
    check_bad_line("Mfoo, P=/bin/true", "SM-E004", "foo");
    check_bad_line("Mfoo, A=true", "SM-E004", "foo");
    check_bad_line("Mfoo, P=/bin/true, A=true, E=", "SM-E004", "E=");
    check_bad_line("Qw -Hlocalhost -Dwebmail", "SM-E004", "-Hlocalhost -Dwebmail");
    check_bad_line("Qq, P=/q, S=1", "SM-E004", "S");
    check_bad_line("Xm, S=local:/s, f=R", "SM-E004", "f");
    check_bad_line("Xm, F=R", "SM-E004", "m");
}

TEST_CASE("SM-E005 malformed macro definition") {
    check_bad_line("D", "SM-E005", "");
    check_bad_line("D{abc", "SM-E005", "");
    check_bad_line("D{}x", "SM-E005", "}");
    check_bad_line("D{a b}x", "SM-E005", " ");
    check_bad_line("D{abcdefghijklmnopqrstuvwxyz}2", "SM-E005", "{abcdefghijklmnopqrstuvwxyz}");
}

TEST_CASE("SM-E006 malformed class definition") {
    check_bad_line("C", "SM-E006", "");
    check_bad_line("C{a-b} x", "SM-E006", "-");
    check_bad_line("Fg", "SM-E006", "");
    check_bad_line("Fc-o/nonexist", "SM-E006", "-o/nonexist");
    check_bad_line("F{R} -o", "SM-E006", "-o");
    check_bad_line("Fd\"/etc/mail/x", "SM-E006", "\"/etc/mail/x");
}

TEST_CASE("SM-E007 malformed header") {
    check_bad_line("HFoo", "SM-E007", "");
    check_bad_line("H?F", "SM-E007", "");
    check_bad_line("H: v", "SM-E007", ":");
    check_bad_line("H?$?X: y", "SM-E007", "$");
    check_bad_line("H?$ab?Q: q", "SM-E007", "$ab");
}

TEST_CASE("SM-E008 malformed map definition") {
    check_bad_line("K", "SM-E008", "");
    check_bad_line("K_x hash /x", "SM-E008", "_");
    check_bad_line("Kfoo", "SM-E008", "");
    check_bad_line("Kfoo-bar hash /x", "SM-E008", "-"); // map "foo" of type "bar"
    check_bad_line("Kfoo hsah /x", "SM-E008", "hsah");
    check_bad_line("Kfoo hash,x", "SM-E015", ",");
}

TEST_CASE("SM-E009 malformed ruleset declaration") {
    check_bad_line("S{foo}", "SM-E009", "{foo}");
    check_bad_line("S100", "SM-E009", "100");
    check_bad_line("Sbar=", "SM-E009", "");
    check_bad_line("Sbaz=abc", "SM-E009", "abc");
    check_bad_line("S_x", "SM-E009", "_x");
}

TEST_CASE("SM-E010 rule outside a ruleset, also after an invalid S line") {
    check_bad_line("R$*\t$@ x", "SM-E010", "R$*\t$@ x", "V10\n");
    Parsed p("V10\nS0\nR$*\t$@ ok\nS{bad}\nR$*\t$@ lost\nS1\nR$*\t$@ ok\n");
    REQUIRE(p.diagnostics.size() == 2);
    CHECK(p.diagnostics[0].rule_id == "SM-E009");
    CHECK(p.diagnostics[1].rule_id == "SM-E010");
    CHECK(p.at(p.diagnostics[1].where.span) == "R$*\t$@ lost");
    CHECK(p.count<CfRule>() == 2);
}

TEST_CASE("SM-E011 malformed V line") {
    check_bad_line("Vx", "SM-E011", "x");
    check_bad_line("V", "SM-E011", "");
    // an unknown vendor is reported but the V line still counts (sendmail keeps the level)
    Parsed p("V10/Debian\nDjx # c\n");
    const Diagnostic& d = p.only_diagnostic();
    CHECK(d.rule_id == "SM-E011");
    CHECK(d.severity == Severity::High); // stock sendmail 8.17 refuses to start
    CHECK(p.at(d.where.span) == "Debian");
    CHECK(p.nth<CfVersion>(0).level == "10");
    CHECK(p.nth<CfMacroDef>(0).value == "x"); // level 10: inline comments are on
}

TEST_CASE("SM-E012 malformed precedence") {
    check_bad_line("Pjunk", "SM-E012", "junk");
}

TEST_CASE("diagnostics carry the default severity of their code") {
    Parsed p("V10\nR$*\t$@ x\n");
    const Diagnostic& d = p.only_diagnostic();
    CHECK(d.rule_name == "rule-outside-ruleset");
    CHECK(d.severity == Severity::High);
    auto rules = cf_syntax_rules();
    CHECK(rules.size() == 15);
    for (size_t i = 0; i < rules.size(); ++i) {
        CHECK(rules[i].id == "SM-E0" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1));
        CHECK_FALSE(rules[i].name.empty());
    }
}

TEST_CASE("large input: no deep recursion") {
    std::string text = "V10/Berkeley\nS0\n";
    for (int i = 0; i < 100000; ++i)
        text += "R$+ < @ host" + std::to_string(i) + " . >\t$@ $1\n";
    text += "D" + std::string(1000000, 'x') + "\n";  // one huge line
    text += "Cw" + std::string(200000, ' ') + "a\n"; // a long run of blanks
    text += "Dq" + std::string(100000, '"') + "\n";  // many quotes
    auto start = std::chrono::steady_clock::now();
    Parsed p(text);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(p.diagnostics.empty());
    CHECK(p.count<CfRule>() == 100000);
    CHECK(p.nth<CfClass>(0).words.size() == 1);
    MESSAGE("parsed " << text.size() << " bytes in " << seconds << " s");
}

TEST_CASE("a map line with a non-blank separator: kept as sendmail reads it, unless the type "
          "it then reads exists in no sendmail") {
    // sendmail 8.17 -d37.5: "map foo, class hash, flags 301, file /tmp/x"; `Kmy-map hash` makes
    // it report "readcf: map my: class map not available" and refuse to start.
    Parsed p("Kfoo hash,/tmp/x\nKmy-map hash /etc/mail/x\nKmy-hash hash /etc/mail/x\n");
    REQUIRE(p.diagnostics.size() == 3);
    CHECK(p.diagnostics[0].rule_id == "SM-E015");
    CHECK(p.at(p.diagnostics[0].where.span) == ",");
    CHECK(p.diagnostics[1].rule_id == "SM-E008");
    CHECK(p.at(p.diagnostics[1].where.span) == "-");
    CHECK(p.diagnostics[1].message.find("reads map `my` of type `map`, a type no sendmail has") !=
          std::string::npos);
    CHECK(p.diagnostics[2].rule_id == "SM-E015");
    CHECK(p.diagnostics[2].message.find(
              "reads map `my` of type `hash` with the arguments `hash /etc/mail/x`") !=
          std::string::npos);
    REQUIRE(p.count<CfMap>() == 2);
    const auto& foo = p.nth<CfMap>(0);
    CHECK(foo.type == "hash");
    CHECK(foo.spec == "/tmp/x");
    const auto& my = p.nth<CfMap>(1);
    CHECK(my.name == "my");
    CHECK(my.type == "hash");
    CHECK(my.spec == "hash /etc/mail/x");
}

TEST_CASE("map types: those of any sendmail build, in any case") {
    Parsed p("Ka HASH /x\nKb ldap -k x\nKc cdb /x\nKd socket inet:1@h\nKe userdb x\nKf lmdb /x\n");
    const Diagnostic& d = p.only_diagnostic();
    CHECK(d.rule_id == "SM-E008");
    CHECK(p.at(d.where.span) == "lmdb");
    CHECK(p.count<CfMap>() == 5);
}

TEST_CASE("codes sendmail refuses to start on: high, and every message says so") {
    // One line per message of each such code (tests/scripts/cf_error_lines.txt has them all,
    // checked against sendmail itself).
    const char* lines[] = {"Gx",  "O  Name=x", "R$*  $@ x", "Mx, P=/x",   "D{a-b}x", "FR",
                           "H?x", "K",         "S{x}",      "V/Berkeley", "Px"};
    for (const char* line : lines) {
        INFO(line);
        Parsed p(std::string("V10\n") + line + "\n");
        const Diagnostic& d = p.only_diagnostic();
        CHECK(d.severity == Severity::High);
        CHECK(d.message.ends_with(kStopsSendmail));
    }
    for (const SyntaxCode& code : cf_syntax_rules())
        if (code.stops_sendmail) CHECK(code.severity == Severity::High);
    // sendmail reads these without an error (but not as they look)
    using namespace std::string_literals;
    for (const std::string& line : {"Djx\0y"s, "Dja\rDjb"s, "Kfoo,hash /x"s}) {
        Parsed p("V10\n" + line + "\n");
        CHECK_FALSE(p.only_diagnostic().message.ends_with(kStopsSendmail));
    }
}

TEST_CASE("a UTF-8 byte order mark makes the first line unknown, as for sendmail") {
    Parsed p("\xEF\xBB\xBFV10/Berkeley\nDjok\n");
    const Diagnostic& d = p.only_diagnostic();
    CHECK(d.rule_id == "SM-E001");
    CHECK(d.where.span == Span{0, 3});
    CHECK(d.message.find("byte order mark") != std::string::npos);
    CHECK(p.count<CfVersion>() == 0);
    CHECK(p.nth<CfMacroDef>(0).value == "ok");
}

TEST_CASE("a file of garbage: diagnostics capped at 1000 plus one summary") {
    std::string text;
    for (int i = 0; i < 100000; ++i)
        text += "Lfoo " + std::to_string(i) + "\n";
    text += "Djok\n";
    auto start = std::chrono::steady_clock::now();
    Parsed p(text);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(p.diagnostics.size() == 1001);
    const Diagnostic& summary = p.diagnostics.back();
    CHECK(summary.rule_id == "SM-E001");
    CHECK(p.at(summary.where.span) == "L");
    CHECK(p.set.get(p.id).position(summary.where.span.begin).line == 1001);
    CHECK(summary.message.find("and 98999 more syntax errors") != std::string::npos);
    CHECK(p.nth<CfMacroDef>(0).value == "ok");
    MESSAGE("100000 bad lines in " << seconds << " s");
}

TEST_CASE("an inline comment ends at the end of its physical line") {
    // translate_dollars() deletes from the blanks before '#' up to the next LF only.
    Parsed p("V10\nCw a # comment\n\tb\n");
    CHECK(p.diagnostics.empty());
    const auto& w = p.nth<CfClass>(0);
    REQUIRE(w.words.size() == 2);
    CHECK(w.words[0].text == "a");
    CHECK(w.words[1].text == "b");
    CHECK(p.at(w.words[1].span) == "b");
    CHECK(p.at(w.span) == "Cw a # comment\n\tb");
}

TEST_CASE("SM-E014 a CR without LF does not end a line") {
    // sendmail 8.17 -bt: $X is "one\rDYtwo" and $Y is undefined.
    Parsed p("V10/Berkeley\nDXone\rDYtwo\nDjok\n");
    const Diagnostic& d = p.only_diagnostic();
    CHECK(d.rule_id == "SM-E014");
    CHECK(d.severity == Severity::High);
    CHECK(d.where.span == Span{18, 19});
    CHECK(p.nth<CfMacroDef>(0).value == "one\rDYtwo");
    CHECK(p.count<CfMacroDef>() == 2);
    CHECK(p.nth<CfMacroDef>(1).value == "ok");

    // a whole file with old Mac line endings is one line for sendmail
    Parsed mac("# comment\rV10/Berkeley\rO PrivacyOptions=goaway\r");
    CHECK(mac.only_diagnostic().rule_id == "SM-E014");
    CHECK(mac.at(mac.diagnostics[0].where.span) == "\r");
    CHECK(mac.count<CfOption>() == 0);

    // a CR with only blanks after it is stripped with the trailing blanks: nothing to report
    Parsed trailing("Djok\r \nDXx\r");
    CHECK(trailing.diagnostics.empty());
    CHECK(trailing.nth<CfMacroDef>(0).value == "ok");
}
