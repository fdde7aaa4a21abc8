// Issue 11's policy done-when: each kind of policy (fixtures/policies/kinds.json) fires on a bad
// .mc and on the .cf the real m4 makes of it, at the line that set the value, and not on a good
// one; a malformed policy file is refused with the JSON path of what is wrong.
#include "../support/read_text.hpp"
#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"
#include "app/audit.hpp"
#include "policy/policy.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace smaudit;

namespace {

const std::string kFixtures = std::string(SMAUDIT_SOURCE_DIR) + "/fixtures/policies";
const std::string kCfDir = "/usr/share/sendmail/cf";

// Where one finding is: its file's name, and its line (0: about the file, a default).
struct Place {
    std::string file;
    uint32_t line = 0;
    std::string message;
};

// The findings of the policies of `policy_file` (selected by `prefix`) on the directory `dir`,
// by rule ID.
std::multimap<std::string, Place> audit_with(const std::string& policy_file, const fs::path& dir,
                                             const std::string& prefix) {
    policy::PolicySet set;
    std::vector<std::string> errors;
    const bool loaded_ok = policy::load_policy_files({policy_file}, set, errors);
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(loaded_ok);
    LoadedRules loaded(set.rules());
    AuditRequest request;
    request.paths = {dir.string()};
    request.cf_dir = kCfDir;
    request.selection.select = {prefix};
    auto run = run_audit(request, true);
    REQUIRE(run->errors.empty());
    std::multimap<std::string, Place> found;
    for (const Diagnostic& d : run->result.diagnostics) {
        FileId file = d.where.valid() ? d.where.file : d.config_file;
        REQUIRE(file != kNoFile);
        found.emplace(d.rule_id, Place{fs::path(run->sources.get(file).path()).filename().string(),
                                       run->sources.line_of(d.where), d.message});
    }
    return found;
}

// The 1-based line of `text` that starts with `start` (0 when none does).
uint32_t line_starting(const std::string& text, const std::string& start) {
    std::istringstream in(text);
    std::string line;
    for (uint32_t n = 1; std::getline(in, line); ++n)
        if (line.rfind(start, 0) == 0) return n;
    return 0;
}

// A directory holding `mc`'s .cf as the real m4 makes it, with the maps beside it.
void write_generated(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    CommandResult m4 = run_command("cd " + kCfDir + "/cf && m4 ../m4/cf.m4 '" +
                                   (from / "sendmail.mc").string() + "' 2>/dev/null");
    REQUIRE(m4.code == 0);
    std::ofstream(to / "sendmail.cf", std::ios::binary) << m4.out;
    for (const char* map : {"access", "aliases"})
        fs::copy_file(from / map, to / map);
}

// A policy file of the test's own, in a temporary directory, and the .cf files it audits there.
struct CfPolicyAudit {
    TempDir tmp{"smaudit-policy"};
    fs::path policy;
    std::string prefix;

    CfPolicyAudit(const std::string& policy_json, std::string selected)
        : policy(tmp.path / "policy.json"), prefix(std::move(selected)) {
        std::ofstream(policy) << policy_json;
    }
    // The findings on a directory of its own holding a .cf of `lines` after its V line.
    std::multimap<std::string, Place> audit_cf(const std::string& lines) const {
        const fs::path dir = tmp.path / std::to_string(std::hash<std::string>()(lines));
        fs::create_directories(dir);
        std::ofstream(dir / "sendmail.cf") << "V10/Berkeley\n" << lines;
        return audit_with(policy.string(), dir, prefix);
    }
};

struct Expected {
    std::string rule;
    std::string file;    // sendmail.mc / sendmail.cf / access / aliases
    std::string mc_line; // the .mc's line that sets it (its start); empty: about the file
    std::string cf_line; // the generated .cf's line (its start); empty: about the file
};

// What bad/ breaks, policy by policy (fixtures/policies/kinds.json), and where.
const std::vector<Expected> kBad = {
    {"KIND-SET", "sendmail", "", ""}, // not set: the default applies, about the file
    {"KIND-UNSET", "sendmail", "define(`confDONT_BLAME_SENDMAIL'", "O DontBlameSendmail="},
    {"KIND-CONTAINS", "sendmail", "define(`confPRIVACY_FLAGS'", "O PrivacyOptions="},
    {"KIND-LACKS", "sendmail", "define(`confAUTH_MECHANISMS'", "O AuthMechanisms="},
    {"KIND-MIN", "sendmail", "define(`confMIN_FREE_BLOCKS'", "O MinFreeBlocks="},
    {"KIND-MAX", "sendmail", "define(`confMAX_MESSAGE_SIZE'", "O MaxMessageSize="},
    {"KIND-DURATION", "sendmail", "define(`confTO_QUEUERETURN'", "O Timeout.queuereturn="},
    {"KIND-PATTERN", "sendmail", "define(`confSMTP_LOGIN_MSG'", "O SmtpGreetingMessage="},
    {"KIND-FEATURE-REQUIRED", "sendmail", "", ""},
    {"KIND-FEATURE-FORBIDDEN", "sendmail", "FEATURE(`relay_based_on_MX')",
     "R<MX> < $* : $=w. : $* >"}, // the rule that relays for MX-served hosts
    {"KIND-LOOPBACK", "sendmail", "DAEMON_OPTIONS(", "O DaemonPortOptions=Family=inet"},
    {"KIND-ACCESS", "access", "Connect:10.1", "Connect:10.1"},
    {"KIND-ALIAS", "aliases", "runner:", "runner:"},
};

} // namespace

TEST_CASE("each kind of policy fires on a bad .mc and its m4-generated .cf, at the line that set "
          "the value, and not on a good one") {
    TempDir tmp("smaudit-policy");
    const std::string policies = kFixtures + "/kinds.json";
    write_generated(kFixtures + "/bad", tmp.path / "bad-cf");
    write_generated(kFixtures + "/good", tmp.path / "good-cf");
    const std::string bad_mc = read_whole_file(kFixtures + "/bad/sendmail.mc");
    const std::string bad_cf = read_whole_file(tmp.path / "bad-cf" / "sendmail.cf");

    for (bool as_cf : {false, true}) {
        CAPTURE(as_cf);
        const fs::path bad = as_cf ? tmp.path / "bad-cf" : fs::path(kFixtures + "/bad");
        const fs::path good = as_cf ? tmp.path / "good-cf" : fs::path(kFixtures + "/good");
        auto found = audit_with(policies, bad, "KIND-");
        for (const Expected& e : kBad) {
            CAPTURE(e.rule);
            const std::string config = as_cf ? "sendmail.cf" : "sendmail.mc";
            const std::string& start = as_cf ? e.cf_line : e.mc_line;
            const std::string text =
                e.file == "sendmail" ? (as_cf ? bad_cf : bad_mc) : read_whole_file(bad / e.file);
            const uint32_t line = start.empty() ? 0u : line_starting(text, start);
            REQUIRE(start.empty() != (line > 0));
            auto [first, last] = found.equal_range(e.rule);
            bool at_line = false;
            for (auto it = first; it != last; ++it)
                if (it->second.line == line &&
                    it->second.file == (e.file == "sendmail" ? config : e.file))
                    at_line = true;
            CHECK(at_line);
        }
        // The .mc's MSA comes from proto.m4 (no line of the .mc): one more loopback finding,
        // about the file; the .cf's is its own line.
        CHECK(found.count("KIND-LOOPBACK") == 2);
        CHECK(found.size() == kBad.size() + 1);
        CHECK(audit_with(policies, good, "KIND-").empty());
    }
}

TEST_CASE("the issue's MaxMessageSize policy works as written: unset, 0 and above the cap break "
          "it; 50 MB and less meet it") {
    const CfPolicyAudit org(R"({"policies": [{"id": "ORG-001", "severity": "high", "pack": )"
                            R"("security", "message": "every MX must cap message size at 50 MB", )"
                            R"("option": "MaxMessageSize", "max": 52428800}]})",
                            "ORG-");
    auto unset = org.audit_cf("");
    REQUIRE(unset.size() == 1);
    CHECK(unset.begin()->second.line == 0);
    CHECK(unset.begin()->second.message ==
          "every MX must cap message size at 50 MB: MaxMessageSize not set: sendmail's default 0 "
          "(no limit) applies, above the maximum 52428800");
    auto zero = org.audit_cf("O MaxMessageSize=0\n");
    REQUIRE(zero.size() == 1);
    CHECK(zero.begin()->second.line == 2);
    CHECK(zero.begin()->second.message ==
          "every MX must cap message size at 50 MB: MaxMessageSize is 0 (no limit), above the "
          "maximum 52428800");
    CHECK(org.audit_cf("O MaxMessageSize=-1\n").size() == 1); // sendmail compares only > 0
    CHECK(org.audit_cf("O MaxMessageSize=52428801\n").size() == 1);
    CHECK(org.audit_cf("O MaxMessageSize=52428800\n").empty());
    CHECK(org.audit_cf("O MaxMessageSize=1000000\n").empty());
}

TEST_CASE("a malformed policy file is refused with the JSON path of each problem") {
    policy::PolicySet set;
    std::vector<std::string> errors;
    const std::string text = R"({"policies": [
        {"id": "ORG-001", "severity": "high", "pack": "security", "message": "m",
         "option": "MaxMessageSize", "max": 1},
        {"id": "SM-S001", "severity": "high", "pack": "security", "message": "m",
         "option": "MaxMessageSize", "max": 1},
        {"id": "ORG-003", "severity": "high", "pack": "security", "message": "m",
         "option": "MaxMessageSize", "max": "50MB"},
        {"id": "ORG-001", "severity": "urgent", "pack": "security", "message": "m",
         "feature": "relay_based_on_MX", "forbidden": true},
        {"id": "ORG-005", "severity": "low", "pack": "security", "message": "m",
         "map": "access", "key": "([", "colour": "red"},
        {"id": "ORG-006", "severity": "low", "pack": "security", "message": "m",
         "option": "Timeout.queuereturn", "max": "soon"}
    ]})";
    CHECK_FALSE(policy::load_policy_text("org.json", text, set, errors));
    CHECK(set.empty());
    const std::vector<std::string> expected = {
        "org.json: /policies/1/id: \"SM-S001\": SM- IDs are smaudit's own rules; give the policy "
        "your own prefix, e.g. ORG-001",
        "org.json: /policies/2/max: expected a number",
        "org.json: /policies/3/severity: expected one of \"critical\", \"high\", \"medium\", "
        "\"low\", \"info\"",
        "org.json: /policies/3/id: \"ORG-001\" is already the ID of the policy at /policies/0",
        "org.json: /policies/4/colour: unknown key",
        "org.json: /policies/4/key: not a valid regular expression",
        "org.json: /policies/5/max: expected a duration such as \"90m\", \"1h\" or \"5d\" "
        "(Timeout.queuereturn is read as a time), not \"soon\"",
    };
    REQUIRE(errors.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        CHECK(errors[i].rfind(expected[i], 0) == 0);

    errors.clear();
    CHECK_FALSE(
        policy::load_policy_text("org.json", "{\"policies\": [\n  {\"id\": 1,}\n]}", set, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("org.json:2:12: not valid JSON: ", 0) == 0);
    // Columns count code points, as the reports' do: the `}` is the 14th character of line 2,
    // its 15th byte (é is two).
    errors.clear();
    CHECK_FALSE(policy::load_policy_text(
        "org.json", "{\"policies\": [\n  {\"id\": \"\u00e9\",}\n]}", set, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("org.json:2:14: not valid JSON: syntax error while parsing object key",
                          0) == 0);

    errors.clear();
    CHECK_FALSE(policy::load_policy_text("org.json", "[]", set, errors));
    CHECK(errors ==
          std::vector<std::string>{"org.json: /: expected an object with a \"policies\" list"});
}

TEST_CASE("bounds read values as sendmail does: no-limit defaults, host-dependent defaults, "
          "durations in the option's own unit; loopback addresses by family") {
    const CfPolicyAudit bounds(R"({"policies": [
        {"id": "B-CHILDREN", "severity": "low", "pack": "performance", "message": "m",
         "option": "MaxQueueChildren", "max": 10},
        {"id": "B-REFUSE", "severity": "low", "pack": "performance", "message": "m",
         "option": "RefuseLA", "max": 40},
        {"id": "B-RETURN", "severity": "low", "pack": "performance", "message": "m",
         "option": "Timeout.queuereturn", "max": 2},
        {"id": "B-WARN", "severity": "low", "pack": "performance", "message": "m",
         "option": "Timeout.queuewarn", "min": "4d"},
        {"id": "B-LOOP", "severity": "low", "pack": "security", "message": "m",
         "daemons": "loopback"}
    ]})",
                               "B-");
    // Nothing set: MaxQueueChildren's default is no limit; RefuseLA's is 12 per CPU, which a
    // file cannot tell; Timeout.queuereturn is 5 days, over 2 (days: its unit);
    // sendmail's own queuewarn default, 0 (no warning; proto.m4 writes 4h), is below 4d; the
    // default daemon listens on every address.
    auto unset = bounds.audit_cf("");
    CHECK(unset.count("B-CHILDREN") == 1);
    REQUIRE(unset.count("B-REFUSE") == 1);
    CHECK(unset.find("B-REFUSE")->second.message ==
          "m: RefuseLA not set: sendmail's default (12 times the number of online CPUs) applies; "
          "it depends on the host and cannot be checked against the maximum 40");
    REQUIRE(unset.count("B-RETURN") == 1);
    CHECK(unset.find("B-RETURN")->second.message ==
          "m: Timeout.queuereturn not set: sendmail's default 5d applies, above the maximum 2 (2 "
          "days)");
    CHECK(unset.count("B-WARN") == 1);
    CHECK(unset.count("B-LOOP") == 1);

    auto set = bounds.audit_cf("O MaxQueueChildren=5\nO RefuseLA=30\nO Timeout.queuereturn=36h\n"
                               "O Timeout.queuewarn=90\n"
                               "O DaemonPortOptions=Name=MTA, Addr=127.0.0.1\n"
                               "O DaemonPortOptions=Name=MTA6, Family=inet6, Addr=::1\n"
                               "O DaemonPortOptions=Name=ANY6, Family=inet6, Addr=::\n"
                               "O DaemonPortOptions=Name=LH, Addr=localhost\n");
    CHECK(set.count("B-CHILDREN") == 0);
    CHECK(set.count("B-REFUSE") == 0);
    CHECK(set.count("B-RETURN") == 0); // 36 hours, under 2 days
    REQUIRE(set.count("B-WARN") == 1); // a bare 90 is 90 hours for queuewarn: below 4d
    CHECK(set.find("B-WARN")->second.line == 5);
    CHECK(set.find("B-WARN")->second.message.find("is `90` (3 days 18 hours)") !=
          std::string::npos);
    auto [first, last] = set.equal_range("B-LOOP");
    std::vector<uint32_t> lines;
    for (auto it = first; it != last; ++it)
        lines.push_back(it->second.line);
    CHECK(lines == std::vector<uint32_t>{8, 9}); // Addr=:: and Addr=localhost (not resolved)
}
