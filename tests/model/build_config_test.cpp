// build_config on hand-made ASTs (tests/model/hand_ast.hpp): sendmail's merge rules, provenance,
// defaults, port options, features, and the SM-E05x diagnostics.
#include "diag/syntax_code.hpp"
#include "hand_ast.hpp"
#include "model/config.hpp"

#include <doctest/doctest.h>

using namespace smaudit;
using smaudit::test::hand_cf;

namespace {

struct Built {
    test::HandCf input;
    model::Config config;
    std::vector<Diagnostic> diagnostics;
};

Built build(std::string text) {
    Built b{hand_cf(std::move(text)), {}, {}};
    b.config = model::build_config(b.input.sources, b.input.cf, b.diagnostics);
    return b;
}

uint32_t line_of(const Built& b, Location where) {
    return b.input.sources.get(where.file).position(where.span.begin).line;
}

std::string_view text_at(const Built& b, Location where) {
    return b.input.sources.get(where.file).slice(where.span);
}

std::string value(const Built& b, std::string_view name) {
    const model::OptionValue* v = b.config.option(name);
    REQUIRE_MESSAGE(v != nullptr, name);
    return v->value;
}

} // namespace

TEST_CASE("last line wins, every line kept as provenance") {
    auto b = build("V10/Berkeley\nO LogLevel=3\nOL12\n");
    const auto* level = b.config.option("LogLevel");
    REQUIRE(level != nullptr);
    CHECK(level->value == "12");
    CHECK_FALSE(level->is_default);
    REQUIRE(level->settings.size() == 2);
    CHECK(level->settings[0].written_name == "LogLevel");
    CHECK(level->settings[1].written_name == "L");
    CHECK(line_of(b, level->where()) == 3);
    CHECK(text_at(b, level->value_where()) == "12");
    CHECK(b.diagnostics.empty());
}

TEST_CASE("abbreviations and case resolve to the canonical name") {
    auto b = build("O Privacy=goaway\nO smtpgreetingmessage=$j ESMTP\n");
    CHECK(value(b, "PrivacyOptions") == "goaway");
    CHECK(b.config.option("privacyoptions") == b.config.option("PrivacyOptions"));
    CHECK(b.config.option("PrivacyOptions")->settings.back().written_name == "Privacy");
    CHECK(value(b, "SmtpGreetingMessage") == "$j ESMTP");
    CHECK(b.config.options.count("SmtpGreetingMessage") == 1);
    // sendmail 8.17 warns about the abbreviation ("Option Privacy used as abbreviation for
    // PrivacyOptions", a 050 line before the SMTP greeting) and starts; not about the case.
    REQUIRE(b.diagnostics.size() == 1);
    const Diagnostic& d = b.diagnostics[0];
    CHECK(d.rule_id == "SM-E054");
    CHECK(d.severity == Severity::Low);
    CHECK(text_at(b, d.where) == "Privacy");
    CHECK(d.message.find("abbreviates PrivacyOptions") != std::string::npos);
    REQUIRE(d.fix.has_value());
    CHECK(d.fix->safe);
    REQUIRE(d.fix->edits.size() == 1);
    CHECK(text_at(b, d.fix->edits[0].where) == "Privacy");
    CHECK(d.fix->edits[0].replacement == "PrivacyOptions");
}

TEST_CASE("an abbreviated name with a sub-option: the fix replaces the option part only") {
    auto b = build("O Timeo.queuewarn=3h\n");
    REQUIRE(b.diagnostics.size() == 1);
    const Diagnostic& d = b.diagnostics[0];
    CHECK(d.rule_id == "SM-E054");
    REQUIRE(d.fix.has_value());
    CHECK(text_at(b, d.fix->edits[0].where) == "Timeo");
    CHECK(d.fix->edits[0].replacement == "Timeout");
    CHECK(value(b, "Timeout.queuewarn") == "3h");
}

TEST_CASE("#O comment lines are not active: the binary default applies") {
    auto b = build("#O LogLevel=10\n#O PrivacyOptions=authwarnings\n");
    const auto* level = b.config.option("LogLevel");
    REQUIRE(level != nullptr);
    CHECK(level->is_default);
    CHECK(level->value == "9");
    CHECK_FALSE(level->where().valid());
    CHECK(value(b, "PrivacyOptions") == "public");
    CHECK(b.config.option("PrivacyOptions")->is_default);
}

TEST_CASE("binary defaults (KB 1.4 / Appendix F)") {
    auto b = build("V10/Berkeley\n");
    CHECK(value(b, "LogLevel") == "9");
    CHECK(value(b, "PrivacyOptions") == "public");
    CHECK(value(b, "SmtpGreetingMessage") == "$j Sendmail $v ready at $b");
    CHECK(value(b, "ConnectionCacheSize") == "1");
    CHECK(value(b, "MinFreeBlocks") == "0");
    CHECK(value(b, "DeliveryMode") == "background");
    CHECK(value(b, "DontBlameSendmail") == "safe");
    CHECK(value(b, "Timeout.queuewarn") == "0");
    CHECK(value(b, "Timeout.queuereturn") == "5d");
    CHECK(value(b, "Timeout.ident") == "5s");
    CHECK(value(b, "Timeout.iconnect") == "0s");
    CHECK(value(b, "MaxMimeHeaderLength") == "2048/1024");
    CHECK(value(b, "ColonOkInAddr") == "False");   // V6 and later
    CHECK(b.config.option("QueueLA") == nullptr);  // 8 x CPUs: no fixed value
    CHECK(b.config.option("HelpFile") == nullptr); // unset
    CHECK(b.config.option("NoSuchOption") == nullptr);
    CHECK(b.config.option("DANE") == nullptr); // not compiled into the reference build
    CHECK(b.config.option("LogLevel")->is_default);

    auto old = build("V5\n");
    CHECK(value(old, "ColonOkInAddr") == "True");
}

TEST_CASE("PrivacyOptions accumulates across lines, legacy Op included") {
    auto b = build("O PrivacyOptions=authwarnings\n"
                   "Opgoaway,noetrn\n"
                   "O Privacy=NoVRFY , authwarnings\n"
                   "O PrivacyOptions=public\n");
    const auto* privacy = b.config.option("PrivacyOptions");
    REQUIRE(privacy != nullptr);
    CHECK(privacy->value == "authwarnings,goaway,noetrn,novrfy");
    CHECK(privacy->settings.size() == 4);
    CHECK(line_of(b, privacy->where()) == 4);
    CHECK(b.config.privacy_has("noexpn")); // through goaway
    CHECK(b.config.privacy_has("noetrn"));
    CHECK_FALSE(b.config.privacy_has("restrictqrun"));
    REQUIRE(b.diagnostics.size() == 1); // sendmail warns about `Privacy` (SM-E054), nothing else
    CHECK(b.diagnostics[0].rule_id == "SM-E054");
}

TEST_CASE("an unknown PrivacyOptions word is reported on its bytes and ignored") {
    auto b = build("O PrivacyOptions=goaway,novrfyy\n");
    CHECK(value(b, "PrivacyOptions") == "goaway");
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].rule_id == "SM-E052");
    CHECK(b.diagnostics[0].pack == Pack::Syntax);
    CHECK(text_at(b, b.diagnostics[0].where) == "novrfyy");
}

TEST_CASE("a DeliveryMode letter sendmail does not know is SM-E052, with sendmail's message") {
    // sendmail 8.17.1.9: `O DeliveryMode=z` -> "Unknown delivery mode z", exit 64; the first
    // character counts, case too (`background` reads b, `Queue` is refused); empty is i.
    for (const char* known : {"i", "b", "q", "d", "background", "deferred", ""}) {
        CAPTURE(known);
        auto b = build(std::string("O DeliveryMode=") + known + "\n");
        CHECK(b.diagnostics.empty());
    }
    auto b = build("O DeliveryMode=b\nO DeliveryMode=zap\n");
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].rule_id == "SM-E052");
    CHECK(b.diagnostics[0].pack == Pack::Syntax);
    CHECK(b.diagnostics[0].message ==
          "DeliveryMode: unknown delivery mode \"z\" (sendmail: \"Unknown delivery mode z\"); "
          "the modes are i, b, q and d; sendmail refuses to start with it");
    CHECK(text_at(b, b.diagnostics[0].where) == "z");
    // Kept as written: the rules that read the mode find no mode in it.
    CHECK(value(b, "DeliveryMode") == "zap");
    auto legacy = build("OdQ\n");
    REQUIRE(legacy.diagnostics.size() == 1);
    CHECK(legacy.diagnostics[0].rule_id == "SM-E052");
}

TEST_CASE("DontBlameSendmail accumulates and `safe` clears earlier flags") {
    auto b = build("O DontBlameSendmail=GroupWritableIncludeFile\n"
                   "O DontBlameSendmail=forwardfileinunsafedirpath\n");
    CHECK(value(b, "DontBlameSendmail") == "groupwritableincludefile,forwardfileinunsafedirpath");
    auto cleared = build("O DontBlameSendmail=GroupWritableIncludeFile\n"
                         "O DontBlameSendmail=safe,AssumeSafeChown\n");
    CHECK(value(cleared, "DontBlameSendmail") == "assumesafechown");
    CHECK(cleared.config.dont_blame_has("assumesafechown"));
    CHECK_FALSE(cleared.config.dont_blame_has("groupwritableincludefile"));
    CHECK(cleared.config.option("DontBlameSendmail")->settings.size() == 2);
    auto only_safe = build("O DontBlameSendmail=AssumeSafeChown\nO DontBlameSendmail=safe\n");
    CHECK(value(only_safe, "DontBlameSendmail") == "safe");
    CHECK_FALSE(only_safe.config.option("DontBlameSendmail")->is_default);
}

TEST_CASE("AliasFile: each line adds") {
    auto b = build("O AliasFile=/etc/mail/aliases\nOA/etc/mail/lists\n");
    CHECK(value(b, "AliasFile") == "/etc/mail/aliases,/etc/mail/lists");
    CHECK(b.config.option("AliasFile")->settings.size() == 2);
}

TEST_CASE("Timeout sub-options") {
    auto b = build("O Timeout.queuewarn=2h\n"
                   "O Timeout.queuewarn.urgent=1h\n"
                   "O timeout.IDENT=0\n"
                   "O Timeout.resolver.retry=2\n");
    CHECK(value(b, "Timeout.queuewarn") == "2h");
    CHECK(value(b, "Timeout.queuewarn.normal") == "2h"); // set by the class-wide line
    CHECK(value(b, "Timeout.queuewarn.urgent") == "1h");
    CHECK(value(b, "Timeout.queuewarn.dsn") == "2h");
    CHECK(value(b, "Timeout.ident") == "0");
    CHECK(value(b, "Timeout.resolver.retry.first") == "2");
    CHECK(line_of(b, b.config.option("Timeout.queuewarn.normal")->where()) == 1);
    CHECK(b.config.option("Timeout.queuewarn.normal")->settings.back().written_name ==
          "Timeout.queuewarn");
    CHECK(value(b, "Timeout.queuereturn") == "5d"); // untouched default
    CHECK(b.diagnostics.empty());
}

// sendmail 8.17 -d37.2 on these lines: "settimeout(queuewarn = 4h)", "settimeout(queuereturn =
// 5d)", "inittimeouts(5m)", "settimeout(queuewarn = 3h)", "settimeout(ident = 0)", "settimeout:
// invalid timeout bogus", and for QueueTimeout=3d only "settimeout(queuereturn = 3d)".
TEST_CASE("legacy OT return/warn and Or / O Timeout= lists") {
    auto t = build("OT5d/4h\n");
    CHECK(value(t, "Timeout.queuereturn") == "5d");
    CHECK(value(t, "Timeout.queuewarn") == "4h");
    CHECK(text_at(t, t.config.option("Timeout.queuewarn")->value_where()) == "4h");
    CHECK(text_at(t, t.config.option("Timeout.queuereturn")->value_where()) == "5d");
    auto only_return = build("O QueueTimeout=3d\n");
    CHECK(value(only_return, "Timeout.queuereturn") == "3d");
    CHECK(value(only_return, "Timeout.queuewarn") == "0");

    auto r = build("Or5m\n");
    for (const char* name : {"Timeout.mail", "Timeout.rcpt", "Timeout.datainit",
                             "Timeout.datablock", "Timeout.datafinal", "Timeout.command"})
        CHECK_MESSAGE(value(r, name) == "5m", name);
    CHECK(value(r, "Timeout.helo") == "5m"); // default, not touched by the bare number
    CHECK(r.config.option("Timeout.helo")->is_default);

    auto list = build("O Timeout=queuewarn=3h, ident:0, bogus=1\n");
    CHECK(value(list, "Timeout.queuewarn") == "3h");
    CHECK(value(list, "Timeout.queuewarn.non-urgent") == "3h");
    CHECK(value(list, "Timeout.ident") == "0");
    REQUIRE(list.diagnostics.size() == 1);
    CHECK(list.diagnostics[0].rule_id == "SM-E050");
    CHECK(text_at(list, list.diagnostics[0].where) == "bogus");
}

TEST_CASE("Milter sub-options") {
    auto b = build("O Milter.LogLevel=5\nO Milter.macros.connect=j, _\nO Milter.bogus=1\n");
    CHECK(value(b, "Milter.LogLevel") == "5");
    CHECK(value(b, "Milter.macros.connect") == "j, _");
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].rule_id == "SM-E050");
    CHECK(text_at(b, b.diagnostics[0].where) == "Milter.bogus");
}

TEST_CASE("unknown, ambiguous and unknown-timeout names are diagnosed and ignored") {
    auto b = build("O Zork=1\nO Rej=1\nO Timeout.bogus=1\nON1\nO Ti.queuewarn=3h\n");
    REQUIRE(b.diagnostics.size() == 5);
    CHECK(b.diagnostics[0].rule_id == "SM-E050");
    CHECK(b.diagnostics[0].rule_name == "unknown-option");
    CHECK(text_at(b, b.diagnostics[0].where) == "Zork");
    CHECK(b.diagnostics[1].rule_id == "SM-E051");
    CHECK(b.diagnostics[1].message.find("RejectLogInterval and RejectNUL") != std::string::npos);
    CHECK(text_at(b, b.diagnostics[1].where) == "Rej");
    CHECK(b.diagnostics[2].rule_id == "SM-E050");
    CHECK(b.diagnostics[3].rule_id == "SM-E050");
    CHECK(text_at(b, b.diagnostics[3].where) == "N");
    CHECK(b.diagnostics[4].rule_id == "SM-E051");
    // sendmail refuses to start on each of them (SyntaxCode::stops_sendmail)
    for (const Diagnostic& d : b.diagnostics) {
        CHECK(d.severity == Severity::High);
        CHECK(d.message.ends_with(kStopsSendmail));
    }
    CHECK(b.config.option("RejectLogInterval")->is_default);
    CHECK(value(b, "Timeout.queuewarn") == "0");
}

TEST_CASE("daemon port options: first character of each key, normalised names") {
    auto b = build("O DaemonPortOptions=Port=587, Name=MSA, M=Ea\n"
                   "O DaemonPortOptions=Address=127.0.0.1,family=inet6,listen=20,r=5,R=1024,"
                   "c=3,DeliveryMode=q,d=4,q=6,s=8,InputMailFilters=a;b,Xyz=1,novalue\n");
    REQUIRE(b.config.daemons.size() == 2);
    const auto& msa = b.config.daemons[0];
    CHECK(msa.pairs == std::vector<std::pair<std::string, std::string>>{
                           {"Port", "587"}, {"Name", "MSA"}, {"Modifiers", "Ea"}});
    CHECK(msa.get("port") == "587");
    CHECK(line_of(b, msa.where) == 1);
    CHECK_FALSE(msa.is_default);
    const auto& other = b.config.daemons[1];
    CHECK(other.get("Addr") == "127.0.0.1");
    CHECK(other.get("Family") == "inet6");
    CHECK(other.get("Listen") == "20");
    CHECK(other.get("refuseLA") == "5");
    CHECK(other.get("RcvBufSize") == "1024");
    CHECK(other.get("children") == "3");
    CHECK(other.get("DeliveryMode") == "q");
    CHECK(other.get("delayLA") == "4");
    CHECK(other.get("queueLA") == "6");
    CHECK(other.get("SndBufSize") == "8");
    CHECK(other.get("InputMailFilters") == "a;b");
    CHECK_FALSE(other.get("Name").has_value());
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].rule_id == "SM-E053");
    CHECK(text_at(b, b.diagnostics[0].where) == "Xyz");
    // The option itself: last line in effect, both lines kept.
    CHECK(b.config.option("DaemonPortOptions")->settings.size() == 2);
}

TEST_CASE("no DaemonPortOptions line: sendmail's own default daemon") {
    auto b = build("V10/Berkeley\n");
    REQUIRE(b.config.daemons.size() == 1);
    const auto& d = b.config.daemons[0];
    CHECK(d.is_default);
    CHECK_FALSE(d.where.valid());
    CHECK(d.get("Port") == "25");
    CHECK(d.get("Name") == "Daemon0");
    CHECK(d.get("Addr") == "0.0.0.0");
    CHECK(b.config.clients.empty());

    auto client = build("O ClientPortOptions=Family=inet, Address=192.0.2.1\n");
    REQUIRE(client.config.clients.size() == 1);
    CHECK(client.config.clients[0].get("Addr") == "192.0.2.1");

    // One profile per family (setclientoptions): the third line replaces the first.
    auto families = build("O ClientPortOptions=Address=192.0.2.1\n"
                          "O ClientPortOptions=Family=inet6, Address=2001:db8::1\n"
                          "O ClientPortOptions=Family=INET, Address=192.0.2.9, M=h\n");
    REQUIRE(families.config.clients.size() == 2);
    CHECK(families.config.clients[0].get("Family") == "inet6");
    CHECK(families.config.clients[1].get("Addr") == "192.0.2.9");
    CHECK(families.config.option("ClientPortOptions")->settings.size() == 3);
}

TEST_CASE("FEATURE banners become features; other m4 banners do not") {
    auto b = build("#####  $Id: cfhead.m4,v 8.122 2013-11-22 20:51:13 ca Exp $  #####\n"
                   "#####  $Id: debian.m4, v 8.17.1.9-2+deb12u2 2024-06-16 cowboy Exp $  #####\n"
                   "#####  $Id: access_db.m4,v 8.28 2013-11-22 20:51:11 ca Exp $  #####\n"
                   "#####  $Id: greet_pause.m4,v 1.5 2013-11-22 20:51:11 ca Exp $  #####\n"
                   "#####  $Id: local.m4,v 8.60 2013-11-22 20:51:14 ca Exp $  #####\n"
                   "# a comment that mentions $Id: promiscuous_relay.m4 in passing\n");
    REQUIRE(b.config.features.size() == 2);
    CHECK(b.config.features[0].name == "access_db");
    CHECK(line_of(b, b.config.features[0].where) == 3);
    CHECK(b.config.features[1].name == "greet_pause");
    CHECK(b.config.feature("greet_pause") != nullptr);
    CHECK(b.config.feature("promiscuous_relay") == nullptr);
}

TEST_CASE("classes, macros, maps, mailers, rulesets") {
    auto b = build("V10/Debian\n"
                   "Cwlocalhost mail.example.org\n"
                   "C{R}example.org\n"
                   "FR-o /etc/mail/relay-domains\n"
                   "Dj$w.example.org\n"
                   "D{MTAHost}relay.example.org\n"
                   "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
                   "Mlocal, P=/usr/lib/sm.bin/mail.local, F=lsDFMAw5:/|@qPn9S, A=mail.local -l\n"
                   "S0\n"
                   "R$*\t$#local $: $1\n"
                   "Scheck_rcpt\n"
                   "R$*\t$: $1\n"
                   "S0\n"
                   "R$+\t$@ $1\n");
    CHECK(b.config.version_level == "10");
    CHECK(b.config.classes.at("w").words ==
          std::vector<std::string>{"localhost", "mail.example.org"});
    const auto& relay = b.config.classes.at("R");
    CHECK(relay.words == std::vector<std::string>{"example.org"});
    CHECK(relay.files == std::vector<std::string>{"-o /etc/mail/relay-domains"});
    CHECK(relay.where.size() == 2);
    CHECK(b.config.macros.at("j").value == "$w.example.org");
    CHECK(b.config.macros.at("MTAHost").value == "relay.example.org");
    CHECK(b.config.maps.at("access").type == "hash");
    CHECK(b.config.mailers.at("local").fields.at('P') == "/usr/lib/sm.bin/mail.local");
    CHECK(b.config.mailers.at("local").fields.at('F') == "lsDFMAw5:/|@qPn9S");
    REQUIRE(b.config.rulesets.size() == 2); // the second S0 appends to the first
    CHECK(b.config.rulesets[0].rules.size() == 2);
    CHECK(b.config.ruleset("0") == &b.config.rulesets[0]);
    CHECK(b.config.ruleset("check_rcpt")->rules.size() == 1);
    CHECK(b.config.ruleset("nope") == nullptr);
}

TEST_CASE("legacy OM defines a macro") {
    auto b = build("OMa1\nOM{Foo}bar\n");
    CHECK(b.config.macros.at("a").value == "1");
    CHECK(b.config.macros.at("Foo").value == "bar");
}

// Each line's outcome was checked with sendmail 8.17 -d37.1: "O Timeout.=1" -> "settimeout:
// invalid timeout", "O Milter=1" -> "must specify suboption", "O LogLevel.foo=3" -> "LogLevel
// does not support suboptions, ignoring .foo" and LogLevel=3, "O .x=1" -> ambiguous.
TEST_CASE("sub-option edge cases") {
    auto b = build("O Timeout.=1\nO Milter=1\nO LogLevel.foo=3\nO .x=1\n");
    REQUIRE(b.diagnostics.size() == 3);
    CHECK(b.diagnostics[0].rule_id == "SM-E050");
    CHECK(b.diagnostics[1].rule_id == "SM-E050");
    CHECK(b.diagnostics[2].rule_id == "SM-E051");
    CHECK(value(b, "LogLevel") == "3");
}

// Ground truth: generic-linux.mc expanded with m4 (it writes O PrivacyOptions=authwarnings),
// plus "O PrivacyOptions=noexpn" and "O PrivacyOptions=public" appended; in a `sendmail -bs`
// session (8.17.1.9) EXPN root answered "502 5.7.0 Sorry, we do not allow this operation" and
// VRFY root "250 2.1.5 root <root@...>": the later `public` removed nothing.
TEST_CASE("a later PrivacyOptions=public does not remove flags (SMTP session)") {
    auto b = build("O PrivacyOptions=authwarnings\n"
                   "O PrivacyOptions=noexpn\n"
                   "O PrivacyOptions=public\n");
    CHECK(value(b, "PrivacyOptions") == "authwarnings,noexpn");
    CHECK(b.config.privacy_has("noexpn"));
    CHECK_FALSE(b.config.privacy_has("novrfy"));
}
