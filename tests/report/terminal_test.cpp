// Terminal reporter goldens. The diagnostics are hand-made (not rule output) and every expected
// text below was written by hand from the layout in design.md: columns were counted on the source
// lines shown in the comments, not copied from the reporter's output.
#include "report/display.hpp"
#include "report/terminal.hpp"
#include "report_test_support.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace smaudit;
using namespace smaudit::report;

namespace {

std::string spaces(size_t n) {
    return std::string(n, ' ');
}
std::string carets(size_t n) {
    return std::string(n, '^');
}

std::string render_one(const SourceSet& s, const Diagnostic& d, FileId fallback = kNoFile) {
    return render_finding(s, d, TerminalOptions{}, fallback);
}

} // namespace

TEST_CASE("a finding with an unsafe fix, as in design.md") {
    SourceSet s;
    FileId mc = s.add("etc/mail/sendmail.mc",
                      "divert(-1)dnl\n"
                      "define(`confPRIVACY_FLAGS', `authwarnings,needmailhelo')dnl\n",
                      FileKind::Mc);
    // "define(`confPRIVACY_FLAGS', " is 28 characters: the value starts in column 29; it is
    // 1 + 12 (authwarnings) + 1 + 12 (needmailhelo) + 1 = 27 characters long.
    Span value = span_of(s, mc, "`authwarnings,needmailhelo'");
    Diagnostic d = finding("SM-S023", "vrfy-enabled", Severity::High,
                           "VRFY lets any client confirm which mailboxes exist", {mc, value},
                           "PrivacyOptions is set here");
    uint32_t quote = value.end - 1; // insert before the closing quote
    d.fix = Fix{"add goaway", false, {Edit{{mc, {quote, quote}}, ",goaway"}}};

    CHECK(render_one(s, d) ==
          "etc/mail/sendmail.mc:2:29: high SM-S023 vrfy-enabled\n"
          "  VRFY lets any client confirm which mailboxes exist\n"
          "  |\n"
          "2 | define(`confPRIVACY_FLAGS', `authwarnings,needmailhelo')dnl\n"
          "  | " +
              spaces(28) + carets(27) +
              " PrivacyOptions is set here\n"
              "  = fix (unsafe): add goaway → "
              "define(`confPRIVACY_FLAGS', `authwarnings,needmailhelo,goaway')dnl\n"
              "  = more: smaudit explain SM-S023\n"
              "\n");
}

TEST_CASE("the gutter is as wide as the line number") {
    std::string text;
    for (int i = 1; i <= 11; ++i)
        text += "dnl line " + std::to_string(i) + "\n";
    SourceSet s;
    FileId f = s.add("x.mc", text);
    Diagnostic d = finding("SM-C001", "n", Severity::Low, "m", {f, span_of(s, f, "line 11")});
    CHECK(render_one(s, d) == "x.mc:11:5: low SM-C001 n\n"
                              "  m\n"
                              "   |\n"
                              "11 | dnl line 11\n"
                              "   |     ^^^^^^^\n"
                              "   = more: smaudit explain SM-C001\n\n");
}

TEST_CASE("a policy's rule: the `more:` line names its policy file, quoted for the shell") {
    SourceSet s;
    FileId f = s.add("x.cf", "O MaxMessageSize=0\n", FileKind::Cf);
    Diagnostic d = finding("ORG-001", "org-001", Severity::High, "m", {f, span_of(s, f, "0")});
    TerminalOptions options;
    options.policy_files = {{"ORG-001", "policies/org.json"}};
    const std::string head = "x.cf:1:18: high ORG-001 org-001\n"
                             "  m\n"
                             "  |\n"
                             "1 | O MaxMessageSize=0\n"
                             "  | " +
                             spaces(17) + carets(1) + "\n";
    CHECK(render_finding(s, d, options) ==
          head + "  = more: smaudit explain --policy policies/org.json ORG-001\n\n");
    options.policy_files = {{"ORG-001", "my policies/it's.json"}};
    CHECK(render_finding(s, d, options) ==
          head + "  = more: smaudit explain --policy 'my policies/it'\\''s.json' ORG-001\n\n");
    // Another rule's line is unchanged.
    d.rule_id = "SM-P001";
    CHECK(render_finding(s, d, options).ends_with("  = more: smaudit explain SM-P001\n\n"));
}

TEST_CASE("tabs: reported as one column, shown as spaces to the next stop of 8") {
    SourceSet s;
    FileId f = s.add("access", "Connect:10\tRELAY\n", FileKind::Access);
    // "Connect:10" is 10 columns; the tab shows as 6 spaces (to column 16); RELAY is byte 11, so
    // column 12 in the report but 16 display cells from the line's start.
    Diagnostic d =
        finding("SM-S009", "broad-relay", Severity::High, "m", {f, span_of(s, f, "RELAY")}, "here");
    CHECK(render_one(s, d) == "access:1:12: high SM-S009 broad-relay\n"
                              "  m\n"
                              "  |\n"
                              "1 | Connect:10      RELAY\n"
                              "  | " +
                                  spaces(16) + carets(5) +
                                  " here\n"
                                  "  = more: smaudit explain SM-S009\n\n");

    // A tab inside the span is underlined over its whole displayed width: 2 + 6 + 5.
    d.where.span = span_of(s, f, "10\tRELAY");
    d.label.clear();
    CHECK(render_one(s, d) == "access:1:9: high SM-S009 broad-relay\n"
                              "  m\n"
                              "  |\n"
                              "1 | Connect:10      RELAY\n"
                              "  | " +
                                  spaces(8) + carets(13) +
                                  "\n"
                                  "  = more: smaudit explain SM-S009\n\n");
    CHECK(display_text("\tx\ty", 4) == "    x   y");
}

TEST_CASE("CRLF: the \\r is never shown and a span over the line ending stays on one line") {
    SourceSet s;
    FileId f = s.add("aliases", "postmaster: root\r\nroot: admin\r\n", FileKind::Aliases);
    Diagnostic d = finding("SM-S040", "a", Severity::Medium, "m", {f, span_of(s, f, "admin")});
    CHECK(render_one(s, d) == "aliases:2:7: medium SM-S040 a\n"
                              "  m\n"
                              "  |\n"
                              "2 | root: admin\n"
                              "  |       ^^^^^\n"
                              "  = more: smaudit explain SM-S040\n\n");
    // The whole of line 2 with its CRLF: underlined to the end of the text, no "continues".
    d.where.span = span_of(s, f, "root: admin\r\n");
    CHECK(render_one(s, d) == "aliases:2:1: medium SM-S040 a\n"
                              "  m\n"
                              "  |\n"
                              "2 | root: admin\n"
                              "  | ^^^^^^^^^^^\n"
                              "  = more: smaudit explain SM-S040\n\n");
}

TEST_CASE("UTF-8 before and inside the span: columns and carets count code points") {
    SourceSet s;
    // "josé: élève@example.org": é, è are two bytes each. "josé: " is 6 code points (7 bytes).
    FileId f = s.add("aliases", "jos\xc3\xa9: \xc3\xa9l\xc3\xa8ve@example.org\n");
    Diagnostic d = finding("SM-S041", "a", Severity::Low, "m",
                           {f, span_of(s, f, "\xc3\xa9l\xc3\xa8ve")}, "five letters");
    CHECK(render_one(s, d) == "aliases:1:7: low SM-S041 a\n"
                              "  m\n"
                              "  |\n"
                              "1 | jos\xc3\xa9: \xc3\xa9l\xc3\xa8ve@example.org\n"
                              "  |       ^^^^^ five letters\n"
                              "  = more: smaudit explain SM-S041\n\n");
}

TEST_CASE("a multi-line span is underlined to the end of its first line and says so") {
    SourceSet s;
    FileId f = s.add("sendmail.cf", "Kaccess hash -T<TMPF>\n -o /etc/mail/access\nO A=B\n");
    uint32_t begin = 8; // "hash"
    uint32_t end = static_cast<uint32_t>(s.get(f).text().find("access\nO")) + 6;
    Diagnostic d = finding("SM-P001", "p", Severity::Low, "m", {f, {begin, end}}, "map");
    CHECK(render_one(s, d) == "sendmail.cf:1:9: low SM-P001 p\n"
                              "  m\n"
                              "  |\n"
                              "1 | Kaccess hash -T<TMPF>\n"
                              "  |         " +
                                  carets(13) +
                                  " map (continues to line 2)\n"
                                  "  = more: smaudit explain SM-P001\n\n");
}

TEST_CASE("spans at the end of a file") {
    SourceSet s;
    FileId no_newline = s.add("a", "first\nlast");
    Diagnostic d = finding("SM-E001", "e", Severity::High, "m", {no_newline, {6, 10}});
    CHECK(render_one(s, d) == "a:2:1: high SM-E001 e\n"
                              "  m\n"
                              "  |\n"
                              "2 | last\n"
                              "  | ^^^^\n"
                              "  = more: smaudit explain SM-E001\n\n");
    // Empty span at the very end: one caret just past the last character.
    d.where.span = {10, 10};
    d.label = "expected more here";
    CHECK(render_one(s, d) == "a:2:5: high SM-E001 e\n"
                              "  m\n"
                              "  |\n"
                              "2 | last\n"
                              "  |     ^ expected more here\n"
                              "  = more: smaudit explain SM-E001\n\n");
    // After a final newline the end of file is the start of the (empty) next line.
    FileId with_newline = s.add("b", "first\n");
    d.where = {with_newline, {6, 6}};
    CHECK(render_one(s, d) == "b:2:1: high SM-E001 e\n"
                              "  m\n"
                              "  |\n"
                              "2 |\n"
                              "  | ^ expected more here\n"
                              "  = more: smaudit explain SM-E001\n\n");
    // A span past the end of the text (a stale span) is clamped, not a crash.
    d.where = {with_newline, {3, 999}};
    d.label.clear();
    CHECK(render_one(s, d) == "b:1:4: high SM-E001 e\n"
                              "  m\n"
                              "  |\n"
                              "1 | first\n"
                              "  |    ^^\n"
                              "  = more: smaudit explain SM-E001\n\n");
    FileId empty = s.add("c", "");
    d.where = {empty, {0, 0}};
    CHECK(render_one(s, d) == "c:1:1: high SM-E001 e\n"
                              "  m\n"
                              "  |\n"
                              "1 |\n"
                              "  | ^\n"
                              "  = more: smaudit explain SM-E001\n\n");
}

TEST_CASE("a finding about a default, with a fix that inserts a line") {
    SourceSet s;
    FileId mc = s.add("sendmail.mc", "divert(-1)dnl\nOSTYPE(`debian')dnl\nMAILER(`smtp')dnl\n");
    Diagnostic d =
        finding("SM-S015", "bad-rcpt-throttle-unset", Severity::Medium,
                "BadRcptThrottle is not set", Location{}, "the default is 0: no throttle");
    d.config_file = mc;
    d.about_default = true;
    uint32_t mailer = s.get(mc).line_start(3);
    d.fix = Fix{"set BadRcptThrottle to 3",
                true,
                {Edit{{mc, {mailer, mailer}}, "define(`confBAD_RCPT_THROTTLE', `3')dnl\n"}}};
    // A whole line inserted: the preview is that line, not the line it goes before.
    CHECK(
        render_one(s, d) ==
        "sendmail.mc: medium SM-S015 bad-rcpt-throttle-unset (sendmail default, no line sets it)\n"
        "  BadRcptThrottle is not set\n"
        "  = note: the default is 0: no throttle\n"
        "  = fix (safe): set BadRcptThrottle to 3 → define(`confBAD_RCPT_THROTTLE', `3')dnl\n"
        "  = more: smaudit explain SM-S015\n\n");

    // An edit that splits a line shows both lines; "= fix (safe): t → " is 18 columns after
    // the 2-column margin, so the second line starts in column 21.
    Span debian = span_of(s, mc, "`debian'");
    d.fix = Fix{"t", true, {Edit{{mc, debian}, "`debian')dnl\nFEATURE(`x'"}}};
    CHECK(render_one(s, d).find("  = fix (safe): t → OSTYPE(`debian')dnl\n" + spaces(20) +
                                "FEATURE(`x')dnl\n") != std::string::npos);

    // Without config_file the caller's fallback (the first file audited) is the path.
    d.config_file = kNoFile;
    d.fix.reset();
    d.label.clear();
    CHECK(
        render_one(s, d, mc) ==
        "sendmail.mc: medium SM-S015 bad-rcpt-throttle-unset (sendmail default, no line sets it)\n"
        "  BadRcptThrottle is not set\n"
        "  = more: smaudit explain SM-S015\n\n");

    // An .mc's value may come from the cf tree as well as from sendmail itself.
    s.get(mc).set_kind(FileKind::Mc);
    CHECK(render_one(s, d, mc).starts_with(
        "sendmail.mc: medium SM-S015 bad-rcpt-throttle-unset (a default, no .mc line sets it)\n"));
}

TEST_CASE("a finding without a place that is not about a default does not say it is") {
    // An .mc's FEATURE found by the rules it took out of sendmail's cf files, where no .mc line
    // stands for them (the .mc defined _PROMISCUOUS_RELAY_ by hand, say).
    SourceSet s;
    FileId mc = s.add("sendmail.mc", "define(`_PROMISCUOUS_RELAY_', `1')dnl\n", FileKind::Mc);
    Diagnostic d = finding("SM-S001", "promiscuous-relay", Severity::Critical, "anyone can relay",
                           Location{}, "this FEATURE call");
    d.config_file = mc;
    CHECK(render_one(s, d) == "sendmail.mc: critical SM-S001 promiscuous-relay (no .mc line to "
                              "point at)\n"
                              "  anyone can relay\n"
                              "  = note: this FEATURE call\n"
                              "  = more: smaudit explain SM-S001\n\n");
    FileId cf = s.add("sendmail.cf", "V10/Berkeley\n", FileKind::Cf);
    d.config_file = cf;
    CHECK(render_one(s, d).starts_with(
        "sendmail.cf: critical SM-S001 promiscuous-relay (no line to point at)\n"));
}

TEST_CASE("a fix that removes a line, and one in another file") {
    SourceSet s;
    FileId mc = s.add("sendmail.mc", "FEATURE(`promiscuous_relay')dnl\nMAILER(`smtp')dnl\n");
    FileId cf = s.add("sendmail.cf", "O PrivacyOptions=authwarnings\n");
    Span line1 = span_of(s, mc, "FEATURE(`promiscuous_relay')dnl\n");
    Diagnostic d = finding("SM-S001", "open-relay", Severity::Critical, "anyone may relay",
                           {mc, span_of(s, mc, "`promiscuous_relay'")});
    d.fix = Fix{"remove the feature", false, {Edit{{mc, line1}, ""}}};
    CHECK(render_one(s, d) == "sendmail.mc:1:9: critical SM-S001 open-relay\n"
                              "  anyone may relay\n"
                              "  |\n"
                              "1 | FEATURE(`promiscuous_relay')dnl\n"
                              "  |         " +
                                  carets(19) +
                                  "\n"
                                  "  = fix (unsafe): remove the feature → (line removed)\n"
                                  "  = more: smaudit explain SM-S001\n\n");

    Span value = span_of(s, cf, "authwarnings");
    d.fix = Fix{
        "add goaway", true, {Edit{{cf, {value.end, value.end}}, ",goaway"}, Edit{{mc, line1}, ""}}};
    // Edits are previewed by file order (the .mc is file 0): the .cf edit is "not shown".
    CHECK(render_one(s, d).find("  = fix (safe): add goaway (+1 edit not shown) → "
                                "(line removed)\n") != std::string::npos);
    d.fix->edits.pop_back();
    CHECK(render_one(s, d).find("  = fix (safe): add goaway → sendmail.cf: "
                                "O PrivacyOptions=authwarnings,goaway\n") != std::string::npos);
}

TEST_CASE("notes: same file share the gutter, another file gets a ::: header") {
    SourceSet s;
    FileId mc = s.add("sendmail.mc", "dnl a\nFEATURE(`x')dnl\n");
    FileId acc = s.add("access", "Connect:192.168\tRELAY\n");
    Diagnostic d =
        finding("SM-S010", "n", Severity::Medium, "m", {mc, span_of(s, mc, "FEATURE")}, "this");
    d.notes.push_back({{mc, span_of(s, mc, "a")}, "and this"});
    d.notes.push_back({{acc, span_of(s, acc, "RELAY")}, "allows it"});
    d.notes.push_back({Location{}, "see cf/README"});
    CHECK(render_one(s, d) == "sendmail.mc:2:1: medium SM-S010 n\n"
                              "  m\n"
                              "  |\n"
                              "2 | FEATURE(`x')dnl\n"
                              "  | ^^^^^^^ this\n"
                              "1 | dnl a\n"
                              "  |     ^ and this\n"
                              "  ::: access:1:17\n"
                              "  |\n"
                              "1 | Connect:192.168 RELAY\n"
                              "  |                 ^^^^^ allows it\n"
                              "  = note: see cf/README\n"
                              "  = more: smaudit explain SM-S010\n\n");
}

TEST_CASE("control characters, invalid UTF-8 and bidi overrides are shown safely") {
    SourceSet s;
    // a b \xe9 ESC [ 3 1 m X: eight columns before X, each byte one column.
    FileId f = s.add("aliases", std::string("ab\xe9\x1b[31mX\r\n"));
    Diagnostic d = finding("SM-E002", "bad-byte", Severity::Low, "bad \x1b[2J byte\x07",
                           {f, span_of(s, f, "X")}, "\xff");
    CHECK(render_one(s, d) == "aliases:1:9: low SM-E002 bad-byte\n"
                              "  bad \xe2\x90\x9b[2J byte\xe2\x90\x87\n"
                              "  |\n"
                              "1 | ab\xef\xbf\xbd\xe2\x90\x9b[31mX\n"
                              "  |         ^ \xef\xbf\xbd\n"
                              "  = more: smaudit explain SM-E002\n\n");
    // U+202E (right-to-left override) is named, and the caret after it still lines up.
    FileId g = s.add("g", "a\xe2\x80\xae"
                          "bc\n");
    d.where = {g, span_of(s, g, "c")};
    d.label.clear();
    std::string out = render_one(s, d);
    CHECK(out.find("g:1:4:") == 0);
    CHECK(out.find("1 | a<U+202E>bc\n  | " + spaces(10) + "^\n") != std::string::npos);
    // NUL and DEL get control pictures; an overlong encoding is one U+FFFD (one column).
    CHECK(display_text(std::string_view("\0\x7f\xc0\x80", 4)) ==
          "\xe2\x90\x80\xe2\x90\xa1\xef\xbf\xbd");
}

TEST_CASE("colours only when asked, and the whole report is sorted with a summary") {
    SourceSet s;
    FileId mc = s.add("b.mc", "one\ntwo\n");
    FileId cf = s.add("a.cf", "three\n");
    AuditResult r;
    r.files = {mc, cf};
    r.diagnostics.push_back(finding("SM-S002", "y", Severity::High, "m2", {mc, {4, 7}}));
    r.diagnostics.push_back(finding("SM-S001", "x", Severity::Critical, "m1", {mc, {0, 3}}));
    r.diagnostics.push_back(finding("SM-P001", "z", Severity::Low, "m3", {cf, {0, 5}}));
    r.diagnostics.back().pack = Pack::Performance;
    r.scores = {{Pack::Security, {41, "F"}}, {Pack::Performance, {72, "C"}}};
    r.roles = {{mc, "mx", false, "mx", "daemon MTA on port 25 on all addresses", true}};

    std::string plain = render_terminal(s, r, {});
    CHECK(plain.find('\x1b') == std::string::npos);
    // a.cf before b.mc; in b.mc by offset.
    size_t a = plain.find("a.cf:1:1: low SM-P001");
    size_t b1 = plain.find("b.mc:1:1: critical SM-S001");
    size_t b2 = plain.find("b.mc:2:1: high SM-S002");
    CHECK(a < b1);
    CHECK(b1 < b2);
    CHECK(b2 != std::string::npos);
    std::string summary = "2 files · role mx (detected: daemon MTA on port 25 on all addresses) "
                          "· 1 critical, 1 high, 1 low\n"
                          "security 41/100 F · performance 72/100 C\n"
                          "\n"
                          "b.mc:1:1: critical SM-S001 x: m1\n"
                          "b.mc:2:1: high SM-S002 y: m2\n";
    CHECK(plain.ends_with("  = more: smaudit explain SM-S002\n\n" + summary));
    CHECK(render_summary(s, r) == summary);

    TerminalOptions colour;
    colour.color = true;
    std::string painted = render_terminal(s, r, colour);
    CHECK(painted.find("\x1b[1;35mcritical\x1b[0m \x1b[1mSM-S001\x1b[0m x") != std::string::npos);
    CHECK(painted.find("\x1b[1;31mF\x1b[0m") != std::string::npos);

    TerminalOptions quiet;
    quiet.findings = false;
    CHECK(render_terminal(s, r, quiet) == summary);

    AuditResult clean;
    clean.files = {mc};
    CHECK(render_summary(s, clean) == "1 file · no findings\n");
}

TEST_CASE("the streamed report is every finding's block then the summary, across blocks") {
    SourceSet s;
    FileId f = s.add("x.cf", "O A=B\nO C=D\n");
    AuditResult r;
    r.files = {f};
    std::string expected;
    for (uint32_t i = 0; i < 2000; ++i)
        r.diagnostics.push_back(finding("SM-S001", "n", Severity::Low, "m" + std::to_string(i),
                                        {f, {i % 2 * 6, i % 2 * 6 + 1}}));
    for (const Diagnostic* d : sorted_diagnostics(r.diagnostics, s))
        expected += render_one(s, *d, f);
    expected += render_summary(s, r);
    CHECK(expected.size() > 128 * 1024);
    std::ostringstream streamed;
    write_terminal(streamed, s, r);
    CHECK(streamed.str() == expected);
    CHECK(render_terminal(s, r) == expected);
}

TEST_CASE("a multi-line message is indented line by line, an empty one prints nothing") {
    SourceSet s;
    FileId f = s.add("x.cf", "O A=B\n");
    Diagnostic d = finding("SM-S001", "n", Severity::Info, "first\n\nthird", {f, {0, 1}});
    CHECK(render_one(s, d) == "x.cf:1:1: info SM-S001 n\n"
                              "  first\n"
                              "\n"
                              "  third\n"
                              "  |\n"
                              "1 | O A=B\n"
                              "  | ^\n"
                              "  = more: smaudit explain SM-S001\n\n");
    d.message.clear();
    CHECK(render_one(s, d) == "x.cf:1:1: info SM-S001 n\n"
                              "  |\n"
                              "1 | O A=B\n"
                              "  | ^\n"
                              "  = more: smaudit explain SM-S001\n\n");
}

TEST_CASE("the summary counts suppressed findings and shows only the packs that ran") {
    SourceSet s;
    FileId cf = s.add("a.cf", "O A=B\n");
    AuditResult r;
    r.files = {cf};
    r.diagnostics.push_back(finding("SM-S001", "x", Severity::Low, "m", {cf, {0, 1}}));
    r.suppressed.push_back({finding("SM-S002", "y", Severity::High, "m", {cf, {0, 1}}), "", {}});
    r.suppressed.push_back({finding("SM-S003", "z", Severity::Low, "m", {cf, {0, 1}}), "", {}});
    PackScore not_run;
    not_run.ran = false;
    not_run.not_graded = "none of its rules ran (--pack, --select, --ignore)";
    r.scores = {{Pack::Security, {97, "A+"}}, {Pack::Performance, not_run}};
    CHECK(render_summary(s, r) == "1 file · 1 low · 2 suppressed\nsecurity 97/100 A+\n");

    // Not graded: the reason instead of the score; packs with the same reason share it.
    r.scores[Pack::Security] = {100, "A+", "only 1 of its 26 rules ran (--select, --ignore)"};
    r.scores[Pack::Performance] = {100, "A+", "none of its rules ran (--pack, --select, --ignore)",
                                   false};
    CHECK(render_summary(s, r) == "1 file · 1 low · 2 suppressed\n"
                                  "security not graded: only 1 of its 26 rules ran (--select, "
                                  "--ignore)\n");
    const std::string not_built = "x.mc could not be built (x.mc:3: m4 cannot include OSTYPE "
                                  "file `nosuch.m4')";
    r.scores[Pack::Security] = {100, "A+", not_built};
    r.scores[Pack::Performance] = {100, "A+", not_built};
    r.suppressed.clear();
    CHECK(render_summary(s, r) ==
          "1 file · 1 low\nsecurity and performance not graded: " + not_built + "\n");
    r.scores[Pack::Performance] = {86, "B"};
    CHECK(render_summary(s, r) ==
          "1 file · 1 low\nsecurity not graded: " + not_built + " · performance 86/100 B\n");
    // Nothing scored at all (--pack syntax): no score line.
    r.scores[Pack::Security] = not_run;
    r.scores[Pack::Performance] = not_run;
    CHECK(render_summary(s, r) == "1 file · 1 low\n");
}

TEST_CASE("the report ends with the critical and high findings, one line each") {
    SourceSet s;
    FileId mc = s.add("b.mc", "one\ntwo\nthree\n", FileKind::Mc);
    FileId cf = s.add("a.cf", "O A=B\n", FileKind::Cf);
    AuditResult r;
    r.files = {mc, cf};
    r.diagnostics.push_back(finding("SM-S005", "h2", Severity::High, "second high", {mc, {8, 13}}));
    r.diagnostics.push_back(finding("SM-S004", "l", Severity::Low, "low", {mc, {0, 3}}));
    r.diagnostics.push_back(
        finding("SM-S003", "c", Severity::Critical, "open relay\nmore detail", {mc, {4, 7}}));
    r.diagnostics.push_back(finding("SM-S002", "h1", Severity::High, "first high", {cf, {2, 3}}));
    Diagnostic about_default = finding("SM-S001", "d", Severity::High, "a default", Location{});
    about_default.config_file = mc;
    r.diagnostics.push_back(about_default);
    r.scores = {{Pack::Security, {41, "F"}}};

    // The body keeps location order (a.cf, then b.mc by offset); the list at the end has the
    // critical finding first, then the high ones in location order, each message's first line.
    std::string report = render_terminal(s, r);
    CHECK(report.find("a.cf:1:3: high SM-S002") < report.find("b.mc: high SM-S001"));
    CHECK(report.find("b.mc: high SM-S001") < report.find("b.mc:2:1: critical SM-S003"));
    CHECK(report.ends_with("  = more: smaudit explain SM-S005\n"
                           "\n"
                           "2 files · 1 critical, 3 high, 1 low\n"
                           "security 41/100 F\n"
                           "\n"
                           "b.mc:2:1: critical SM-S003 c: open relay\n"
                           "a.cf:1:3: high SM-S002 h1: first high\n"
                           "b.mc: high SM-S001 d: a default\n"
                           "b.mc:3:1: high SM-S005 h2: second high\n"));

    // Colour: the severity as in the finding blocks.
    TerminalOptions colour;
    colour.color = true;
    CHECK(render_summary(s, r, colour)
              .find("\x1b[1mb.mc:2:1\x1b[0m: \x1b[1;35mcritical\x1b[0m \x1b[1mSM-S003\x1b[0m c: "
                    "open relay\n") != std::string::npos);

    // No critical or high finding: no list, the report ends with the scores.
    AuditResult mild;
    mild.files = {cf};
    mild.diagnostics.push_back(finding("SM-S004", "l", Severity::Medium, "m", {cf, {0, 1}}));
    CHECK(render_summary(s, mild) == "1 file · 1 medium\n");
}

TEST_CASE("the list of critical and high findings stops after 50 lines and says how many more") {
    SourceSet s;
    std::string text;
    for (int i = 1; i <= 60; ++i)
        text += "O A=B\n";
    FileId cf = s.add("a.cf", text, FileKind::Cf);
    AuditResult r;
    r.files = {cf};
    for (uint32_t i = 0; i < 58; ++i)
        r.diagnostics.push_back(
            finding("SM-S002", "h", Severity::High, "m", {cf, {i * 6, i * 6 + 1}}));
    // The criticals come last in the file but first in the list.
    r.diagnostics.push_back(
        finding("SM-S001", "c", Severity::Critical, "m", {cf, {58 * 6, 58 * 6 + 1}}));
    r.diagnostics.push_back(
        finding("SM-S001", "c", Severity::Critical, "m", {cf, {59 * 6, 59 * 6 + 1}}));
    std::string summary = render_summary(s, r);
    std::string expected = "1 file · 2 critical, 58 high\n\n"
                           "a.cf:59:1: critical SM-S001 c: m\n"
                           "a.cf:60:1: critical SM-S001 c: m\n";
    for (int line = 1; line <= 48; ++line)
        expected += "a.cf:" + std::to_string(line) + ":1: high SM-S002 h: m\n";
    expected += "… and 10 more critical or high findings above\n";
    CHECK(summary == expected);
}

TEST_CASE("roles: one role in the summary line, several roles a line each before it") {
    SourceSet s;
    FileId mc = s.add("sendmail.mc", "");
    FileId cf = s.add("sendmail.cf", "");
    FileId submit = s.add("submit.mc", "");
    AuditResult r;
    r.files = {cf, mc, submit};
    const ConfigRole loopback{
        mc, "client-only", false, "client-only", "every daemon listens on 127.0.0.1", false};
    r.roles = {loopback};
    CHECK(render_summary(s, r).starts_with("3 files · role client-only (detected: every daemon "
                                           "listens on 127.0.0.1) · no findings\n"));
    // The same role said of two configurations: still one group, in the summary line.
    r.roles.push_back(loopback);
    r.roles.back().file = cf;
    CHECK(render_summary(s, r).starts_with("3 files · role client-only (detected: "));
    r.roles.push_back(
        {submit, "msp", false, "msp", "FEATURE(`msp'): the mail submission program", false});
    CHECK(render_summary(s, r).starts_with(
        "sendmail.mc, sendmail.cf: role client-only (detected: every daemon listens on "
        "127.0.0.1)\n"
        "submit.mc: role msp (detected: FEATURE(`msp'): the mail submission program)\n"
        "3 files · no findings\n"));
    // Given with --role: what detection found, when it differs.
    r.roles = {{mc, "mx", true, "client-only", "every daemon listens on 127.0.0.1", false}};
    CHECK(render_summary(s, r).starts_with("3 files · role mx (given; detected client-only) · "));
    r.roles = {{mc, "mx", true, "mx", "daemon MTA on port 25 on all addresses", true}};
    CHECK(render_summary(s, r).starts_with("3 files · role mx (given) · "));
}

TEST_CASE(
    "the summary after --fix: fixes per file, what was not fixed grouped by file and reason") {
    FixingSummary fixing;
    fixing.applied = {{"a/sendmail.mc", 5}, {"a/access", 1}};
    fixing.passes = 2;
    fixing.not_applied = {{"a/sendmail.cf", "SM-S023", "m1", "rebuilt from the .mc"},
                          {"a/sendmail.cf", "SM-S022", "m2", "rebuilt from the .mc"},
                          {"a/sendmail.cf", "SM-S023", "m3", "rebuilt from the .mc"},
                          {"a/sendmail.mc", "SM-S020", "m4", "its finding would remain"}};
    fixing.unsafe_left = 1;
    fixing.notes = {"rebuild a/sendmail.cf"};
    CHECK(report::render_fix_summary(fixing, false) ==
          "fixed: 6 fixes (a/sendmail.mc 5, a/access 1) in 2 passes\n"
          "not fixed: a/sendmail.cf: SM-S023, SM-S022: rebuilt from the .mc\n"
          "not fixed: a/sendmail.mc: SM-S020: its finding would remain\n"
          "1 unsafe fix not applied (--unsafe-fixes applies them)\n"
          "note: rebuild a/sendmail.cf\n");
    CHECK(report::render_fix_summary(FixingSummary{}, true) == "would fix: nothing\n");
}
