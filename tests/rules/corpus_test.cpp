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
    // ConnectionRateThrottle=64, SmtpGreetingMessage=$j QASendmail, no MaxMessageSize line.
    // Timeout.connect=1m, ident=0, queuereturn=5d, queuewarn=4h; no Timeout.command or
    // datablock line: 1 hour each, with 500 daemon children (SM-P009, medium). Only the comment
    // #O HostStatusDirectory=.hoststat (SM-P014); ConnectionCacheSize=2, MinQueueAge=2h,
    // MaxQueueRunSize=5000, QueueSortOrder=priority, SuperSafe=True are fine.
    // ConnectionRateThrottle=64, SmtpGreetingMessage=$j QASendmail, no MaxMessageSize line,
    // BadRcptThrottle only in a comment (line 490); line 1191: accept_unresolvable_domains'
    // `R<?> $* < @ $+ >  $: <OKR> $1 < @ $2 >`. No DNS map, greet_pause, RateControl or
    // ConnControl.
    auto run = run_all(kCorpus / "blackbaud-qa__watirmark-email__etc__mail__sendmail.cf");
    // No ratecontrol/conncontrol (SM-P005); cfhead.m4's MinFreeBlocks=100, 400 KiB, on line 189
    // (SM-P030, judged against the 20 GiB queue file system assumed).
    // datablock line: 1 hour each, with 500 daemon children (SM-P009, medium). Line 240: the
    // stock ForwardPath; SafeFileEnvironment only in a comment (line 443).
    // datablock line: 1 hour each, with 500 daemon children (SM-P009, medium).
    // Line 228: HelpFile=/etc/mail/helpfile, no help file read with it (info). Line 284,
    // PrivacyOptions: no noetrn (the MTA socket of line 272 has no M=E), no needmailhelo (EXPN
    // and VRFY are off), no restrictmailq or restrictexpand, none of the DSN flags. Line 605:
    // the stock Received: header, `by $j ($v/$Z)`.
    // Line 272: the MTA on port 25 on all addresses, and every STARTTLS option commented out
    // (SM-S034).
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
    // Line 459: O SmtpGreetingMessage=$j Sendmail $v/$Z; $b; MaxMessageSize, LogLevel=14,
    // ConnectionRateThrottle and PrivacyOptions with novrfy,noexpn are fine. No Timeout.command
    // or datablock line (SM-P009); line 1712: the milter InputMailFilters names has no T=, so
    // sendmail waits 5 minutes to connect to it (SM-P035). No HostStatusDirectory (SM-P014);
    // line 315: O MaxQueueRunSize=20, a queue run reads 20 entries (SM-P019).
    // ConnectionRateThrottle and PrivacyOptions with novrfy,noexpn are fine. BadRcptThrottle only
    // in a comment (line 501); line 1220: accept_unresolvable_domains' rule. Line 149:
    // C{TrustAuthMech} with LOGIN and PLAIN, which AuthMechanisms offers and AuthOptions=A y
    // does not keep inside TLS (no `p`). No DNS map, greet_pause or rate/connection control
    // (the dkim-milter signs, SM-S014 names it).
    auto run = run_all(kCorpus / "nikhils09ece__mail__sendmail.cf");
    // MinFreeBlocks=100 on line 196; no ratecontrol/conncontrol.
    // sendmail waits 5 minutes to connect to it (SM-P035), and no F= (fails open, SM-S060).
    // Line 247: the stock ForwardPath; no SafeFileEnvironment.
    // sendmail waits 5 minutes to connect to it (SM-P035). Line 235: HelpFile, not read (info);
    // line 291, PrivacyOptions=authwarnings,novrfy,noexpn,restrictqrun: no noetrn (neither MTA
    // socket, lines 278-279, has M=E), no needmailhelo, no restrictmailq or restrictexpand, no
    // DSN flags; line 633: the stock Received: header. Timeout.ident=0.
    // line 315: O MaxQueueRunSize=20, a queue run reads 20 entries (SM-P019). Line 547:
    // AuthMechanisms lists LOGIN PLAIN, AuthOptions=A y has no p and no server certificate is set:
    // passwords in clear text on ports 25 and 587 (both on 0.0.0.0).
    // passwords in clear text on ports 25 and 587 (both on 0.0.0.0, line 278 first), where no
    // STARTTLS is offered (SM-S034).
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
