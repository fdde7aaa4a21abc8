// The relay FEATUREs of a .cf are read from the rules m4 writes for them (model/relay_features),
// never from the banner comment. Ground truth: the .cf the installed cf tree makes of an .mc
// with the feature, alone and beside the FEATUREs that reshape the same rulesets, shows exactly
// that feature, with or without its comments; real m4-made configurations of the shared corpus
// show the relay FEATUREs their banners name, and the same with every comment deleted.
#include "mc_test_support.hpp"
#include "model/relay_features.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

// The relay FEATUREs, and the two that take check_mail's sender checks out.
const std::vector<std::string> kRelayFeatures(model::relay_features_decided_by_rules().begin(),
                                              model::relay_features_decided_by_rules().end());

std::string without_comments(const std::string& text) {
    std::istringstream in(text);
    std::string out, line;
    while (std::getline(in, line))
        if (!line.starts_with("#")) out += line + "\n";
    return out;
}

// The relay FEATUREs the model sees in .cf text.
std::set<std::string> relay_features_of(const std::string& cf) {
    SourceSet sources;
    FileId file = sources.add("test.cf", cf, FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    model::Config config =
        model::build_config(sources, parse_cf(sources, file, diagnostics), diagnostics);
    std::set<std::string> names;
    for (const model::Feature& feature : config.features)
        if (model::relay_feature_decided_by_rules(feature.name)) names.insert(feature.name);
    return names;
}

// The .cf text m4 writes for an .mc with these FEATURE lines (the safe engine, which agrees
// with GNU m4 byte for byte: tests/m4).
std::string expanded(const std::vector<std::string>& features) {
    std::string mc = "OSTYPE(`linux')dnl\n";
    for (const std::string& feature : features)
        mc += "FEATURE(" + feature + ")dnl\n";
    mc += "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    SourceSet sources;
    FileId file = sources.add("test.mc", mc, FileKind::Mc);
    m4::ExpandOptions options;
    options.cf_dir = test::installed_cf_tree();
    m4::Expansion expansion = m4::expand_mc(sources, file, options);
    REQUIRE(expansion.complete);
    return expansion.text;
}

} // namespace

TEST_CASE("each relay FEATURE is seen in the .cf m4 writes for it, banner or not") {
    if (test::installed_cf_tree().empty()) {
        MESSAGE("skipped: no sendmail cf tree installed");
        return;
    }
    // FEATUREs that reshape check_rcpt, Rcpt_ok, Relay_ok and ParseRecipient.
    const std::vector<std::vector<std::string>> beside = {
        {},
        {"`access_db'"},
        {"`access_db'", "`delay_checks'"},
        {"`access_db'", "`relay_hosts_only'", "`blocklist_recipients'"},
        {"`bestmx_is_local'", "`use_cw_file'", "`nouucp', `reject'"},
        {"`access_db'", "`relay_mail_from', `domain'"},
    };
    for (const auto& others : beside) {
        std::string context;
        for (const std::string& other : others)
            context += other + " ";
        INFO("beside ", context);
        std::set<std::string> expected_base;
        for (const std::string& other : others)
            if (other.starts_with("`relay_mail_from'")) expected_base.insert("relay_mail_from");
        const std::string base = expanded(others);
        CHECK(relay_features_of(base) == expected_base);
        CHECK(relay_features_of(without_comments(base)) == expected_base);
        for (const std::string& feature : kRelayFeatures) {
            INFO("FEATURE(`", feature, "')");
            std::vector<std::string> features = others;
            features.push_back("`" + feature + "'");
            const std::string cf = expanded(features);
            std::set<std::string> expected = expected_base;
            expected.insert(feature);
            // What m4 writes decides, not what the .mc asks for (both checked with GNU m4):
            // relay_mail_from without access_db is an m4 error and writes no rule, and
            // promiscuous_relay's divert(-1) takes Relay_ok, where the sender rules are, out.
            bool access_db = std::find(others.begin(), others.end(), "`access_db'") != others.end();
            if (feature == "relay_mail_from" && !access_db) expected.erase(feature);
            if (feature == "promiscuous_relay") {
                expected.erase("relay_mail_from");
                expected.erase("relay_local_from");
            }
            CHECK(relay_features_of(cf) == expected);
            CHECK(relay_features_of(without_comments(cf)) == expected);
        }
    }
}

TEST_CASE("the relay FEATUREs of real m4-made configurations are the ones their banners name") {
    const fs::path corpus = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus" / "cf";
    if (!fs::is_directory(corpus)) {
        MESSAGE("skipped: no corpus at ", corpus.string());
        return;
    }
    size_t files = 0, with_feature = 0;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        std::set<std::string> named;
        for (const std::string& feature : kRelayFeatures)
            if (text.str().find("$Id: " + feature + ".m4") != std::string::npos ||
                text.str().find("@(#)" + feature + ".m4") != std::string::npos) // 8.9's banner
                named.insert(feature);
        // CVS rewrote every banner of this one to `$Id: sendmail.cf,v 1.1 ...`; its
        // check_mail holds accept_unresolvable_domains' rule (line 1191, read by hand).
        if (entry.path().filename() == "blackbaud-qa__watirmark-email__etc__mail__sendmail.cf")
            named = {"accept_unresolvable_domains"};
        INFO(entry.path().filename().string());
        CHECK(relay_features_of(text.str()) == named);
        CHECK(relay_features_of(without_comments(text.str())) == named);
        ++files;
        with_feature += !named.empty();
    }
    CHECK(files >= 10);
    CHECK(with_feature >= 7); // relay_based_on_MX in johnhomelan's docker image,
                              // accept_unresolvable_domains in Red Hat's and 8.9's configurations
}

TEST_CASE("8.9's rules for the relay FEATUREs (proto.m4 8.243) are recognised too") {
    // Basic_check_rcpt of 8.9 held the relay checks itself and said OK where 8.10 says RELAY.
    CHECK(relay_features_of("V8/Berkeley\nSBasic_check_rcpt\n"
                            "R$*\t\t\t$: $>ParseRecipient $1\n"
                            "R$+ < @ $* $=m >\t$@ OK\n"
                            "R$*\t\t\t$#error $@ 5.7.1 $: \"550 Relaying denied\"\n") ==
          std::set<std::string>{"relay_entire_domain"});
    CHECK(relay_features_of("V8/Berkeley\nSBasic_check_rcpt\n"
                            "R$*\t\t\t$: $>ParseRecipient $1\n"
                            "R<$* : $=w . : $*> $*\t$@ OK\n"
                            "R$*\t\t\t$: $1 $| $>CanonAddr $&f\n"
                            "R$* $| $+ < @ $=w . >\t$@ OK\t\t\tFROM local\n"
                            "R$*\t\t\t$#error $@ 5.7.1 $: \"550 Relaying denied\"\n") ==
          std::set<std::string>{"relay_based_on_MX", "relay_local_from"});
    CHECK(relay_features_of("V8/Berkeley\nSBasic_check_rcpt\n"
                            "R$*\t\t\t$: $>CanonAddr $1\n"
                            "R$+ < @ $=w >\t\t$@ OK\n") ==
          std::set<std::string>{"promiscuous_relay", "loose_relay_check"});
}
