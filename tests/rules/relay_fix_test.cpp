// The fixes of the relay FEATURE rules (SM-S001, SM-S004, SM-S005, SM-S006, SM-S008, SM-S064)
// checked with the real tools: for an .mc with the FEATURE (on the stock Linux .mc, with
// access_db), and for the .cf real m4 writes of it, every fix of the rule is applied at once
// (the fix-all harness: m4 expands the fixed .mc, sendmail reads the fixed .cf without new
// complaints, a second audit no longer reports it). Then the fixed .mc is the .mc without the
// FEATURE line, the fixed .cf holds the rules m4 writes without the FEATURE (comments and blank
// lines aside), and sendmail's own ruleset engine (`sendmail -bt`) refuses the relay that the
// unfixed configuration accepted.
#include "../support/temp_dir.hpp"
#include "apply_all_fixes.hpp"

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// The rules a .cf holds: every line but comments and blank ones.
std::string rules_only(const std::string& cf) {
    std::istringstream in(cf);
    std::string out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') out += line + "\n";
    return out;
}

// A relay probe: a client not on this host sends RCPT TO (after MAIL FROM `sender`).
struct Probe {
    std::string client = "192.0.2.7";
    std::string recipient = "victim@example.org";
    std::string sender;
};

// "relays" or "refuses": what check_rcpt of the .cf answers the probe (design.md's recipe;
// rscheck() refuses on `$# error` and `$# discard` only). Empty when sendmail said nothing.
std::string verdict(const fs::path& cf, const Probe& probe) {
    const fs::path input = cf.string() + ".probe";
    write_text(input, ".D{client_addr}" + probe.client + "\n" +
                          (probe.sender.empty() ? "" : ".Df" + probe.sender + "\n") +
                          "check_rcpt <" + probe.recipient + ">\n");
    CommandResult r =
        run_command("cd '" + cf.parent_path().string() + "' && " + test::sendmail_shell_prefix() +
                    "hostname mx.example.test; exec sendmail -C \"" + cf.filename().string() +
                    "\" -O ServiceSwitchFile=/etc/mail/service.switch-nodns -O "
                    "DontProbeInterfaces=true -O DontBlameSendmail=MapInUnsafeDirPath -bt' <'" +
                    input.string() + "' 2>&1");
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("check_rcpt") || line.find("returns:") == std::string::npos) continue;
        bool refused = line.find("$# error") != std::string::npos ||
                       line.find("$# discard") != std::string::npos;
        return refused ? "refuses" : "relays";
    }
    return {};
}

struct Case {
    std::string name;
    std::vector<std::string> rules;    // the rules whose fixes are applied
    std::vector<std::string> features; // FEATURE lines the fixes take out
    std::optional<Probe> probe;        // none: sendmail -bt cannot tell here (MX look-ups)
    bool cf_fixable = true;
};

class Stock {
  public:
    Stock() {
        write_text(dir_.path / "aliases", "root: root\n");
        write_text(dir_.path / "access", "From:friend@example.org\tRELAY\n");
        run_command("makemap hash '" + (dir_.path / "access").string() + "' < '" +
                    (dir_.path / "access").string() + "' 2>/dev/null");
    }
    // The stock .mc with FEATURE lines before its MAILERs. It relays to one partner domain,
    // through which loose_relay_check lets a %-hack address through (cf/README).
    std::string mc(const std::vector<std::string>& features) const {
        std::string text = "OSTYPE(`linux')dnl\n"
                           "define(`ALIAS_FILE', `" +
                           (dir_.path / "aliases").string() +
                           "')dnl\n"
                           "FEATURE(`access_db', `hash -T<TMPF> -o " +
                           (dir_.path / "access").string() +
                           "')dnl\n"
                           "RELAY_DOMAIN(`partner.example.net')dnl\n";
        for (const std::string& feature : features)
            text += "FEATURE(`" + feature + "')dnl\n";
        return text + "MAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    }
    fs::path write(const std::string& name, const std::string& text) const {
        fs::path path = dir_.path / name;
        write_text(path, text);
        return path;
    }
    const fs::path& dir() const { return dir_.path; }

  private:
    TempDir dir_{"smaudit-relay-fix"};
};

} // namespace

TEST_CASE("relay FEATURE fixes: m4 and sendmail -bt agree that relaying is refused after them") {
    if (!test::fix_all_tools_available()) return;
    const bool sendmail = test::fix_all_detail::sendmail_available();
    if (!sendmail) MESSAGE("sendmail -bt not run: no sendmail or no unshare");
    Stock stock;
    const std::vector<Case> cases = {
        {"promiscuous", {"SM-S001"}, {"promiscuous_relay"}, Probe{}, false},
        {"entire-domain",
         {"SM-S004"},
         {"relay_entire_domain"},
         Probe{"192.0.2.7", "victim@other.example.test", ""}},
        {"based-on-mx", {"SM-S005"}, {"relay_based_on_MX"}, std::nullopt},
        {"local-from",
         {"SM-S006"},
         {"relay_local_from"},
         Probe{"192.0.2.7", "victim@example.org", "probe@mx.example.test"}},
        {"mail-from",
         {"SM-S064"},
         {"relay_mail_from"},
         Probe{"192.0.2.7", "victim@example.org", "friend@example.org"}},
        {"loose-relay-check",
         {"SM-S008"},
         {"loose_relay_check"},
         Probe{"192.0.2.7", "victim%example.org@partner.example.net", ""}},
        // m4 writes the rules that read the sender once for both: each fix keeps them while the
        // other FEATURE's rules are there, so together they leave those two rules, which then
        // feed nothing.
        {"local-and-mail-from",
         {"SM-S006", "SM-S064"},
         {"relay_local_from", "relay_mail_from"},
         Probe{"192.0.2.7", "victim@example.org", "friend@example.org"}},
        {"all-but-promiscuous",
         {"SM-S004", "SM-S005", "SM-S008"},
         {"relay_entire_domain", "relay_based_on_MX", "loose_relay_check"},
         Probe{"192.0.2.7", "victim%example.org@partner.example.net", ""}},
    };
    const std::string stock_mc = stock.mc({});
    const std::string stock_cf =
        test::fix_all_detail::real_m4(stock.write("stock.mc", stock_mc)).cf;
    REQUIRE(stock_cf.find("SBasic_check_rcpt") != std::string::npos);
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const fs::path mc = stock.write(c.name + ".mc", stock.mc(c.features));
        const std::string cf_text = test::fix_all_detail::real_m4(mc).cf;
        const fs::path cf = stock.write(c.name + ".cf", cf_text);
        if (sendmail && c.probe) {
            REQUIRE(verdict(stock.write("stock.cf", stock_cf), *c.probe) == "refuses");
            REQUIRE(verdict(cf, *c.probe) == "relays");
        }

        // The .mc: the FEATURE lines go, and nothing else changes.
        test::FixAllOutcome mc_fixed = test::apply_all_fixes(mc, FileKind::Mc, c.rules);
        CHECK_MESSAGE(mc_fixed.clean(), mc_fixed.explain());
        CHECK(mc_fixed.applied.size() == c.rules.size());
        CHECK(mc_fixed.fixed == stock_mc);
        if (sendmail && c.probe)
            CHECK(verdict(stock.write(c.name + "-mc-fixed.cf", mc_fixed.fixed_cf), *c.probe) ==
                  "refuses");

        // The .cf m4 wrote: the FEATURE's rules go, as m4 writes the .cf without it.
        test::FixAllOutcome cf_fixed = test::apply_all_fixes(cf, FileKind::Cf, c.rules);
        CHECK_MESSAGE(cf_fixed.clean(), cf_fixed.explain());
        if (!c.cf_fixable) {
            CHECK(cf_fixed.applied.empty());
            continue;
        }
        CHECK(cf_fixed.applied.size() == c.rules.size());
        if (c.name == "local-and-mail-from") {
            // The two rules that read the sender stay (see above); without them, m4's .cf.
            std::string fixed = rules_only(cf_fixed.fixed);
            for (std::string_view reading :
                 {"R$*\t\t\t$: <?> $>CanonAddr $&f\n",
                  "R<?> $+ < @ $+ . >\t<?> $1 < @ $2 >\t\tremove trailing dot\n"}) {
                size_t at = fixed.find(reading);
                REQUIRE(at != std::string::npos);
                fixed.erase(at, reading.size());
            }
            CHECK(fixed == rules_only(stock_cf));
        } else {
            CHECK(rules_only(cf_fixed.fixed) == rules_only(stock_cf));
        }
        if (sendmail && c.probe)
            CHECK(verdict(stock.write(c.name + "-fixed.cf", cf_fixed.fixed), *c.probe) ==
                  "refuses");
    }
}
