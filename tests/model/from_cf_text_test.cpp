// From .cf text through parse_cf to the model and show_json: Debian's real sendmail.cf, the
// corpus, and folded lines.
#include "model/config.hpp"
#include "model/option_table.hpp"
#include "model/show.hpp"
#include "parse/cf_parser.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace smaudit;
using nlohmann::json;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

struct Parsed {
    SourceSet sources;
    FileId file = kNoFile;
    model::Config config;
    std::vector<Diagnostic> parse_diagnostics;
    std::vector<Diagnostic> model_diagnostics;
};

void parse_into(Parsed& p, const std::string& path, std::string text) {
    p.file = p.sources.add(path, std::move(text), FileKind::Cf);
    ast::CfFile cf = parse_cf(p.sources, p.file, p.parse_diagnostics);
    p.config = model::build_config(p.sources, cf, p.model_diagnostics);
}

// The text of an active O line up to '=' (long form) or its letter (legacy form).
std::string written_name(std::string_view line) {
    if (line.size() > 1 && line[1] != ' ' && line[1] != '\t') return std::string(line.substr(1, 1));
    std::string_view rest = line.substr(1);
    size_t eq = rest.find('=');
    std::string_view name = rest.substr(0, eq);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
        name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\r'))
        name.remove_suffix(1);
    return std::string(name);
}

// Whether show_json lists the O line at `line` under an option the line's name resolves to.
bool listed(const json& options, uint32_t line, const std::string& name) {
    for (const json& entry : options) {
        bool here = entry["line"] == line;
        for (const json& s : entry["settings"])
            here = here || s["line"] == line;
        if (!here) continue;
        std::string canonical = entry["name"];
        if (name.size() == 1) { // legacy letter: the table says which option
            const auto* info = model::option_by_letter(name[0]);
            if (info != nullptr && canonical.rfind(std::string(info->name), 0) == 0) return true;
            continue;
        }
        // Long form: the written name is the canonical one or an abbreviation of it.
        std::string base = name.substr(0, name.find('.'));
        if (model::to_lower(canonical).rfind(model::to_lower(base), 0) == 0) return true;
    }
    return false;
}

// Every physical line starting with 'O' (a plain scan, independent of the parser) must be
// listed in show's options under the option its name resolves to. Returns how many there were.
int check_every_o_line(const Parsed& p, const json& out) {
    const SourceFile& file = p.sources.get(p.file);
    int active = 0;
    for (uint32_t line = 1; line <= file.line_count(); ++line) {
        std::string_view text = file.line_text(line);
        if (text.empty() || text[0] != 'O') continue;
        ++active;
        std::string name = written_name(text);
        CAPTURE(file.path());
        CAPTURE(line);
        CAPTURE(name);
        CHECK(listed(out["options"], line, name));
    }
    return active;
}

std::string run_m4(const std::filesystem::path& cf_dir, const std::string& mc) {
    std::string command = "cd '" + cf_dir.string() + "' && m4 ../m4/cf.m4 '" + mc + "' 2>/dev/null";
    std::string output;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
            output.append(buffer, n);
        pclose(pipe);
    }
    return output;
}

} // namespace

TEST_CASE("Debian's /etc/mail/sendmail.cf: every active O line is in show's options") {
    const std::filesystem::path path = "/etc/mail/sendmail.cf";
    if (!std::filesystem::exists(path)) {
        MESSAGE("no /etc/mail/sendmail.cf here, skipped");
        return;
    }
    Parsed p;
    parse_into(p, path.string(), read_file(path));
    CHECK(p.model_diagnostics.empty());
    json out = model::show_json(p.sources, p.config);

    CHECK(check_every_o_line(p, out) > 20);

    // Facts read off the file by hand (Debian 12, sendmail-cf 8.17.1.9-2+deb12u2).
    CHECK(p.config.version_level == "10");
    const auto* privacy = p.config.option("PrivacyOptions");
    REQUIRE(privacy != nullptr);
    CHECK_FALSE(privacy->is_default);
    CHECK(p.config.privacy_has("authwarnings"));
    CHECK(p.config.privacy_has("needmailhelo"));
    CHECK_FALSE(p.config.privacy_has("novrfy")); // Debian leaves VRFY on
    CHECK(p.config.feature("access_db") != nullptr);
    REQUIRE(p.config.feature("greet_pause") != nullptr);
    CHECK(p.config.feature("greet_pause")->args == std::vector<std::string>{"1000"});
    CHECK(p.config.feature("local") == nullptr);
    CHECK(p.config.option("LogLevel") != nullptr);
    // Debian binds both daemons to the loopback address.
    REQUIRE(p.config.daemons.size() >= 2);
    for (const auto& daemon : p.config.daemons) {
        CHECK_FALSE(daemon.is_default);
        CHECK(daemon.get("Addr") == "127.0.0.1");
    }
    CHECK(p.config.mailers.count("local") == 1);
    CHECK(p.config.ruleset("check_rcpt") != nullptr);
}

TEST_CASE("folded O lines: flag words and port options across the fold") {
    Parsed p;
    parse_into(p, "folded.cf",
               "V10/Berkeley\n"
               "O PrivacyOptions=authwarnings,\n"
               "\tnovrfy,bogusflag\n"
               "O DaemonPortOptions=Name=MTA,\n"
               "  Addr=127.0.0.1\n");
    REQUIRE(p.parse_diagnostics.empty());
    CHECK(p.config.option("PrivacyOptions")->value == "authwarnings,novrfy");
    REQUIRE(p.model_diagnostics.size() == 1);
    CHECK(p.model_diagnostics[0].rule_id == "SM-E052");
    // readcf() keeps the fold's newline in the value, so the value is still the file's bytes
    // and the caret lands on the word itself, on the continuation line.
    const Location where = p.model_diagnostics[0].where;
    CHECK(p.sources.get(p.file).slice(where.span) == "bogusflag");
    CHECK(p.sources.get(p.file).position(where.span.begin).line == 3);
    REQUIRE(p.config.daemons.size() == 1);
    CHECK(p.config.daemons[0].get("Addr") == "127.0.0.1");
    CHECK(p.config.daemons[0].get("Name") == "MTA");
}

// sendmail 8.17.1.9 was run on every corpus file (`sendmail -C FILE -bt`): the only option
// complaint was "jack139__gwebmail__sendmail.cf: line 197: readcf: unknown option name
// AutoRebuildAliases" (an option 8.12 removed). The model must report exactly that.
TEST_CASE("corpus .cf files: the model's diagnostics are the ones sendmail prints") {
    const std::filesystem::path dir = std::string(SMAUDIT_SOURCE_DIR) + "/../shared/corpus/cf";
    if (!std::filesystem::exists(dir)) {
        MESSAGE("no corpus, skipped");
        return;
    }
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        Parsed p;
        parse_into(p, entry.path().string(), read_file(entry.path()));
        json out = model::show_json(p.sources, p.config);
        CAPTURE(entry.path().string());
        CHECK(out["options"].size() > 100); // defaults included
        CHECK_FALSE(p.config.daemons.empty());
        std::vector<std::string> found;
        for (const Diagnostic& d : p.model_diagnostics)
            found.push_back(
                d.rule_id + ":" +
                std::to_string(p.sources.get(p.file).position(d.where.span.begin).line));
        std::vector<std::string> expected;
        if (entry.path().filename() == "jack139__gwebmail__sendmail.cf") expected = {"SM-E050:197"};
        CHECK(found == expected);
        ++files;
    }
    CHECK(files > 5);
}

// Lines as m4 wrote them for FEATURE(`dnsbl', `bl.example.org'), FEATURE(`dnsbl',
// `zen.example.net', `"550 Rejected"') and FEATURE(`greet_pause', `1500') (cf.m4, sendmail-cf
// 8.17.1.9): one banner for both dnsbl calls; the zones and the pause live in the rules.
TEST_CASE("feature arguments recovered from the generated rules") {
    Parsed p;
    parse_into(p, "feat.cf",
               "V10/Berkeley\n"
               "#####  $Id: dnsbl.m4,v 8.34 2013-11-22 20:51:11 ca Exp $  #####\n"
               "#####  $Id: greet_pause.m4,v 1.5 2013-11-22 20:51:11 ca Exp $  #####\n"
               "Kdnsbl host -T<TMP>\n"
               "SBasic_check_relay\n"
               "# DNS based IP address spam list bl.example.org\n"
               "R$*\t\t\t$: $&{client_addr}\n"
               "R$-.$-.$-.$-\t\t$: <?> $(dnsbl $4.$3.$2.$1.bl.example.org. $: OK $)\n"
               "R<?>OK\t\t\t$: OKSOFAR\n"
               "# DNS based IP address spam list zen.example.net\n"
               "R$*\t\t\t$: $&{client_addr}\n"
               "R$-.$-.$-.$-\t\t$: <?> $(dnsbl $4.$3.$2.$1.zen.example.net. $: OK $)\n"
               "Sgreet_pause\n"
               "R$*\t\t\t$: <$1><?> $| $>\"Local_greet_pause\" $1\n"
               "R<?> <$*>\t\t$# 1500\n");
    REQUIRE(p.parse_diagnostics.empty());
    const auto& features = p.config.features;
    REQUIRE(features.size() == 3);
    CHECK(features[0].name == "dnsbl");
    CHECK(features[0].args == std::vector<std::string>{"bl.example.org"});
    CHECK(p.sources.get(p.file).position(features[0].where.span.begin).line == 2);
    CHECK(features[1].name == "dnsbl");
    CHECK(features[1].args == std::vector<std::string>{"zen.example.net"});
    CHECK(p.sources.get(p.file).position(features[1].where.span.begin).line == 12);
    CHECK(features[2].name == "greet_pause");
    CHECK(features[2].args == std::vector<std::string>{"1500"});
}

// sendmail's own example .mc files, expanded by m4 exactly as a server would
// (`cd cf/cf && m4 ../m4/cf.m4 X.mc`). sendmail 8.17.1.9 -bt printed no option complaint for
// any of the 33 results, so the model must not either, and show must list every O line.
TEST_CASE("m4-expanded sendmail example .mc files") {
    const std::filesystem::path cf_dir = "/usr/share/sendmail/cf/cf";
    if (!std::filesystem::exists(cf_dir) || std::system("command -v m4 >/dev/null 2>&1") != 0) {
        MESSAGE("no m4 or sendmail-cf here, skipped");
        return;
    }
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cf_dir)) {
        if (entry.path().extension() != ".mc") continue;
        std::string text = run_m4(cf_dir, entry.path().filename().string());
        if (text.empty()) continue;
        Parsed p;
        parse_into(p, entry.path().filename().string(), std::move(text));
        CAPTURE(entry.path().filename().string());
        CHECK(p.model_diagnostics.empty());
        check_every_o_line(p, model::show_json(p.sources, p.config));
        // proto.m4 always writes HelpFile (KB 1.4), so it is never the binary default here.
        const auto* help = p.config.option("HelpFile");
        REQUIRE(help != nullptr);
        CHECK_FALSE(help->is_default);
        ++files;
    }
    CHECK(files >= 30);
}
