// JSON reporter: the exact document for a small hand-made result (key order included), positions
// for CRLF/UTF-8/EOF spans counted by hand, and validation of real output against
// docs/schema/report-v1.schema.json with python3-jsonschema.
#include "../support/temp_dir.hpp"
#include "report/json.hpp"

#include "report_test_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace smaudit;
using namespace smaudit::report;
using Json = nlohmann::ordered_json;

namespace {

// One .mc: a finding with a fix and a finding about a default (given out of order), a suppressed
// finding, a graded pack and one that is not graded.
AuditResult small_result(SourceSet& s) {
    FileId mc = s.add("sendmail.mc",
                      "divert(-1)dnl\ndefine(`confPRIVACY_FLAGS', `authwarnings')dnl\n"
                      "dnl smaudit: ignore[SM-S020] the greeting may say so\n"
                      "define(`confSMTP_LOGIN_MSG', `$j Sendmail $v')dnl\n",
                      FileKind::Mc);
    AuditResult r;
    r.files = {mc};
    // "`authwarnings'" starts in column 29 and is 14 characters: end column 43. The closing
    // quote is column 42.
    Span value = span_of(s, mc, "`authwarnings'");
    Diagnostic vrfy =
        finding("SM-S023", "vrfy-enabled", Severity::High, "VRFY is enabled", {mc, value});
    vrfy.fix = Fix{"add goaway", false, {Edit{{mc, {value.end - 1, value.end - 1}}, ",goaway"}}};
    r.diagnostics.push_back(vrfy);
    Diagnostic throttle = finding("SM-S015", "bad-rcpt-throttle-unset", Severity::Medium,
                                  "BadRcptThrottle is not set", Location{});
    throttle.config_file = mc;
    throttle.about_default = true;
    r.diagnostics.push_back(throttle);
    // "define(`confSMTP_LOGIN_MSG', " is 29 characters: the value starts in column 30 and is
    // 16 characters long (end column 46). The comment is line 3.
    Diagnostic greeting =
        finding("SM-S020", "greeting-reveals-version", Severity::Low,
                "the greeting shows the version", {mc, span_of(s, mc, "`$j Sendmail $v'")});
    uint32_t comment = static_cast<uint32_t>(s.get(mc).text().find("dnl smaudit"));
    r.suppressed.push_back({greeting, "the greeting may say so", {mc, {comment, comment + 52}}});
    r.scores = {
        {Pack::Security, {59, "F"}},
        {Pack::Performance, {100, "A+", "only 3 of its 12 rules ran (--select, --ignore)"}}};
    return r;
}

// Several files, every kind of position the contract talks about.
AuditResult full_result(SourceSet& s) {
    AuditResult r = small_result(s);
    FileId al =
        s.add("aliases", "jos\xc3\xa9: \xc3\xa9l\xc3\xa8ve\r\nroot: admin\r\n", FileKind::Aliases);
    FileId cf = s.add("sendmail.cf", "O A=B", FileKind::Cf);
    r.files.push_back(al);
    r.files.push_back(cf);
    r.diagnostics.push_back(finding("SM-S041", "unicode-name", Severity::Low, "utf-8",
                                    {al, span_of(s, al, "\xc3\xa9l\xc3\xa8ve")}));
    r.diagnostics.push_back(finding("SM-S040", "whole-line", Severity::Info, "crlf line",
                                    {al, span_of(s, al, "root: admin\r\n")}));
    Diagnostic eof = finding("SM-E001", "unexpected-end", Severity::Critical,
                             "latin-1 caf\xe9 in a message", {cf, {5, 5}});
    eof.pack = Pack::Syntax;
    r.diagnostics.push_back(eof);
    r.scores[Pack::Performance] = {100, "A+"};
    return r;
}

bool have_jsonschema() {
    return std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

// Exit status 0 when `document` is valid against the report schema.
int validate(const std::string& document) {
    const TempDir dir("smaudit-report");
    const std::string path = (dir.path / "report.json").string();
    std::ofstream(path, std::ios::binary) << document;
    std::string cmd = "/usr/bin/python3 -c 'import json, sys, jsonschema; "
                      "jsonschema.validate(json.load(open(sys.argv[2], encoding=\"utf-8\")), "
                      "json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)' " +
                      std::string(SMAUDIT_SOURCE_DIR) + "/docs/schema/report-v1.schema.json " +
                      path + " 2>/dev/null";
    return std::system(cmd.c_str());
}

} // namespace

TEST_CASE("the whole document, in contract key order") {
    SourceSet s;
    AuditResult r = small_result(s);
    std::string expected =
        R"({"version":1,"tool":{"name":"smaudit","version":")" + std::string(kToolVersion) +
        R"("},"files":[{"path":"sendmail.mc","kind":"mc"}],"findings":[)"
        // the default sorts first in its file (offset 0)
        R"({"rule":"SM-S015","name":"bad-rcpt-throttle-unset","pack":"security",)"
        R"("severity":"medium","message":"BadRcptThrottle is not set","path":"sendmail.mc",)"
        R"("line":null,"column":null,"end_line":null,"end_column":null,"fix":null,)"
        R"("about_default":true},)"
        R"({"rule":"SM-S023","name":"vrfy-enabled","pack":"security","severity":"high",)"
        R"("message":"VRFY is enabled","path":"sendmail.mc","line":2,"column":29,"end_line":2,)"
        R"("end_column":43,"fix":{"title":"add goaway","safe":false,"edits":[{"path":"sendmail.mc",)"
        R"("line":2,"column":42,"end_line":2,"end_column":42,"replacement":",goaway"}]}}],)"
        R"("suppressed":[{"rule":"SM-S020","name":"greeting-reveals-version","pack":"security",)"
        R"("severity":"low","message":"the greeting shows the version","path":"sendmail.mc",)"
        R"("line":4,"column":30,"end_line":4,"end_column":46,"fix":null,)"
        R"("suppression":{"reason":"the greeting may say so","path":"sendmail.mc","line":3}}],)"
        R"("scores":{"security":{"score":59,"grade":"F"},"performance":null},)"
        R"j("not_scored":{"performance":"only 3 of its 12 rules ran (--select, --ignore)"},)j"
        R"("summary":{"critical":0,"high":1,"medium":1,"low":0,"info":0,"suppressed":1}})"
        "\n";
    CHECK(render_json(s, r, -1) == expected);
}

TEST_CASE("positions: UTF-8, CRLF, end of file; invalid UTF-8 in text") {
    SourceSet s;
    AuditResult r = full_result(s);
    Json j = Json::parse(render_json(s, r));
    const Json& f = j["findings"];
    REQUIRE(f.size() == 5);
    // Sorted by path: aliases, sendmail.cf, sendmail.mc.
    CHECK(f[0]["path"] == "aliases");
    CHECK(f[2]["path"] == "sendmail.cf");
    CHECK(f[4]["rule"] == "SM-S023");
    // "josé: " is 6 code points: "élève" is columns 7..11, so the end column is 12.
    CHECK(f[0]["rule"] == "SM-S041");
    CHECK(f[0]["line"] == 1);
    CHECK(f[0]["column"] == 7);
    CHECK(f[0]["end_line"] == 1);
    CHECK(f[0]["end_column"] == 12);
    // "root: admin\r\n" is the last line: its end is the start of the line after it.
    CHECK(f[1]["line"] == 2);
    CHECK(f[1]["column"] == 1);
    CHECK(f[1]["end_line"] == 3);
    CHECK(f[1]["end_column"] == 1);
    CHECK(f[1]["severity"] == "info");
    // Empty span at the end of "O A=B" (no final newline): just past the 5th character.
    CHECK(f[2]["line"] == 1);
    CHECK(f[2]["column"] == 6);
    CHECK(f[2]["end_column"] == 6);
    CHECK(f[2]["pack"] == "syntax");
    CHECK(f[2]["message"] == "latin-1 caf\xef\xbf\xbd in a message");
    CHECK(j["files"] == Json::parse(R"([{"path":"sendmail.mc","kind":"mc"},
        {"path":"aliases","kind":"aliases"},{"path":"sendmail.cf","kind":"cf"}])"));
    CHECK(j["summary"] ==
          Json::parse(R"({"critical":1,"high":1,"medium":1,"low":1,"info":1,"suppressed":1})"));
    CHECK(j["scores"]["performance"] == Json::parse(R"({"score":100,"grade":"A+"})"));
}

TEST_CASE("real reporter output is valid against docs/schema/report-v1.schema.json") {
    if (!have_jsonschema()) {
        MESSAGE("python3-jsonschema is not installed: schema validation skipped");
        return;
    }
    SourceSet s;
    AuditResult r = full_result(s);
    std::string out = render_json(s, r);
    CHECK(validate(out) == 0);
    SourceSet s2;
    CHECK(validate(render_json(s2, small_result(s2))) == 0);
    CHECK(validate(render_json(s2, AuditResult{})) == 0);
    // Neither pack graded; a suppression without a reason (null).
    AuditResult none_graded = small_result(s2);
    none_graded.scores[Pack::Security] = {100, "A+", "x.mc could not be built"};
    none_graded.scores[Pack::Performance].ran = false;
    none_graded.suppressed.front().reason.clear();
    Json ungraded = Json::parse(render_json(s2, none_graded));
    CHECK(ungraded["scores"] == Json::parse(R"({"security":null,"performance":null})"));
    CHECK(ungraded["not_scored"]["security"] == "x.mc could not be built");
    CHECK(ungraded["suppressed"][0]["suppression"]["reason"].is_null());
    CHECK(validate(ungraded.dump()) == 0);

    // The validator really checks: a wrong severity, an extra key, a missing key all fail.
    Json j = Json::parse(out);
    Json bad = j;
    bad["findings"][0]["severity"] = "severe";
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad["findings"][0]["label"] = "x";
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad.erase("summary");
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad["findings"][4]["column"] = nullptr; // line set, column null
    CHECK(validate(bad.dump()) != 0);
    // A null score needs its reason; a graded pack has none; a suppressed finding says why.
    bad = j;
    bad["scores"]["security"] = nullptr;
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad["not_scored"]["security"] = "x";
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad["suppressed"][0].erase("suppression");
    CHECK(validate(bad.dump()) != 0);
    bad = j;
    bad["findings"][0]["suppression"] = j["suppressed"][0]["suppression"];
    CHECK(validate(bad.dump()) != 0);
}

TEST_CASE("the streamed text is nlohmann's dump of the whole document, at any indent") {
    // Findings are written one at a time in 64 KB blocks: thousands of them cross many blocks.
    SourceSet s;
    AuditResult r = full_result(s);
    const std::vector<Diagnostic> five = r.diagnostics;
    for (int i = 0; i < 2000; ++i)
        r.diagnostics.push_back(five[static_cast<size_t>(i) % five.size()]);
    for (int indent : {2, 0, 4, -1}) {
        CAPTURE(indent);
        const std::string out = render_json(s, r, indent);
        CHECK(out.size() > 128 * 1024);
        CHECK(out == Json::parse(out).dump(indent) + "\n");
        std::ostringstream streamed;
        write_json(streamed, s, r, indent);
        CHECK(streamed.str() == out);
        SourceSet none;
        const std::string empty = render_json(none, AuditResult{}, indent);
        CHECK(empty == Json::parse(empty).dump(indent) + "\n");
    }
}

TEST_CASE("the tool version is the one project() declares in CMakeLists.txt") {
    std::ifstream in(SMAUDIT_SOURCE_DIR "/CMakeLists.txt");
    std::stringstream text;
    text << in.rdbuf();
    std::string cmake = text.str();
    const std::string marker = "project(smaudit VERSION ";
    size_t at = cmake.find(marker);
    REQUIRE(at != std::string::npos);
    at += marker.size();
    CHECK(cmake.substr(at, cmake.find(' ', at) - at) == kToolVersion);
}

TEST_CASE("a configuration's files[] entry carries its role") {
    SourceSet s;
    AuditResult r = full_result(s);
    r.roles = {{r.files[2], "mx", true, "client-only", "every daemon listens on 127.0.0.1", false}};
    if (have_jsonschema()) {
        CHECK(validate(render_json(s, r)) == 0);
        AuditResult unknown_role = r;
        unknown_role.roles[0].name = "gateway";
        CHECK(validate(render_json(s, unknown_role)) != 0);
    }
    Json report = Json::parse(render_json(s, r));
    CHECK(report["files"][0].dump() == R"({"path":"sendmail.mc","kind":"mc"})");
    CHECK(report["files"][2].dump() ==
          R"({"path":"sendmail.cf","kind":"cf","role":{"name":"mx","source":"given",)"
          R"("detected":"client-only","why":"every daemon listens on 127.0.0.1",)"
          R"("exposed":false}})");
}

TEST_CASE("a finding without a place says whether it is about a default; a placed one does not") {
    SourceSet s;
    AuditResult r = small_result(s); // its SM-S015 finding is about a default
    // An .mc finding in text of sendmail's cf files: no line, and no default either.
    Diagnostic relay =
        finding("SM-S001", "promiscuous-relay", Severity::Critical, "anyone can relay", Location{});
    relay.config_file = r.files.front();
    r.diagnostics.push_back(relay);
    Json j = Json::parse(render_json(s, r));
    REQUIRE(j["findings"].size() == 3);
    for (const Json& f : j["findings"]) {
        CAPTURE(f["rule"]);
        if (f["rule"] == "SM-S015")
            CHECK(f["about_default"] == true);
        else if (f["rule"] == "SM-S001")
            CHECK(f["about_default"] == false);
        else
            CHECK_FALSE(f.contains("about_default"));
    }
    if (!have_jsonschema()) return;
    CHECK(validate(j.dump()) == 0);
    Json bad = j; // beside a line it says nothing: not allowed
    for (Json& f : bad["findings"])
        if (f["rule"] == "SM-S023") f["about_default"] = false;
    CHECK(validate(bad.dump()) != 0);
}

TEST_CASE("after --fix: summary.fixed per file and the fixing object, valid against the schema") {
    SourceSet s;
    AuditResult r = small_result(s);
    FixingSummary fixing;
    fixing.applied = {{"sendmail.mc", 3}};
    fixing.passes = 2;
    fixing.not_applied = {
        {"sendmail.cf", "SM-S023", "VRFY is enabled", "sendmail.cf is generated from sendmail.mc"}};
    fixing.unsafe_left = 4;
    fixing.notes = {"sendmail.cf is generated from sendmail.mc: rebuild it"};
    r.fixing = fixing;
    Json j = Json::parse(render_json(s, r));
    CHECK(j["summary"]["fixed"] == Json::parse(R"({"sendmail.mc":3})"));
    CHECK(j["fixing"] == Json::parse(R"({"passes":2,"not_applied":[{"path":"sendmail.cf",
        "rule":"SM-S023","message":"VRFY is enabled",
        "reason":"sendmail.cf is generated from sendmail.mc"}],"unsafe_left":4,
        "notes":["sendmail.cf is generated from sendmail.mc: rebuild it"]})"));
    // Without --fix neither key is there.
    r.fixing.reset();
    Json plain = Json::parse(render_json(s, r));
    CHECK_FALSE(plain["summary"].contains("fixed"));
    CHECK_FALSE(plain.contains("fixing"));
    if (!have_jsonschema()) return;
    CHECK(validate(j.dump()) == 0);
}

TEST_CASE("the referenced files, when the audit looked: root and referenced_files, valid") {
    SourceSet s;
    AuditResult r;
    r.files.push_back(s.add("etc/mail/sendmail.cf", "V10/Berkeley\n", FileKind::Cf));
    const std::string without = render_json(s, r, -1);
    CHECK(without.find("referenced_files") == std::string::npos);
    CHECK(without.find("\"root\"") == std::string::npos);
    r.root = "/srv/image";
    r.referenced.push_back(
        {"alias file", "/etc/mail/aliases", "AliasFile", "present", 120, "0644", 0u, 0u, ""});
    r.referenced.push_back({"class file", "/etc/mail/local-host-names", "Fw", "outside-root",
                            std::nullopt, "", std::nullopt, std::nullopt,
                            "/etc/mail/local-host-names is a symbolic link to ../../../x"});
    const std::string with = render_json(s, r, -1);
    CHECK(with.find("\"root\":\"/srv/image\",\"referenced_files\":[{\"role\":\"alias file\","
                    "\"path\":\"/etc/mail/aliases\",\"named_by\":\"AliasFile\",\"status\":"
                    "\"present\",\"size\":120,\"mode\":\"0644\",\"uid\":0,\"gid\":0},{\"role\":"
                    "\"class file\",\"path\":\"/etc/mail/local-host-names\",\"named_by\":\"Fw\","
                    "\"status\":\"outside-root\",\"size\":null,\"mode\":null,\"uid\":null,"
                    "\"gid\":null,\"why\":\"/etc/mail/local-host-names is a symbolic link to "
                    "../../../x\"}]") != std::string::npos);
    if (have_jsonschema()) CHECK(validate(with) == 0);
}
