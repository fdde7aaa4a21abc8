// Every rule on real configurations written by others (../shared/corpus/cf, PROVENANCE.tsv).
// The expected findings were worked out by reading the files' option lines by hand.
#include "rule_test_support.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus" / "cf";

struct AllRules {
    SourceSet sources;
    FileId file = kNoFile;
    std::vector<Diagnostic> findings;
    std::set<std::pair<std::string, uint32_t>> found() const {
        std::set<std::pair<std::string, uint32_t>> out;
        for (const Diagnostic& d : findings)
            out.emplace(d.rule_id,
                        d.where.valid() ? sources.get(file).position(d.where.span.begin).line : 0);
        return out;
    }
};

// The corpus is ../shared beside the checkout (CI has it); a checkout without it skips these.
#define SKIP_WITHOUT_CORPUS()                                                                      \
    if (!fs::is_directory(kCorpus)) {                                                              \
        MESSAGE("skipped: no corpus at " << kCorpus.string());                                     \
        return;                                                                                    \
    }

AllRules run_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read ", path.string());
    std::ostringstream text;
    text << in.rdbuf();
    AllRules run;
    run.file = run.sources.add(path.filename().string(), text.str(), FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    ast::CfFile cf = parse_cf(run.sources, run.file, diagnostics);
    model::Config config = model::build_config(run.sources, cf, diagnostics);
    std::vector<const Rule*> rules;
    for (const Rule& rule : all_rules())
        rules.push_back(&rule);
    run_rules(rules, RuleContext{run.sources, config}, run.findings);
    return run;
}

} // namespace

TEST_CASE("a CentOS-style .cf with a custom greeting, limits set, no size limit") {
    SKIP_WITHOUT_CORPUS();
    // LogLevel=9, PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun, MaxDaemonChildren=500,
    // ConnectionRateThrottle=64, SmtpGreetingMessage=$j QASendmail, Timeout.connect=1m, ident=0,
    // queuereturn=5d, queuewarn=4h, ConnectionCacheSize=2, MinQueueAge=2h, MaxQueueRunSize=5000,
    // QueueSortOrder=priority, SuperSafe=True are fine. Findings:
    // - no MaxMessageSize line (SM-S058); BadRcptThrottle only in a comment (line 490, SM-S015);
    // - no Timeout.command or datablock line: 1 hour each, with 500 daemon children (SM-P009);
    // - only the comment #O HostStatusDirectory=.hoststat (SM-P014);
    // - line 1191: accept_unresolvable_domains' `R<?> $* < @ $+ >  $: <OKR> $1 < @ $2 >`
    //   (SM-S013); no DNS map, greet_pause, RateControl or ConnControl (SM-S014, SM-P005);
    // - cfhead.m4's MinFreeBlocks=100, 400 KiB, on line 189 (SM-P030, against the 20 GiB queue
    //   file system assumed);
    // - line 240: the stock ForwardPath (SM-S051); SafeFileEnvironment only in a comment (line
    //   443, SM-S053);
    // - line 228: HelpFile=/etc/mail/helpfile, not read with it (SM-S021, info);
    // - line 284, PrivacyOptions: no noetrn (the MTA socket of line 272 has no M=E, SM-S025), no
    //   needmailhelo (SM-S026), no restrictmailq or restrictexpand (SM-S028), none of the DSN
    //   flags (SM-S029); line 605: the stock Received: header, `by $j ($v/$Z)` (SM-S030);
    // - line 272: the MTA on port 25 on all addresses, every STARTTLS option commented out
    //   (SM-S034).
    auto run = run_all(kCorpus / "blackbaud-qa__watirmark-email__etc__mail__sendmail.cf");
    CHECK(run.found() == std::set<std::pair<std::string, uint32_t>>{{"SM-P005", 0},
                                                                    {"SM-P009", 0},
                                                                    {"SM-P014", 0},
                                                                    {"SM-P030", 189},
                                                                    {"SM-S013", 1191},
                                                                    {"SM-S014", 0},
                                                                    {"SM-S015", 0},
                                                                    {"SM-S021", 228},
                                                                    {"SM-S025", 284},
                                                                    {"SM-S026", 284},
                                                                    {"SM-S028", 284},
                                                                    {"SM-S029", 284},
                                                                    {"SM-S030", 605},
                                                                    {"SM-S034", 272},
                                                                    {"SM-S051", 240},
                                                                    {"SM-S053", 0},
                                                                    {"SM-S058", 0}});
}

TEST_CASE("a .cf that shows the version and sets no MaxDaemonChildren") {
    SKIP_WITHOUT_CORPUS();
    // MaxMessageSize, LogLevel=14, ConnectionRateThrottle and Timeout.ident=0 are fine. Findings:
    // - line 459: O SmtpGreetingMessage=$j Sendmail $v/$Z; $b (SM-S020); no MaxDaemonChildren
    //   (SM-P003);
    // - no Timeout.command or datablock line (SM-P009); no HostStatusDirectory (SM-P014);
    //   line 315: O MaxQueueRunSize=20, a queue run reads 20 entries (SM-P019); MinFreeBlocks=100
    //   on line 196 (SM-P030); no ratecontrol/conncontrol (SM-P005);
    // - line 1712: the milter InputMailFilters names has no T=, so sendmail waits 5 minutes to
    //   connect to it (SM-P035), and no F= (it fails open, SM-S060);
    // - BadRcptThrottle only in a comment (line 501, SM-S015); line 1220:
    //   accept_unresolvable_domains' rule (SM-S013); no DNS map, greet_pause or rate/connection
    //   control (the dkim-milter signs; SM-S014 names it);
    // - line 149: C{TrustAuthMech} with LOGIN and PLAIN, which AuthMechanisms offers and
    //   AuthOptions=A y does not keep inside TLS (SM-S018); line 547: AuthMechanisms lists LOGIN
    //   PLAIN without `p` and no server certificate: passwords in clear text on ports 25 and 587
    //   (SM-S032), where no STARTTLS is offered (line 278, SM-S034);
    // - line 247: the stock ForwardPath (SM-S051); no SafeFileEnvironment (SM-S053);
    // - line 235: HelpFile, not read (SM-S021, info); line 291,
    //   PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun: no noetrn (neither MTA socket,
    //   lines 278-279, has M=E, SM-S025), no needmailhelo (SM-S026), no restrictmailq or
    //   restrictexpand (SM-S028), no DSN flags (SM-S029); line 633: the stock Received: header
    //   (SM-S030).
    auto run = run_all(kCorpus / "nikhils09ece__mail__sendmail.cf");
    CHECK(run.found() ==
          std::set<std::pair<std::string, uint32_t>>{
              {"SM-P003", 0},   {"SM-P005", 0},   {"SM-P009", 0},    {"SM-P014", 0},
              {"SM-P019", 315}, {"SM-P030", 196}, {"SM-P035", 1712}, {"SM-S013", 1220},
              {"SM-S014", 0},   {"SM-S015", 0},   {"SM-S018", 149},  {"SM-S020", 459},
              {"SM-S021", 235}, {"SM-S025", 291}, {"SM-S026", 291},  {"SM-S028", 291},
              {"SM-S029", 291}, {"SM-S030", 633}, {"SM-S032", 547},  {"SM-S034", 278},
              {"SM-S051", 247}, {"SM-S053", 0},   {"SM-S060", 1712}});
}

TEST_CASE("an 8.9-era V8 .cf: EXPN and VRFY open, version shown") {
    SKIP_WITHOUT_CORPUS();
    // Line 263: O PrivacyOptions=authwarnings (EXPN, VRFY, VERB, ETRN on the default daemon, no
    // HELO needed, no restrict* or DSN flags); line 385: the stock greeting; line 218:
    // HelpFile=/usr/lib/sendmail.hf, not read (info); line 450: Received: with ($v/$Z); line 230:
    // the stock ForwardPath; SafeFileEnvironment only in a comment (line 373); line 942: 8.9's
    // accept_unresolvable_domains rule `R<?> $* < @ $+ > $*  $: <OK> $1 < @ $2 > $3`; no
    // connection controls (8.9 had none of the FEATUREs), no BadRcptThrottle. No Timeout.ident
    // line: IDENT queries (the delay SM-P007, what they expose SM-S031); no Timeout.command or
    // datablock (SM-P009); no HostStatusDirectory (SM-P014). Neither MaxDaemonChildren nor
    // ConnectionRateThrottle in background mode: SM-P002 alone (not SM-P003 and SM-P004).
    // MinFreeBlocks=100 on line 179. No DaemonPortOptions and no certificate: sendmail's own
    // daemon on port 25 without STARTTLS (SM-S034).
    auto run = run_all(kCorpus / "jack139__gwebmail__sendmail.cf");
    CHECK(run.found() == std::set<std::pair<std::string, uint32_t>>{
                             {"SM-P002", 0},   {"SM-P005", 0},   {"SM-P007", 0},   {"SM-P009", 0},
                             {"SM-P014", 0},   {"SM-P030", 179}, {"SM-S013", 942}, {"SM-S014", 0},
                             {"SM-S015", 0},   {"SM-S020", 385}, {"SM-S021", 218}, {"SM-S022", 263},
                             {"SM-S023", 263}, {"SM-S024", 263}, {"SM-S025", 263}, {"SM-S026", 263},
                             {"SM-S028", 263}, {"SM-S029", 263}, {"SM-S030", 450}, {"SM-S031", 0},
                             {"SM-S034", 0},   {"SM-S051", 230}, {"SM-S053", 0},   {"SM-S058", 0}});
}

TEST_CASE("submit.cf files (FEATURE msp) get none of the daemon findings") {
    SKIP_WITHOUT_CORPUS();
    // What concerns the submission program itself: line 235, PrivacyOptions=goaway,noetrn,
    // restrictqrun, leaves `mailq -Ac` open to every user; line 581, its Received: header shows
    // `($v/$Z)` (8.15.2/Submit).
    auto run = run_all(kCorpus / "dch__do__etc__mail__submit.cf");
    CHECK(run.found() ==
          std::set<std::pair<std::string, uint32_t>>{{"SM-S028", 235}, {"SM-S030", 581}});
}

TEST_CASE("every corpus file: findings and fixes stay inside the file") {
    SKIP_WITHOUT_CORPUS();
    int files = 0;
    for (const auto& entry : fs::directory_iterator(kCorpus)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        INFO("file ", entry.path().filename().string());
        auto run = run_all(entry.path());
        const auto size = static_cast<uint32_t>(run.sources.get(run.file).text().size());
        for (const Diagnostic& d : run.findings) {
            CHECK(find_rule(d.rule_id) != nullptr);
            CHECK_FALSE(d.message.empty());
            if (d.where.valid()) CHECK(d.where.span.end <= size);
            if (!d.where.valid()) CHECK(d.config_file == run.file);
            if (d.fix)
                for (const Edit& e : d.fix->edits) {
                    CHECK(e.where.file == run.file);
                    CHECK(e.where.span.begin <= e.where.span.end);
                    CHECK(e.where.span.end <= size);
                }
        }
    }
    CHECK(files >= 10);
}
