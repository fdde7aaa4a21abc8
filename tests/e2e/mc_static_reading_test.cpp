// Without sendmail's cf tree an .mc cannot be expanded; smaudit says so (SM-E101) and still
// reads the options the .mc's own define() calls set, at the .mc's lines.
#include "run_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

TEST_CASE("an .mc without a cf tree: SM-E101, and its own defines still count") {
    std::string mc = source_path("fixtures/examples/sendmail.mc");
    CliResult run = run_smaudit("--cf-dir /nonexistent --format json " + mc);
    auto report = nlohmann::json::parse(run.out);
    std::set<std::pair<std::string, int>> found;
    for (const auto& f : report["findings"])
        found.insert({f["rule"], f["line"].is_null() ? 0 : f["line"].get<int>()});
    CHECK(found.count({"SM-E101", 1}) == 1);
    // Line 9: define(`confPRIVACY_FLAGS', `authwarnings,needmailhelo') -- no goaway.
    CHECK(found.count({"SM-S022", 9}) == 1);
    CHECK(found.count({"SM-S023", 9}) == 1);
    // Line 11 sets confCONNECTION_RATE_THROTTLE to 10: no SM-P004.
    for (const auto& [rule, line] : found)
        CHECK_MESSAGE(rule != "SM-P004", line);
    // Rulesets are unknown without the tree: no claim that relay control is missing.
    for (const auto& [rule, line] : found)
        CHECK_MESSAGE(rule != "SM-S003", line);

    CliResult shown = run_smaudit("show --cf-dir /nonexistent --format json " + mc);
    auto options = nlohmann::json::parse(shown.out)["options"];
    bool privacy_seen = false;
    for (const auto& option : options)
        if (option["name"] == "PrivacyOptions") {
            privacy_seen = true;
            CHECK(option["line"] == 9);
            CHECK(option["value"] == "authwarnings,needmailhelo");
        }
    CHECK(privacy_seen);
}

TEST_CASE("without a cf tree, show puts an option at its define's line, not its value's") {
    // Debian's form: the value on the line after define(`confPRIVACY_FLAGS',dnl.
    const std::string mc = source_path("fixtures/e2e/show-defines.mc");
    CliResult shown = run_smaudit("show --cf-dir /nonexistent --format json " + mc);
    bool privacy_seen = false;
    const auto options = nlohmann::json::parse(shown.out)["options"];
    for (const auto& option : options)
        if (option["name"] == "PrivacyOptions") {
            privacy_seen = true;
            CHECK(option["line"] == 6); // define(`confPRIVACY_FLAGS',dnl
            CHECK(option["value"] == "goaway");
        }
    CHECK(privacy_seen);
}
