// show_json: the object of design.md, checked field by field on a small hand-made config.
#include "hand_ast.hpp"
#include "model/show.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using nlohmann::json;

namespace {

json show(const std::string& text, std::vector<Diagnostic>* diagnostics_out = nullptr) {
    test::HandCf input = test::hand_cf(text, "etc/mail/sendmail.cf");
    std::vector<Diagnostic> diagnostics;
    model::Config config = model::build_config(input.sources, input.cf, diagnostics);
    if (diagnostics_out) *diagnostics_out = diagnostics;
    return model::show_json(input.sources, config);
}

const json* find_option(const json& out, std::string_view name) {
    for (const json& entry : out["options"])
        if (entry["name"] == name) return &entry;
    return nullptr;
}

} // namespace

TEST_CASE("options: in effect, sorted, defaults with null path/line") {
    json out = show("V10/Berkeley\n"
                    "O LogLevel=3\n"
                    "O PrivacyOptions=authwarnings\n"
                    "Opnoexpn\n"
                    "O DaemonPortOptions=Name=MTA\n"
                    "O DaemonPortOptions=Port=587, Name=MSA, M=E\n"
                    "#O MaxHopCount=30\n");
    CHECK(out["version"] == "10");
    const json& options = out["options"];
    REQUIRE(options.is_array());
    for (size_t i = 1; i < options.size(); ++i)
        CHECK(options[i - 1]["name"].get<std::string>() <= options[i]["name"].get<std::string>());

    const json* level = find_option(out, "LogLevel");
    REQUIRE(level != nullptr);
    CHECK((*level)["value"] == "3");
    CHECK((*level)["path"] == "etc/mail/sendmail.cf");
    CHECK((*level)["line"] == 2);
    CHECK((*level)["default"] == false);

    const json* privacy = find_option(out, "PrivacyOptions");
    REQUIRE(privacy != nullptr);
    CHECK((*privacy)["value"] == "authwarnings,noexpn");
    CHECK((*privacy)["line"] == 4);
    REQUIRE((*privacy)["settings"].size() == 2);
    CHECK((*privacy)["settings"][0]["line"] == 3);
    CHECK((*privacy)["settings"][1]["name"] == "p");

    const json* hops = find_option(out, "MaxHopCount"); // only a #O line: the default
    REQUIRE(hops != nullptr);
    CHECK((*hops)["value"] == "25");
    CHECK((*hops)["path"].is_null());
    CHECK((*hops)["line"].is_null());
    CHECK((*hops)["default"] == true);

    int daemon_entries = 0;
    for (const json& entry : options)
        if (entry["name"] == "DaemonPortOptions") {
            ++daemon_entries;
            CHECK(entry["line"] == 4 + daemon_entries);
        }
    CHECK(daemon_entries == 2);

    REQUIRE(out["daemons"].size() == 2);
    CHECK(out["daemons"][1]["options"]["Port"] == "587");
    CHECK(out["daemons"][1]["options"]["Modifiers"] == "E");
    CHECK(out["daemons"][1]["line"] == 6);
    CHECK(out["daemons"][1]["default"] == false);
}

TEST_CASE("default daemon, features, mailers, maps, classes, macros, rulesets") {
    json out = show("#####  $Id: access_db.m4,v 8.28 2013-11-22 20:51:11 ca Exp $  #####\n"
                    "Cwlocalhost\n"
                    "DZ8.17.1\n"
                    "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
                    "Mprog, P=/bin/sh, F=lsDFMoqeu9, A=sh -c $u\n"
                    "Scheck_rcpt\n"
                    "R$*\t$: $1\n"
                    "R$*\t$@ $1\n"
                    "SLocal_check_rcpt=100\n");
    CHECK(out["version"].is_null());
    REQUIRE(out["daemons"].size() == 1);
    CHECK(out["daemons"][0]["default"] == true);
    CHECK(out["daemons"][0]["line"].is_null());
    CHECK(out["daemons"][0]["options"]["Port"] == "25");

    REQUIRE(out["features"].size() == 1);
    CHECK(out["features"][0]["name"] == "access_db");
    CHECK(out["features"][0]["line"] == 1);

    REQUIRE(out["mailers"].size() == 1);
    CHECK(out["mailers"][0]["name"] == "prog");
    CHECK(out["mailers"][0]["fields"]["P"] == "/bin/sh");
    CHECK(out["mailers"][0]["line"] == 5);

    REQUIRE(out["maps"].size() == 1);
    CHECK(out["maps"][0]["type"] == "hash");
    CHECK(out["maps"][0]["line"] == 4);

    REQUIRE(out["classes"].size() == 1);
    CHECK(out["classes"][0]["words"] == json::array({"localhost"}));

    REQUIRE(out["macros"].size() == 1);
    CHECK(out["macros"][0]["name"] == "Z");
    CHECK(out["macros"][0]["value"] == "8.17.1");

    REQUIRE(out["rulesets"].size() == 2);
    CHECK(out["rulesets"][0]["name"] == "check_rcpt");
    CHECK(out["rulesets"][0]["rules"] == 2);
    CHECK(out["rulesets"][0]["number"].is_null());
    CHECK(out["rulesets"][0]["line"] == 6);
    CHECK(out["rulesets"][1]["number"] == 100);
    CHECK(out["clients"].empty());
}
