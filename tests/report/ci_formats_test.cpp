// --format github and --format gitlab on hand-made results: the GitHub workflow commands read
// back by a parser of the command syntax as the runner reads it (::name k=v,k=v::data, with the
// toolkit's escapes undone), every place checked by hand; the GitLab issues with the fields,
// severities and fingerprints its Code Quality format documents. tests/scripts/ci_formats.sh
// checks real runs of the binary (GitLab against tests/schemas/gitlab-code-quality.schema.json).
#include "report/display.hpp"
#include "report/fingerprint.hpp"
#include "report/github.hpp"
#include "report/gitlab.hpp"

#include "report_test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

using namespace smaudit;
using namespace smaudit::report;

namespace {

// One workflow command as the Actions runner parses it: `::`, the command up to a space or
// `::`, properties split at `,` and at the first `=`, then `::` and the data. Unescaping as the
// runner does (%25 last, so "%250A" stays "%0A").
struct WorkflowCommand {
    std::string name;
    std::map<std::string, std::string> properties;
    std::string data;
};

std::string unescape(std::string text, bool property) {
    auto replace_all = [&](std::string_view from, std::string_view to) {
        for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
            text.replace(at, from.size(), to);
    };
    replace_all("%0D", "\r");
    replace_all("%0A", "\n");
    if (property) {
        replace_all("%3A", ":");
        replace_all("%2C", ",");
    }
    replace_all("%25", "%");
    return text;
}

WorkflowCommand parse_command(std::string_view line) {
    WorkflowCommand c;
    REQUIRE(line.substr(0, 2) == "::");
    line.remove_prefix(2);
    const size_t end = line.find("::");
    REQUIRE(end != std::string_view::npos);
    std::string_view head = line.substr(0, end);
    c.data = unescape(std::string(line.substr(end + 2)), false);
    const size_t space = head.find(' ');
    c.name = std::string(head.substr(0, space));
    if (space == std::string_view::npos) return c;
    std::string_view props = head.substr(space + 1);
    while (!props.empty()) {
        const size_t comma = props.find(',');
        std::string_view pair = props.substr(0, comma);
        const size_t eq = pair.find('=');
        REQUIRE(eq != std::string_view::npos);
        std::string key(pair.substr(0, eq));
        CHECK_MESSAGE(c.properties.count(key) == 0, "property given twice: " << key);
        c.properties[key] = unescape(std::string(pair.substr(eq + 1)), true);
        props = comma == std::string_view::npos ? std::string_view() : props.substr(comma + 1);
    }
    return c;
}

std::vector<WorkflowCommand> github_commands(const SourceSet& s, const AuditResult& r,
                                             std::string_view root) {
    std::ostringstream out;
    write_github(out, s, r, root);
    std::vector<WorkflowCommand> commands;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);)
        commands.push_back(parse_command(line));
    CHECK(out.str().back() == '\n');
    return commands;
}

nlohmann::json gitlab_issues(const SourceSet& s, const AuditResult& r, std::string_view root) {
    std::ostringstream out;
    write_gitlab(out, s, r, root);
    return nlohmann::json::parse(out.str());
}

} // namespace

TEST_CASE("github: escapes as the toolkit does, % first") {
    CHECK(github_escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad");
    CHECK(github_escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad");
    // A literal escape in the text survives the round trip instead of becoming a newline.
    CHECK(github_escape_data("%0A") == "%250A");
    CHECK(unescape(github_escape_property("x%0A:%2C"), true) == "x%0A:%2C");
}

TEST_CASE("github: severities map to error, warning, notice") {
    CHECK(github_command(Severity::Critical) == "error");
    CHECK(github_command(Severity::High) == "error");
    CHECK(github_command(Severity::Medium) == "warning");
    CHECK(github_command(Severity::Low) == "notice");
    CHECK(github_command(Severity::Info) == "notice");
}

TEST_CASE("github: places, titles and hostile text read back by the command parser") {
    SourceSet s;
    // Line 1: 21 characters; the path has a comma and a colon, which end a property unescaped.
    FileId cf = s.add("/repo/mail,a:b/sendmail.cf",
                      "O PrivacyOptions=noop\nO SmtpGreetingMessage=$j é\n"
                      "Kaccess hash\n  -o /etc/mail/access\n",
                      FileKind::Cf);
    AuditResult r;
    r.files = {cf};
    // Columns 3-21 of line 1 (the span ends before the newline).
    r.diagnostics.push_back(finding("SM-S023", "vrfy-enabled", Severity::High,
                                    "VRFY: 100% on\n::error::injected, too",
                                    {cf, span_of(s, cf, "PrivacyOptions=noop")}));
    // "$j é": columns 23-26 of line 2 ("é" is one column, two bytes).
    r.diagnostics.push_back(finding("SM-S020", "greeting", Severity::Low, "version shown",
                                    {cf, span_of(s, cf, "$j é")}));
    // Over two lines: no columns.
    r.diagnostics.push_back(finding("SM-S099", "two-lines", Severity::Medium, "two lines",
                                    {cf, span_of(s, cf, "hash\n  -o")}));
    // Ends with the line's newline: still one line, last column the line's last character.
    r.diagnostics.push_back(finding("SM-S098", "with-newline", Severity::Info, "with newline",
                                    {cf, span_of(s, cf, "Kaccess hash\n")}));
    Diagnostic none = finding("SM-S015", "unset", Severity::Critical, "not set", Location{});
    none.config_file = cf;
    none.about_default = true;
    r.diagnostics.push_back(none);
    SuppressedFinding hidden{
        finding("SM-S001", "x", Severity::High, "hidden", {cf, span_of(s, cf, "Kaccess")}),
        "reason",
        {}};
    r.suppressed.push_back(hidden);

    std::vector<WorkflowCommand> c = github_commands(s, r, "/repo");
    REQUIRE(c.size() == 5); // the suppressed one gets none
    // Report order: offset 0 first (SM-S015, no place, sorted at offset 0), then by offset.
    CHECK(c[0].name == "error");
    CHECK(c[0].properties == std::map<std::string, std::string>{{"file", "mail,a:b/sendmail.cf"},
                                                                {"title", "SM-S015 unset"}});
    CHECK(c[0].data == "not set (sendmail default, no line sets it)");
    CHECK(c[1].name == "error");
    CHECK(c[1].properties == std::map<std::string, std::string>{{"file", "mail,a:b/sendmail.cf"},
                                                                {"line", "1"},
                                                                {"col", "3"},
                                                                {"endLine", "1"},
                                                                {"endColumn", "21"},
                                                                {"title", "SM-S023 vrfy-enabled"}});
    CHECK(c[1].data == "VRFY: 100% on\n::error::injected, too");
    CHECK(c[2].name == "notice");
    CHECK(c[2].properties["line"] == "2");
    CHECK(c[2].properties["col"] == "23");
    CHECK(c[2].properties["endColumn"] == "26");
    CHECK(c[3].name == "notice");
    CHECK(c[3].properties["title"] == "SM-S098 with-newline");
    CHECK(c[3].properties["line"] == "3");
    CHECK(c[3].properties["col"] == "1");
    CHECK(c[3].properties["endLine"] == "3");
    CHECK(c[3].properties["endColumn"] == "12");
    CHECK(c[4].name == "warning");
    CHECK(c[4].properties["line"] == "3");
    CHECK(c[4].properties["endLine"] == "4");
    CHECK(c[4].properties.count("col") == 0);
    CHECK(c[4].properties.count("endColumn") == 0);

    // Outside the root: the absolute path.
    c = github_commands(s, r, "/elsewhere");
    CHECK(c[1].properties["file"] == "/repo/mail,a:b/sendmail.cf");
}

TEST_CASE("gitlab: the documented fields, severities, lines and fingerprints") {
    CHECK(gitlab_severity(Severity::Critical) == "blocker");
    CHECK(gitlab_severity(Severity::High) == "critical");
    CHECK(gitlab_severity(Severity::Medium) == "major");
    CHECK(gitlab_severity(Severity::Low) == "minor");
    CHECK(gitlab_severity(Severity::Info) == "info");

    SourceSet s;
    FileId mc = s.add("/repo/etc/mail/sendmail.mc",
                      "divert(-1)dnl\nFEATURE(`relay_based_on_MX')dnl\n"
                      "FEATURE(`relay_based_on_MX')dnl\nFEATURE(`x',\n`y')dnl\n",
                      FileKind::Mc);
    AuditResult r;
    r.files = {mc};
    const std::string text = s.get(mc).text();
    const auto at = [&](size_t from) {
        auto b = static_cast<uint32_t>(text.find("FEATURE(`relay", from));
        return Span{b, b + 28};
    };
    const Span first = at(0), second = at(first.end);
    r.diagnostics.push_back(
        finding("SM-S010", "relay-mx", Severity::High, "relays for MX", {mc, first}));
    r.diagnostics.push_back(
        finding("SM-S010", "relay-mx", Severity::High, "relays for MX", {mc, second}));
    r.diagnostics.push_back(finding("SM-C001", "two-lines", Severity::Low, "two lines",
                                    {mc, span_of(s, mc, "FEATURE(`x',\n`y')")}));
    Diagnostic none = finding("SM-S015", "unset", Severity::Medium, "not set", Location{});
    none.config_file = mc;
    none.about_default = true;
    r.diagnostics.push_back(none);
    r.suppressed.push_back(
        {finding("SM-S001", "x", Severity::High, "hidden", {mc, first}), "", {}});

    nlohmann::json issues = gitlab_issues(s, r, "/repo");
    REQUIRE(issues.is_array());
    REQUIRE(issues.size() == 4);
    const nlohmann::json expected = {
        {"description", "not set (a default, no .mc line sets it)"},
        {"check_name", "SM-S015"},
        {"fingerprint", fingerprint_hash("SM-S015", "etc/mail/sendmail.mc", "not set") + ":1"},
        {"severity", "major"},
        {"location", {{"path", "etc/mail/sendmail.mc"}, {"lines", {{"begin", 1}}}}}};
    CHECK(issues[0] == expected);
    // The two findings on lines with the same text: one hash, told apart by :1 and :2.
    const std::string hash =
        fingerprint_hash("SM-S010", "etc/mail/sendmail.mc", "FEATURE(`relay_based_on_MX')dnl");
    CHECK(issues[1]["fingerprint"] == hash + ":1");
    CHECK(issues[1]["severity"] == "critical");
    CHECK(issues[1]["location"]["lines"] == nlohmann::json::parse(R"({"begin": 2, "end": 2})"));
    CHECK(issues[2]["fingerprint"] == hash + ":2");
    CHECK(issues[2]["location"]["lines"] == nlohmann::json::parse(R"({"begin": 3, "end": 3})"));
    CHECK(issues[3]["check_name"] == "SM-C001");
    CHECK(issues[3]["severity"] == "minor");
    CHECK(issues[3]["location"]["lines"] == nlohmann::json::parse(R"({"begin": 4, "end": 5})"));

    // No finding: an empty array.
    AuditResult clean;
    clean.files = {mc};
    CHECK(gitlab_issues(s, clean, "/repo") == nlohmann::json::array());
}
