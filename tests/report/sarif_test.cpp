// SARIF reporter: a golden log of a small hand-made result (tests/report/sarif_golden.sarif, every
// value checked by hand, see the comments of golden_result), fingerprints that survive moved lines,
// URIs relative to the root, region columns in code points on a line with a tab, a two-byte and a
// four-byte UTF-8 character, and the log valid against the SARIF 2.1.0 schema.
#include "../support/temp_dir.hpp"
#include "report/sarif.hpp"

#include "report_test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace smaudit;
using namespace smaudit::report;
using Json = nlohmann::ordered_json;

namespace {

SarifRule rule(std::string id, std::string name, Severity severity, std::string summary,
               std::vector<std::string> tags) {
    SarifRule r;
    r.id = std::move(id);
    r.name = std::move(name);
    r.severity = severity;
    r.summary = std::move(summary);
    r.tags = std::move(tags);
    return r;
}

// The result the golden log is made of; what was checked by hand in the log:
// - driver.rules: SM-E001, SM-S015, SM-S020, SM-S023 (the rules the results name, in ID order:
//   ruleIndex 0..3); SM-S099, in the context but named by no result, is left out. SM-E001 is not
//   in the context: its descriptor has only its ID, name, helpUri, and the finding's pack as tag
//   and severity (critical: level error, security-severity 9.5). The others: high 8.0 error,
//   medium 5.5 warning, low 2.0 note; help only where the rule has a doc page (SM-S023); the
//   full description is the summary when the rule gives none.
// - invocations: not successful (the unreadable access file), one error notification located at
//   etc/mail/access under %SRCROOT%, one warning that performance is not graded; the graded
//   security pack says nothing.
// - %SRCROOT% is file:///repo/; etc/mail/sendmail.mc is relative to it; proto.m4, outside, is an
//   absolute file URI.
// - Report order: SM-E001 (offset 0) and SM-S015 (about a default, sorted at offset 0) by rule
//   ID, then SM-S023, then the suppressed SM-S020.
// - SM-S015: located at sendmail.mc without a region, aboutDefault true.
// - SM-S023 at line 2, columns 29-43 ("`authwarnings'" starts after the 28 characters of
//   "define(`confPRIVACY_FLAGS', "; 14 characters), its label as the location's message, the
//   proto.m4 note at line 2, columns 18-35 ("O PrivacyOptions=" is 17 characters, the macro
//   name 17), the fix inserting ",goaway" at column 42 (byte 55: 14 bytes of line 1, 41 before
//   the closing quote), safe false.
// - The suppressed SM-S020 at line 4, columns 30-46 (29 characters before the value, 16 in it),
//   with kind inSource, status accepted, the reason as justification and the comment's line 3
//   (52 characters: columns 1-53).
// - Fingerprints: the hashes of SM-S023, SM-S015 and SM-S020 recomputed by an independent
//   FNV-1a in Python over rule, URI and line (the message for SM-S015), NUL-separated.
AuditResult golden_result(SourceSet& s, SarifContext& context) {
    FileId proto = s.add("/usr/share/sendmail/cf/m4/proto.m4",
                         "divert(0)\nO PrivacyOptions=confPRIVACY_FLAGS\n", FileKind::M4);
    FileId mc = s.add("etc/mail/sendmail.mc",
                      "divert(-1)dnl\ndefine(`confPRIVACY_FLAGS', `authwarnings')dnl\n"
                      "dnl smaudit: ignore[SM-S020] the greeting may say so\n"
                      "define(`confSMTP_LOGIN_MSG', `$j Sendmail $v')dnl\n",
                      FileKind::Mc);
    AuditResult r;
    r.files = {mc};
    Span value = span_of(s, mc, "`authwarnings'");
    Diagnostic vrfy =
        finding("SM-S023", "vrfy-enabled", Severity::High, "VRFY is enabled", {mc, value});
    vrfy.label = "PrivacyOptions is set here";
    vrfy.notes.push_back({{proto, span_of(s, proto, "confPRIVACY_FLAGS")}, "written here"});
    vrfy.fix = Fix{"add goaway", false, {Edit{{mc, {value.end - 1, value.end - 1}}, ",goaway"}}};
    r.diagnostics.push_back(vrfy);
    Diagnostic throttle = finding("SM-S015", "bad-rcpt-throttle-unset", Severity::Medium,
                                  "BadRcptThrottle is not set", Location{});
    throttle.config_file = mc;
    throttle.about_default = true;
    r.diagnostics.push_back(throttle);
    Diagnostic syntax =
        finding("SM-E001", "unexpected-end", Severity::Critical, "input ends here", {mc, {0, 0}});
    syntax.pack = Pack::Syntax;
    syntax.severity = Severity::Critical;
    r.diagnostics.push_back(syntax);
    Diagnostic greeting =
        finding("SM-S020", "greeting-reveals-version", Severity::Low,
                "the greeting shows the version", {mc, span_of(s, mc, "`$j Sendmail $v'")});
    uint32_t comment = static_cast<uint32_t>(s.get(mc).text().find("dnl smaudit"));
    r.suppressed.push_back({greeting, "the greeting may say so", {mc, {comment, comment + 52}}});
    r.scores = {
        {Pack::Security, {59, "F"}},
        {Pack::Performance, {100, "A+", "only 3 of its 12 rules ran (--select, --ignore)"}}};

    SarifRule vrfy_rule =
        rule("SM-S023", "vrfy-enabled", Severity::High, "VRFY is enabled", {"security", "SEC-023"});
    vrfy_rule.description = "VRFY is enabled: PrivacyOptions has neither novrfy nor goaway.";
    vrfy_rule.doc_page = "# SM-S023 vrfy-enabled\n\nVRFY is enabled.\n";
    context.rules = {rule("SM-S015", "bad-rcpt-throttle-unset", Severity::Medium,
                          "BadRcptThrottle is not set", {"security"}),
                     rule("SM-S020", "greeting-reveals-version", Severity::Low,
                          "the greeting shows the version", {"security", "SEC-020"}),
                     vrfy_rule,
                     rule("SM-S099", "unused", Severity::Info, "named by no result", {"security"})};
    context.root = "/repo";
    context.failures = {{"/repo/etc/mail/access", "permission denied"}};
    return r;
}

Json log_of(const SourceSet& s, const AuditResult& r, const SarifContext& c) {
    return Json::parse(render_sarif(s, r, c));
}

const Json& first_result(const Json& log) {
    return log["runs"][0]["results"][0];
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool have_jsonschema() {
    return std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

const std::string kSchema = SMAUDIT_SOURCE_DIR "/../shared/schemas/sarif-schema-2.1.0.json";

// Exit status 0 when `log` is valid against the SARIF 2.1.0 schema.
int validate(const std::string& log) {
    const TempDir dir("smaudit-sarif");
    const std::string path = (dir.path / "log.sarif").string();
    std::ofstream(path, std::ios::binary) << log;
    std::string cmd = "/usr/bin/python3 -c 'import json, sys, jsonschema; "
                      "jsonschema.validate(json.load(open(sys.argv[2], encoding=\"utf-8\")), "
                      "json.load(open(sys.argv[1])), cls=jsonschema.Draft4Validator)' " +
                      kSchema + " " + path + " 2>/dev/null";
    return std::system(cmd.c_str());
}

} // namespace

TEST_CASE("golden: the log of a small hand-made result, checked by hand") {
    SourceSet s;
    SarifContext context;
    AuditResult r = golden_result(s, context);
    const std::string golden = read_file(SMAUDIT_SOURCE_DIR "/tests/report/sarif_golden.sarif");
    REQUIRE(!golden.empty());
    const std::string log = render_sarif(s, r, context);
    if (log != golden) {
        const TempDir dir("smaudit-sarif-golden");
        std::ofstream((dir.path / "actual.sarif").string(), std::ios::binary) << log;
        const std::string diff = "diff -u " SMAUDIT_SOURCE_DIR "/tests/report/sarif_golden.sarif " +
                                 (dir.path / "actual.sarif").string() + " | head -60";
        CHECK(std::system(diff.c_str()) == 0);
    }
    CHECK(log == golden);
    if (have_jsonschema())
        CHECK(validate(log) == 0);
    else
        MESSAGE("python3-jsonschema is not installed: schema validation skipped");
}

TEST_CASE("the schema check can fail") {
    if (!have_jsonschema()) return;
    SourceSet s;
    SarifContext context;
    Json log = log_of(s, golden_result(s, context), context);
    log["runs"][0]["columnKind"] = "bytes";
    CHECK(validate(log.dump()) != 0);
}

TEST_CASE("with a baseline in effect every result has its baselineState; without, none has") {
    SourceSet s;
    SarifContext context;
    AuditResult r = golden_result(s, context);
    const Json without = log_of(s, r, context);
    for (const Json& result : without["runs"][0]["results"])
        CHECK_FALSE(result.contains("baselineState"));

    // The reported findings are the ones the baseline does not list: new. A suppressed finding
    // is unchanged when it used up a baseline entry (it was there before), else new.
    r.baseline = BaselineSummary{"baseline.json", 3, 1};
    const std::string log = render_sarif(s, r, context);
    auto states = [](const std::string& text) {
        std::vector<std::string> out;
        const Json log = Json::parse(text);
        for (const Json& result : log["runs"][0]["results"])
            out.push_back(result.value("baselineState", "(none)") + " " +
                          result["ruleId"].get<std::string>());
        return out;
    };
    // Report order (see golden_result): SM-E001, SM-S015, SM-S023, then the suppressed SM-S020.
    CHECK(states(log) ==
          std::vector<std::string>{"new SM-E001", "new SM-S015", "new SM-S023", "new SM-S020"});
    r.suppressed[0].baselined = true;
    const std::string with_unchanged = render_sarif(s, r, context);
    CHECK(states(with_unchanged) == std::vector<std::string>{"new SM-E001", "new SM-S015",
                                                             "new SM-S023", "unchanged SM-S020"});
    if (have_jsonschema()) {
        CHECK(validate(with_unchanged) == 0);
        Json bad = Json::parse(with_unchanged);
        bad["runs"][0]["results"][0]["baselineState"] = "baselined"; // not SARIF's word
        CHECK(validate(bad.dump()) != 0);
    }
}

TEST_CASE("fingerprints: the same when lines move and blanks change, not when the line does") {
    auto fingerprint = [](std::string text, std::string_view flagged) {
        SourceSet s;
        FileId cf = s.add("sendmail.cf", std::move(text), FileKind::Cf);
        AuditResult r;
        r.files = {cf};
        r.diagnostics.push_back(finding("SM-S023", "vrfy-enabled", Severity::Medium, "VRFY",
                                        {cf, span_of(s, cf, flagged)}));
        SarifContext c;
        c.root = "/repo";
        Json log = log_of(s, r, c);
        return first_result(log)["partialFingerprints"]["primaryLocationLineHash"]
            .get<std::string>();
    };
    const std::string original =
        fingerprint("V10/Berkeley\nO PrivacyOptions=authwarnings\n", "authwarnings");
    CHECK(original.size() == 18); // 16 hex digits, ":1"
    CHECK(original.ends_with(":1"));
    // Three lines added above, the line indented differently and with a blank at its end.
    CHECK(fingerprint("V10/Berkeley\n# LAN relay\nO LogLevel=9\n\nO\tPrivacyOptions=authwarnings "
                      "\n",
                      "authwarnings") == original);
    CHECK(fingerprint("O PrivacyOptions=authwarnings", "authwarnings") == original);
    // Another value on the line, another rule or another file: another fingerprint.
    CHECK(fingerprint("V10/Berkeley\nO PrivacyOptions=authwarnings,noexpn\n", "authwarnings") !=
          original);
    CHECK(fingerprint_hash("SM-S022", "sendmail.cf", "O PrivacyOptions=authwarnings") !=
          fingerprint_hash("SM-S023", "sendmail.cf", "O PrivacyOptions=authwarnings"));
    CHECK(fingerprint_hash("SM-S023", "a/sendmail.cf", "O PrivacyOptions=authwarnings") !=
          fingerprint_hash("SM-S023", "sendmail.cf", "O PrivacyOptions=authwarnings"));
    CHECK(original.substr(0, 16) ==
          fingerprint_hash("SM-S023", "sendmail.cf", "  O PrivacyOptions=authwarnings\t"));
}

TEST_CASE("fingerprints: two findings of one rule on identical lines are told apart") {
    SourceSet s;
    FileId access = s.add("access", "Connect:10 RELAY\nConnect:10 RELAY\n", FileKind::Access);
    AuditResult r;
    r.files = {access};
    for (uint32_t at : {0u, 17u})
        r.diagnostics.push_back(
            finding("SM-S010", "relay", Severity::High, "relays", {access, {at, at + 10}}));
    SarifContext c;
    c.root = "/repo";
    Json log = log_of(s, r, c);
    const Json& results = log["runs"][0]["results"];
    std::string a = results[0]["partialFingerprints"]["primaryLocationLineHash"];
    std::string b = results[1]["partialFingerprints"]["primaryLocationLineHash"];
    CHECK(a.substr(0, 16) == b.substr(0, 16));
    CHECK(a.ends_with(":1"));
    CHECK(b.ends_with(":2"));
}

TEST_CASE("URIs: relative under the root, absolute file URIs outside it, percent-encoded") {
    auto uri = [](std::string_view path, std::string_view root) {
        ArtifactUri u = artifact_uri(path, root);
        return (u.under_root ? "rel:" : "abs:") + u.uri;
    };
    CHECK(uri("etc/mail/sendmail.mc", "/repo") == "rel:etc/mail/sendmail.mc");
    CHECK(uri("/repo/etc/mail/sendmail.mc", "/repo") == "rel:etc/mail/sendmail.mc");
    CHECK(uri("/repo/etc/mail/sendmail.mc", "/repo/") == "rel:etc/mail/sendmail.mc");
    CHECK(uri("./etc/../sendmail.cf", "/repo") == "rel:sendmail.cf");
    CHECK(uri("/etc/mail/sendmail.cf", "/repo") == "abs:file:///etc/mail/sendmail.cf");
    // A sibling whose name starts like the root's is not under it.
    CHECK(uri("/repository/sendmail.cf", "/repo") == "abs:file:///repository/sendmail.cf");
    CHECK(uri("../other/sendmail.cf", "/repo/sub") == "abs:file:///repo/other/sendmail.cf");
    CHECK(uri("/repo", "/repo") == "abs:file:///repo");
    // Spaces, '%', '#' and UTF-8 (and a stray latin-1 byte) are encoded byte by byte.
    CHECK(uri("my mail/caf\xc3\xa9#1%.cf", "/repo") == "rel:my%20mail/caf%C3%A9%231%25.cf");
    CHECK(uri("/srv/caf\xe9.mc", "/repo") == "abs:file:///srv/caf%E9.mc");

    SourceSet s;
    FileId mc = s.add("/etc/mail/sendmail.mc", "dnl\n", FileKind::Mc);
    AuditResult r;
    r.files = {mc};
    r.diagnostics.push_back(finding("SM-S001", "x", Severity::Low, "m", {mc, {0, 3}}));
    SarifContext c;
    c.root = "/home/ci/repo";
    Json log = log_of(s, r, c);
    CHECK(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///home/ci/repo/");
    CHECK(first_result(log)["locations"][0]["physicalLocation"]["artifactLocation"] ==
          Json::parse(R"({"uri":"file:///etc/mail/sendmail.mc"})"));
}

TEST_CASE("regions: columns count code points on a line with a tab and multi-byte UTF-8") {
    SourceSet s;
    // Line 2: 'O' 1, tab 2, "SmtpGreetingMessage=" 3-22, "café" 23-26, space 27, U+1D11E 28,
    // tab 29, "$v" 30-31. In bytes "$v" would start at column 34 (é is 2 bytes, U+1D11E 4), in
    // UTF-16 code units at 31 (U+1D11E is a surrogate pair): code points give 30.
    FileId cf =
        s.add("sendmail.cf", "V10\nO\tSmtpGreetingMessage=caf\xc3\xa9 \xf0\x9d\x84\x9e\t$v\n",
              FileKind::Cf);
    AuditResult r;
    r.files = {cf};
    Diagnostic d =
        finding("SM-S020", "greeting", Severity::Low, "version", {cf, span_of(s, cf, "$v")});
    Span value = span_of(s, cf, "caf\xc3\xa9 \xf0\x9d\x84\x9e\t$v");
    d.fix = Fix{"drop the version", true, {Edit{{cf, value}, "$j"}}};
    r.diagnostics.push_back(d);
    SarifContext c;
    c.root = "/repo";
    Json log = log_of(s, r, c);
    CHECK(log["runs"][0]["columnKind"] == "unicodeCodePoints");
    const Json& result = first_result(log);
    CHECK(result["locations"][0]["physicalLocation"]["region"] ==
          Json::parse(R"({"startLine":2,"startColumn":30,"endLine":2,"endColumn":32})"));
    // The fix's region: "café ..." is columns 23-31 (end 32), bytes 26-39 (4 + 22 before it;
    // 5 + 1 + 4 + 1 + 2 = 13 bytes long).
    const Json& replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    CHECK(replacement["deletedRegion"] ==
          Json::parse(R"({"startLine":2,"startColumn":23,"endLine":2,"endColumn":32,
                          "byteOffset":26,"byteLength":13})"));
    CHECK(replacement["insertedContent"]["text"] == "$j");
    CHECK(result["fixes"][0]["properties"]["safe"] == true);
}

TEST_CASE("suppressions without a reason have no justification; a clean run succeeds") {
    SourceSet s;
    SarifContext context;
    AuditResult r = golden_result(s, context);
    r.suppressed.front().reason.clear();
    context.failures.clear();
    r.scores[Pack::Performance] = {100, "A+"};
    Json log = log_of(s, r, context);
    const Json& run = log["runs"][0];
    CHECK(run["invocations"] == Json::parse(R"([{"executionSuccessful":true}])"));
    const Json& last = run["results"].back();
    CHECK(last["suppressions"] == Json::parse(R"([{"kind":"inSource","status":"accepted",
        "location":{"physicalLocation":{"artifactLocation":{"uri":"etc/mail/sendmail.mc",
        "uriBaseId":"%SRCROOT%"},"region":{"startLine":3,"startColumn":1,"endLine":3,
        "endColumn":53}}}}])"));
}

TEST_CASE("severity mapping") {
    CHECK(security_severity(Severity::Critical) == "9.5");
    CHECK(security_severity(Severity::High) == "8.0");
    CHECK(security_severity(Severity::Medium) == "5.5");
    CHECK(security_severity(Severity::Low) == "2.0");
    CHECK(security_severity(Severity::Info).empty());
    CHECK(sarif_level(Severity::Critical) == "error");
    CHECK(sarif_level(Severity::High) == "error");
    CHECK(sarif_level(Severity::Medium) == "warning");
    CHECK(sarif_level(Severity::Low) == "note");
    CHECK(sarif_level(Severity::Info) == "note");
}

TEST_CASE("an empty result is a valid log with no results") {
    SourceSet s;
    SarifContext c;
    c.root = "/";
    Json log = log_of(s, AuditResult{}, c);
    CHECK(log["runs"][0]["results"].empty());
    CHECK(log["runs"][0]["tool"]["driver"]["rules"].empty());
    CHECK(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///");
    if (have_jsonschema()) CHECK(validate(log.dump()) == 0);
}

TEST_CASE("a finding placed at an OSTYPE call has the file the call reads as related location") {
    SourceSet s;
    FileId ostype =
        s.add("/usr/share/sendmail/cf/ostype/debian.m4", "define(`confX', `1')\n", FileKind::M4);
    FileId mc = s.add("sendmail.mc", "OSTYPE(`debian')dnl\nMAILER(`local')dnl\n", FileKind::Mc);
    AuditResult r;
    r.files = {mc};
    const Span call = span_of(s, mc, "OSTYPE(`debian')");
    r.diagnostics.push_back(finding("SM-P003", "x", Severity::Low, "m", {mc, call}));
    r.diagnostics.push_back(
        finding("SM-P004", "y", Severity::Low, "m", {mc, span_of(s, mc, "MAILER(`local')")}));
    SarifContext c;
    c.root = "/repo";
    c.included = {{ostype, {mc, call}}};
    Json log = log_of(s, r, c);
    const Json& results = log["runs"][0]["results"];
    CHECK(results[0]["relatedLocations"] == Json::parse(R"([{"id":0,"physicalLocation":{
        "artifactLocation":{"uri":"file:///usr/share/sendmail/cf/ostype/debian.m4"}},
        "message":{"text":"the file this call reads: /usr/share/sendmail/cf/ostype/debian.m4"}}])"));
    CHECK(!results[1].contains("relatedLocations"));
    if (have_jsonschema()) CHECK(validate(log.dump()) == 0);
}
