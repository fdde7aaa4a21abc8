// Provenance: the output knows where each piece came from (see src/m4/expand.hpp). The offsets
// below are found in the inputs by hand-written search strings, not taken from the engine.
#include "m4_test_util.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace smaudit;

namespace {

const std::string kCfDir = "/usr/share/sendmail/cf";

struct Expanded {
    SourceSet sources;
    FileId mc = kNoFile;
    m4::Expansion e;
};

std::unique_ptr<Expanded> expand(const std::string& text) {
    auto x = std::make_unique<Expanded>();
    x->mc = x->sources.add("test.mc", text, FileKind::Mc);
    m4::ExpandOptions options;
    options.cf_dir = kCfDir;
    // Site files the tests write there are included by absolute path: inside the allowed tree.
    options.include_dirs = {m4test::temp_dir()};
    x->e = m4::expand_mc(x->sources, x->mc, options);
    return x;
}

uint32_t at(const std::string& text, const std::string& needle) {
    const size_t p = text.find(needle);
    REQUIRE_MESSAGE(p != std::string::npos, "missing: " << needle);
    return static_cast<uint32_t>(p);
}

const std::string kMc = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                        "OSTYPE(`debian')dnl\n"
                        "define(`confPRIVACY_FLAGS', `authwarnings,goaway')dnl\n"
                        "FEATURE(`access_db')dnl\n"
                        "MAILER(`local')dnl\n"
                        "MAILER(`smtp')dnl\n";

} // namespace

TEST_CASE("an option value points at the .mc define, its name at proto.m4") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) {
        MESSAGE("no cf tree: skipped");
        return;
    }
    auto x = expand(kMc);
    const std::string& out = x->e.text;
    const uint32_t line = at(out, "O PrivacyOptions=authwarnings,goaway\n");
    const uint32_t value = line + static_cast<uint32_t>(std::string("O PrivacyOptions=").size());

    const Location v = x->e.origin_of(value);
    CHECK(v.file == x->mc);
    CHECK(v.span.begin == at(kMc, "authwarnings,goaway')"));
    CHECK(v.span.size() == 1); // one output byte, one source byte
    CHECK(x->e.origin_of(value + 7).span.begin == v.span.begin + 7);
    CHECK(x->e.mc_origin_of(value) == v);
    // The whole piece: exactly the value inside the quotes of the define.
    const m4::OriginSegment* piece = x->e.segment_of(value + 3);
    REQUIRE(piece != nullptr);
    CHECK(piece->linear);
    CHECK(piece->out_begin == value);
    CHECK(x->sources.get(x->mc).slice(piece->origin.span) == "authwarnings,goaway");

    const Location name = x->e.origin_of(line);
    REQUIRE(name.valid());
    CHECK(x->sources.get(name.file).path() == kCfDir + "/m4/proto.m4");
    CHECK(x->sources.get(name.file).slice(name.span) == "O");
    CHECK_FALSE(x->e.mc_origin_of(line).valid()); // the cf tree's own text: "cf default"
}

TEST_CASE("values from an OSTYPE file and from a FEATURE point back at that .mc line") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    auto x = expand(kMc);
    const std::string& out = x->e.text;
    // DeadLetterDrop is set by ostype/debian.m4, not by the .mc.
    const uint32_t dead = at(out, "O DeadLetterDrop=") + 17;
    const Location d = x->e.origin_of(dead);
    REQUIRE(d.valid());
    CHECK(x->sources.get(d.file).path() == kCfDir + "/ostype/debian.m4");
    const Location d_mc = x->e.mc_origin_of(dead);
    CHECK(d_mc.file == x->mc);
    CHECK(d_mc.span.begin == at(kMc, "OSTYPE("));
    CHECK(x->sources.get(x->mc).slice(d_mc.span) == "OSTYPE(`debian')");

    // The access map line is written by feature/access_db.m4; its map type comes from
    // cfhead.m4, the cf tree's own default.
    const uint32_t k = at(out, "\nKaccess hash") + 1;
    const Location k_mc = x->e.mc_origin_of(k);
    CHECK(k_mc.file == x->mc);
    CHECK(x->sources.get(x->mc).slice(k_mc.span) == "FEATURE(`access_db')");
    CHECK_FALSE(x->e.mc_origin_of(k + 8).valid());
}

TEST_CASE("a stretch that starts with cf tree text stands for the call whose file wrote the rest") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    auto x = expand(kMc);
    const std::string& out = x->e.text;
    // The banner comment: "#####  " is cfhead.m4's VERSIONID text, the $Id the feature file's.
    const uint32_t banner = at(out, "#####  $Id: access_db.m4");
    const Span line{banner, static_cast<uint32_t>(out.find('\n', banner))};
    CHECK_FALSE(x->e.mc_origin_of(banner).valid());
    const Location call = x->e.mc_origin_in(line);
    CHECK(x->sources.get(x->mc).slice(call.span) == "FEATURE(`access_db')");
    // A first byte that maps keeps its own place.
    const uint32_t value = at(out, "O PrivacyOptions=authwarnings,goaway\n") + 17;
    CHECK(x->e.mc_origin_in({value, value + 5}) == x->e.mc_origin_of(value));
    // The .mc's own define bytes later in an O line are not a call standing for a file: the
    // line stands for the define that wrote them, the .mc's own text.
    const uint32_t o_line = value - 17;
    bool own_statement = false;
    const Location line_mc = x->e.mc_origin_in({o_line, value + 19}, &own_statement);
    CHECK(x->sources.get(x->mc).slice(line_mc.span) ==
          "define(`confPRIVACY_FLAGS', `authwarnings,goaway')");
    CHECK(own_statement);
    // A stretch of the cf tree alone is still "cf default".
    CHECK_FALSE(x->e.mc_origin_in({o_line, value}).valid());
}

TEST_CASE("the .mc's own defines: where they are, which are in effect, the statement of bytes") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    // A define inside an ifdef, a define overridden later, one that adds to an earlier with
    // defn(), one undefined again, and a macro the .mc defines to call define for it.
    const std::string mc =
        "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
        "OSTYPE(`debian')dnl\n"
        "ifdef(`NOT_DEFINED', `define(`confLOG_LEVEL', `3')',\n"
        "  `define(`confLOG_LEVEL', `4')')dnl\n"
        "define(`confMAX_HOP', `30')dnl\n"
        "define(`confMAX_HOP', `40')dnl\n"
        "define(`confPRIVACY_FLAGS', `goaway')dnl\n"
        "define(`confPRIVACY_FLAGS', defn(`confPRIVACY_FLAGS')`,noreceipts')dnl\n"
        "define(`confMIN_QUEUE_AGE', `5m')dnl\n"
        "undefine(`confMIN_QUEUE_AGE')dnl\n"
        "define(`SETSIZE', `define(`confMAX_MESSAGE_SIZE', $1)')dnl\n"
        "SETSIZE(`1000')dnl\n"
        "MAILER(`local')dnl\n";
    auto x = expand(mc);
    const SourceFile& file = x->sources.get(x->mc);
    std::vector<std::string> made;
    for (const m4::McDefinition& d : x->e.definitions)
        made.push_back(std::string(file.slice(d.where.span)) + (d.in_effect ? " (in effect)" : ""));
    CHECK(made == std::vector<std::string>{
                      "define(`confLOG_LEVEL', `4') (in effect)", "define(`confMAX_HOP', `30')",
                      "define(`confMAX_HOP', `40') (in effect)",
                      "define(`confPRIVACY_FLAGS', `goaway')",
                      "define(`confPRIVACY_FLAGS', defn(`confPRIVACY_FLAGS')`,noreceipts') "
                      "(in effect)",
                      "define(`confMIN_QUEUE_AGE', `5m')",
                      "define(`SETSIZE', `define(`confMAX_MESSAGE_SIZE', $1)') (in effect)",
                      "define(`confMAX_MESSAGE_SIZE', $1) (in effect)"});

    const std::string& out = x->e.text;
    auto statement_of = [&](const std::string& line_text) {
        const uint32_t line = at(out, "\n" + line_text + "\n") + 1;
        return file.slice(
            x->e.mc_statement_in({line, line + static_cast<uint32_t>(line_text.size())}).span);
    };
    // The define in the branch ifdef took, not the ifdef around it.
    CHECK(statement_of("O LogLevel=4") == "define(`confLOG_LEVEL', `4')");
    CHECK(statement_of("O MaxHopCount=40") == "define(`confMAX_HOP', `40')");
    // Bytes of two defines: the later one, which made the value.
    CHECK(statement_of("O PrivacyOptions=goaway,noreceipts") ==
          "define(`confPRIVACY_FLAGS', defn(`confPRIVACY_FLAGS')`,noreceipts')");
    // The value is SETSIZE's argument: the call that passed it.
    CHECK(statement_of("O MaxMessageSize=1000") == "SETSIZE(`1000')");
    // No byte of the .mc.
    const uint32_t help = at(out, "\nO HelpFile=") + 1;
    CHECK_FALSE(x->e.mc_statement_in({help, help + 10}).valid());
}

TEST_CASE("text proto.m4 writes only under a FEATURE's flag points at that FEATURE line") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) {
        MESSAGE("no cf tree: skipped");
        return;
    }
    const std::string mc = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "OSTYPE(`debian')dnl\n"
                           "define(`confPRIVACY_FLAGS', `authwarnings,goaway')dnl\n"
                           "FEATURE(`access_db')dnl\n"
                           "FEATURE(`delay_checks')dnl\n"
                           "FEATURE(`blocklist_recipients')dnl\n"
                           "MAILER(`local')dnl\n"
                           "MAILER(`smtp')dnl\n";
    auto x = expand(mc);
    const std::string& out = x->e.text;
    const SourceFile& mc_file = x->sources.get(x->mc);
    // Without the FEATUREs proto.m4 writes no Delay_TLS_Clt ruleset and no {Accept} class.
    {
        auto plain = expand(kMc.substr(0, kMc.find("FEATURE(")) + "MAILER(`local')dnl\n");
        CHECK(plain->e.text.find("\nSDelay_TLS_Clt\n") == std::string::npos);
        CHECK(plain->e.text.find("\nC{Accept}OK RELAY\n") == std::string::npos);
    }

    // feature/delay_checks.m4 only defines _DELAY_CHECKS_; proto.m4 writes the ruleset and its
    // rules under ifdef(`_DELAY_CHECKS_', ...). Those bytes are proto.m4's own.
    const uint32_t ruleset = at(out, "\nSDelay_TLS_Clt\n") + 1;
    const Location own = x->e.origin_of(ruleset);
    REQUIRE(own.valid());
    CHECK(x->sources.get(own.file).path() == kCfDir + "/m4/proto.m4");
    CHECK(mc_file.slice(x->e.mc_origin_of(ruleset).span) == "FEATURE(`delay_checks')");
    const uint32_t rule = at(out.substr(ruleset), "R$*\t\t\t$: $1 $| $>\"tls_client\"") + ruleset;
    CHECK(mc_file.slice(x->e.mc_origin_of(rule).span) == "FEATURE(`delay_checks')");
    const Span rule_line{rule, static_cast<uint32_t>(out.find('\n', rule))};
    CHECK(mc_file.slice(x->e.mc_origin_in(rule_line).span) == "FEATURE(`delay_checks')");
    const m4::OriginSegment* piece = x->e.segment_of(ruleset);
    REQUIRE(piece != nullptr);
    CHECK(mc_file.slice(piece->cause.span) == "FEATURE(`delay_checks')");

    // Under ifdef(`_ACCESS_TABLE_', ...), set by feature/access_db.m4.
    const uint32_t accept = at(out, "\nC{Accept}OK RELAY\n") + 1;
    CHECK(mc_file.slice(x->e.mc_origin_of(accept).span) == "FEATURE(`access_db')");
    // Nested: ifdef(`_ACCESS_TABLE_', `... ifdef(`_DELAY_COMPAT_8_10_', `ifdef(`_BLOCKLIST_RCPT_',
    // `C{SpamTag}...')')'): the innermost ifdef's FEATURE wins.
    const uint32_t spam = at(out, "\nC{SpamTag}SPAMFRIEND SPAMHATER\n") + 1;
    CHECK(mc_file.slice(x->e.mc_origin_of(spam).span) == "FEATURE(`blocklist_recipients')");

    // proto.m4 writes Parse0 whatever the .mc says: still "cf default".
    const uint32_t parse0 = at(out, "\nSParse0\n") + 1;
    CHECK_FALSE(x->e.mc_origin_of(parse0).valid());
    CHECK_FALSE(x->e.mc_origin_in({parse0, parse0 + 7}).valid());
    CHECK_FALSE(x->e.segment_of(parse0)->cause.valid());
    // An O line's value the .mc defines still points at the .mc's define bytes.
    const uint32_t value = at(out, "O PrivacyOptions=authwarnings,goaway\n") + 17;
    const Location v = x->e.mc_origin_of(value);
    CHECK(v.file == x->mc);
    CHECK(v.span.begin == at(mc, "authwarnings,goaway')"));
    CHECK_FALSE(x->e.mc_origin_of(value - 17).valid());
}

TEST_CASE("origins are sorted and start at the beginning of the output") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    auto x = expand(kMc);
    REQUIRE_FALSE(x->e.origins.empty());
    CHECK(x->e.origins.front().out_begin == 0);
    bool sorted = true;
    for (size_t i = 1; i < x->e.origins.size(); ++i)
        sorted = sorted && x->e.origins[i - 1].out_begin < x->e.origins[i].out_begin;
    CHECK(sorted);
    CHECK(x->e.origins.back().out_begin < x->e.text.size());
    CHECK_FALSE(x->e.origin_of(static_cast<uint32_t>(x->e.text.size())).valid());
}

TEST_CASE("top-level .mc calls are recorded with their arguments and spans") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    auto x = expand(kMc);
    std::vector<std::string> names;
    for (const auto& c : x->e.calls)
        names.push_back(c.name);
    CHECK(names == std::vector<std::string>{"include", "dnl", "OSTYPE", "dnl", "define", "dnl",
                                            "FEATURE", "dnl", "MAILER", "dnl", "MAILER", "dnl"});
    const auto& def = x->e.calls[4];
    CHECK(def.args == std::vector<std::string>{"confPRIVACY_FLAGS", "authwarnings,goaway"});
    REQUIRE(def.arg_locations.size() == 2);
    // The value's bytes inside the quotes: what a fix replaces.
    CHECK(x->sources.get(x->mc).slice(def.arg_locations[1].span) == "authwarnings,goaway");
    CHECK(x->sources.get(x->mc).slice(def.arg_locations[0].span) == "confPRIVACY_FLAGS");
    CHECK(x->sources.get(x->mc).slice(def.where.span) ==
          "define(`confPRIVACY_FLAGS', `authwarnings,goaway')");
}

TEST_CASE("FEATURE after MAILER: m4's error message is data located at the FEATURE line") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string mc = "include(`../m4/cf.m4')dnl\n"
                           "OSTYPE(`linux')dnl\n"
                           "MAILER(`smtp')dnl\n"
                           "FEATURE(`always_add_domain')dnl\n";
    auto x = expand(mc);
    REQUIRE(x->e.errprints.size() >= 1);
    const auto& msg = x->e.errprints[0];
    CHECK(msg.text.find("*** ERROR: FEATURE() should be before MAILER()") != std::string::npos);
    CHECK(msg.where.file == x->mc);
    CHECK(x->sources.get(x->mc).slice(msg.where.span) == "FEATURE(`always_add_domain')");
    CHECK(x->sources.get(msg.errprint.file).path() == kCfDir + "/m4/cfhead.m4");
    bool diagnosed = false;
    for (const auto& d : x->e.diagnostics)
        diagnosed = diagnosed || (d.rule_id == "SM-E105" && d.severity == Severity::High &&
                                  d.where == msg.where);
    CHECK(diagnosed);
}

TEST_CASE("an .mc that calls syscmd itself is recorded at its own line") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string mc = "include(`../m4/cf.m4')dnl\nsyscmd(`id')dnl\n";
    auto x = expand(mc);
    bool in_mc = false;
    for (const auto& loc : x->e.unsafe_builtin_calls)
        in_mc = in_mc || (loc.file == x->mc && loc.span.begin == at(mc, "syscmd"));
    CHECK(in_mc);
    // cfhead.m4's own maketemp/syscmd calls are recorded too, in the cf tree.
    CHECK(x->e.unsafe_builtin_calls.size() >= 3);
}

TEST_CASE(
    "m4's messages from the cf tree's end-of-input checks point at the .mc place behind them") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    // Checked with GNU m4 1.4.19 and the installed tree: m4 prints "No system type defined",
    // "confAUTO_REBUILD is no longer valid" and the deferred-mode warning, all from proto.m4,
    // which cfhead.m4's m4wrap reads after the whole .mc.
    const std::string mc = "divert(-1)\n"
                           "divert(0)dnl\n"
                           "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "define(`confAUTO_REBUILD')dnl\n"
                           "ifdef(`NOT_DEFINED', `',\n"
                           "  `define(`confDELIVERY_MODE', `deferred')')dnl\n"
                           "FEATURE(`access_db')dnl\n"
                           "MAILER(`local')dnl\n";
    auto x = expand(mc);
    const SourceFile& file = x->sources.get(x->mc);
    auto message = [&](const std::string& text) -> const m4::ErrprintMessage& {
        for (const auto& m : x->e.errprints)
            if (m.text.find(text) != std::string::npos) return m;
        FAIL("no message " << text);
        return x->e.errprints.front();
    };
    const auto& ostype = message("No system type defined");
    const auto& rebuild = message("confAUTO_REBUILD is no longer valid");
    const auto& deferred = message("Antispam rules not available in deferred delivery mode");
    for (const auto* m : {&ostype, &rebuild, &deferred}) {
        CHECK(m->where.file == x->mc);
        CHECK(x->sources.get(m->errprint.file).path() == kCfDir + "/m4/proto.m4");
    }
    // No call of the .mc is behind "no OSTYPE": the .mc as a whole, at its cf.m4 include.
    CHECK(file.slice(ostype.where.span) == "include(`/usr/share/sendmail/cf/m4/cf.m4')");
    // proto.m4's ifdef(`confAUTO_REBUILD', `errprint(...)'): the define it tested.
    CHECK(file.slice(rebuild.where.span) == "define(`confAUTO_REBUILD')");
    // ifelse(substr(confDELIVERY_MODE,0,1), `d', `errprint(...)'): the define it read, inside
    // the ifdef branch m4 took.
    CHECK(file.slice(deferred.where.span) == "define(`confDELIVERY_MODE', `deferred')");
    // SM-E105 says the same, with the cf tree's line as a note.
    for (const auto* m : {&ostype, &rebuild, &deferred}) {
        bool diagnosed = false;
        for (const auto& d : x->e.diagnostics)
            if (d.rule_id == "SM-E105" && d.where == m->where)
                diagnosed = diagnosed || (d.notes.size() == 1 && d.notes[0].where == m->errprint);
        CHECK(diagnosed);
    }

    // cf.m4 read first (`m4 ../m4/cf.m4 FILE.mc`), no include: the .mc's first call.
    auto prepended = expand("divert(-1)\ndnl a comment\ndivert(0)dnl\nVERSIONID(`x')\n"
                            "FEATURE(`nocanonify')dnl\n");
    bool found = false;
    for (const auto& m : prepended->e.errprints)
        if (m.text.find("No system type defined") != std::string::npos) {
            found = true;
            CHECK(prepended->sources.get(prepended->mc).slice(m.where.span) == "VERSIONID(`x')");
        }
    CHECK(found);
}

TEST_CASE("a cf tree check that reads a value an included file set points at that include") {
    if (!std::filesystem::exists(kCfDir + "/m4/cf.m4")) return;
    const std::string site = m4test::write_temp("site-rebuild.m4", "define(`confAUTO_REBUILD')\n");
    const std::string mc = "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
                           "OSTYPE(`debian')dnl\n"
                           "include(`" +
                           site +
                           "')dnl\n"
                           "MAILER(`local')dnl\n";
    auto x = expand(mc);
    bool found = false;
    for (const auto& m : x->e.errprints)
        if (m.text.find("confAUTO_REBUILD is no longer valid") != std::string::npos) {
            found = true;
            CHECK(x->sources.get(x->mc).slice(m.where.span) == "include(`" + site + "')");
        }
    CHECK(found);
}
