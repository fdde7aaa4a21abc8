// Option name resolution. Expected results were checked against sendmail 8.17.1.9 itself
// (`sendmail -C t.cf -d37.1 -bt`, Debian 12): it printed "Option Privacy used as abbreviation
// for PrivacyOptions", "ambiguous option name Rej (matches RejectLogInterval and RejectNUL)",
// "ambiguous option name Ti (matches Timeout and TimeZoneSpec)", "ambiguous option name M
// (matches MinFreeBlocks and MatchGECOS)", "unknown option name Zork"/"LogLevelx", and
// "setoption Timeout (r).QUEUEwarn=2h" for `O timeout.QUEUEwarn = 2h`.
#include "model/option_table.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

using namespace smaudit::model;

TEST_CASE("exact names resolve in any case") {
    auto found = lookup_option("privacyoptions");
    REQUIRE(found.status == OptionLookup::Status::Found);
    CHECK(found.info->name == "PrivacyOptions");
    CHECK_FALSE(found.abbreviated);
    CHECK(lookup_option("LOGLEVEL").info->name == "LogLevel");
}

TEST_CASE("a unique prefix is an abbreviation") {
    auto found = lookup_option("Privacy");
    REQUIRE(found.status == OptionLookup::Status::Found);
    CHECK(found.info->name == "PrivacyOptions");
    CHECK(found.abbreviated);
    CHECK(lookup_option("Timeo").info->name == "Timeout");
    CHECK(lookup_option("smtpgreeting").info->name == "SmtpGreetingMessage");
}

TEST_CASE("an exact name wins over longer names it prefixes") {
    // SSLEngine is also a prefix of SSLEnginePath; BadRcptThrottle of BadRcptThrottleDelay.
    auto engine = lookup_option("SSLEngine");
    REQUIRE(engine.status == OptionLookup::Status::Found);
    CHECK(engine.info->name == "SSLEngine");
    CHECK_FALSE(engine.abbreviated);
    CHECK(lookup_option("BadRcptThrottle").info->name == "BadRcptThrottle");
    CHECK(lookup_option("SharedMemoryKey").info->name == "SharedMemoryKey");
}

TEST_CASE("ambiguous prefixes name the first two matches, as sendmail does") {
    auto rej = lookup_option("Rej");
    REQUIRE(rej.status == OptionLookup::Status::Ambiguous);
    CHECK(rej.info->name == "RejectLogInterval");
    CHECK(rej.other->name == "RejectNUL");
    auto ti = lookup_option("Ti");
    REQUIRE(ti.status == OptionLookup::Status::Ambiguous);
    CHECK(ti.info->name == "Timeout");
    CHECK(ti.other->name == "TimeZoneSpec");
    auto m = lookup_option("M");
    REQUIRE(m.status == OptionLookup::Status::Ambiguous);
    CHECK(m.info->name == "MinFreeBlocks");
    CHECK(m.other->name == "MatchGECOS");
}

TEST_CASE("unknown names") {
    CHECK(lookup_option("Zork").status == OptionLookup::Status::Unknown);
    CHECK(lookup_option("LogLevelx").status == OptionLookup::Status::Unknown);
}

TEST_CASE("an empty name (`O .x=1`) is ambiguous, as sendmail says") {
    // sendmail 8.17: "ambiguous option name  (matches SevenBitInput and EightBitMode)".
    auto empty = lookup_option("");
    REQUIRE(empty.status == OptionLookup::Status::Ambiguous);
    CHECK(empty.info->name == "SevenBitInput");
    CHECK(empty.other->name == "EightBitMode");
}

TEST_CASE("legacy letters (KB 1.2 list)") {
    CHECK(option_by_letter('p')->name == "PrivacyOptions");
    CHECK(option_by_letter('L')->name == "LogLevel");
    CHECK(option_by_letter('O')->name == "DaemonPortOptions");
    CHECK(option_by_letter('r')->name == "Timeout");
    CHECK(option_by_letter('T')->name == "QueueTimeout");
    CHECK(option_by_letter('A')->name == "AliasFile");
    CHECK(option_by_letter('x')->name == "QueueLA");
    CHECK(option_by_letter('X')->name == "RefuseLA");
    CHECK(option_by_letter('7')->name == "SevenBitInput");
    CHECK(option_by_letter('N') == nullptr); // "N available -- was net name"
}

TEST_CASE("table sanity: unique names and letters, accumulating options") {
    std::set<std::string> names;
    std::set<char> letters;
    for (const OptionInfo& option : option_table()) {
        if (!option.name.empty()) {
            CHECK_MESSAGE(names.insert(to_lower(option.name)).second, option.name);
        }
        if (option.letter != 0) {
            CHECK(letters.insert(option.letter).second);
        }
    }
    CHECK(option_by_name("PrivacyOptions")->merge == OptionMerge::PrivacyFlags);
    CHECK(option_by_name("DontBlameSendmail")->merge == OptionMerge::DontBlameFlags);
    CHECK(option_by_name("DaemonPortOptions")->merge == OptionMerge::PortList);
    CHECK(option_by_name("ClientPortOptions")->merge == OptionMerge::PortList);
    CHECK(option_by_name("AliasFile")->merge == OptionMerge::AliasList);
    CHECK(option_by_name("LogLevel")->merge == OptionMerge::LastWins);
}

TEST_CASE("binary defaults, not the #O examples (KB 1.4)") {
    CHECK(*option_by_name("LogLevel")->default_value == "9"); // #O example says 10
    CHECK(*option_by_name("PrivacyOptions")->default_value == "public");
    CHECK(*option_by_name("SmtpGreetingMessage")->default_value == "$j Sendmail $v ready at $b");
    CHECK(*option_by_name("ConnectionCacheSize")->default_value == "1");
    CHECK(*option_by_name("MinFreeBlocks")->default_value == "0");
    CHECK(*option_by_name("MustQuoteChars")->default_value == "@,;:\\()[].'");
    CHECK_FALSE(option_by_name("QueueLA")->default_value.has_value()); // 8 x CPUs
    CHECK(*find_timeout_suboption("queuewarn")->default_value == "0");
    CHECK(*find_timeout_suboption("ident")->default_value == "5s");
}

TEST_CASE("Timeout and Milter sub-options: exact names, any case") {
    CHECK(find_timeout_suboption("QUEUEwarn")->name == "queuewarn");
    CHECK(find_timeout_suboption("queuewarn.*")->name == "queuewarn");
    CHECK(find_timeout_suboption("queuereturn.non-urgent") != nullptr);
    CHECK(find_timeout_suboption("queuew") == nullptr); // no prefixes for sub-options
    CHECK(find_milter_suboption("loglevel")->name == "LogLevel");
    CHECK(find_milter_suboption("macros.envfrom") != nullptr);
    CHECK(find_milter_suboption("macros") == nullptr);
}

TEST_CASE("features are told from other m4 banners") {
    CHECK(is_known_feature("access_db"));
    CHECK(is_known_feature("promiscuous_relay"));
    CHECK(is_known_feature("relay_based_on_MX"));
    CHECK_FALSE(is_known_feature("local"));  // MAILER(local)
    CHECK_FALSE(is_known_feature("debian")); // OSTYPE(debian)
    CHECK_FALSE(is_known_feature("cfhead"));
    CHECK_FALSE(is_known_feature("proto"));
}

// Every prefix of every option name, resolved by the real sendmail (see the data file's header).
TEST_CASE("name resolution agrees with sendmail 8.17.1.9 for every prefix") {
    std::ifstream in(std::string(SMAUDIT_SOURCE_DIR) +
                     "/tests/model/data/sendmail_option_names.tsv");
    REQUIRE(in.good());
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream fields(line);
        for (std::string col; std::getline(fields, col, '\t');)
            cols.push_back(col);
        REQUIRE(cols.size() >= 2);
        CAPTURE(line);
        OptionLookup got = lookup_option(cols[0]);
        if (cols[1] == "found") {
            REQUIRE(got.status == OptionLookup::Status::Found);
            CHECK(got.info->name == cols[2]);
        } else if (cols[1] == "ambiguous") {
            REQUIRE(got.status == OptionLookup::Status::Ambiguous);
            CHECK(got.info->name == cols[2]);
            CHECK(got.other->name == cols[3]);
        } else {
            CHECK(got.status == OptionLookup::Status::Unknown);
        }
        ++checked;
    }
    CHECK(checked > 1400);
}

TEST_CASE("options of other builds: known by full name, no part in abbreviations") {
    CHECK(lookup_option("DANE").status == OptionLookup::Status::Found);
    CHECK_FALSE(option_by_name("DANE")->in_reference_build);
    CHECK(option_by_name("PrivacyOptions")->in_reference_build);
    // "Da" is DaemonPortOptions for the reference build, although DANE also starts with it.
    CHECK(lookup_option("Da").info->name == "DaemonPortOptions");
}
