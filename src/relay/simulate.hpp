// Sendmail's rewriting engine run over the effective configuration, statically and safely: the
// rulesets a daemon calls for one SMTP transaction (check_relay, the parse of each address
// through rulesets 3 and 0, check_mail, check_rcpt) are interpreted as `sendmail -bt` interprets
// them, with the macros the daemon sets for the session. Nothing is ever executed or contacted:
// maps that need the network or a program (dns, ldap, program, socket, bestmx, nis, ...) answer
// "unavailable" and the outcome says a verdict depended on one. This header is the API shared with
// the relay analyzer and the sendmail -bt harness: keep it stable.
#pragma once

#include "model/config.hpp"
#include "source/source.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::relay {

enum class Verdict { accepted, rejected, tempfail, unknown };
std::string_view to_string(Verdict verdict); // "accepted", "rejected", "tempfail", "unknown"

struct Client {
    std::string addr; // ${client_addr}: "192.0.2.7", "IPv6:2001:db8::1", "127.0.0.1"
    std::string name; // ${client_name}; empty: "[addr]" as sendmail sets it for a nameless client
    bool name_resolves = true; // ${client_resolve} OK (true) or FAIL (false)
    // Overrides name_resolves when set: "OK", "FAIL", "FORGED" or "TEMP".
    std::string resolve;
};

struct Probe {
    Client client;
    std::string mail_from = "<>"; // the MAIL FROM argument, "<user@example.org>" or "<>"
    std::string rcpt;             // the RCPT TO argument, "<victim@example.org>"
    std::string auth;             // "MECH:USER" when the client authenticated, else empty
};

// One ruleset call as `sendmail -bt` prints it ("rewrite: ruleset  3   input: a < @ b >" and
// "rewrite: ruleset  3 returns: ..."); depth 0 for the rulesets the daemon calls itself.
struct Step {
    std::string ruleset; // the name as -bt prints it: "3", "check_rcpt", "Basic_check_rcpt"
    int number = -1;     // the ruleset number -bt prints
    std::string input;   // tokens joined by one blank, as -bt prints them
    std::string output;  // idem; empty until the call returns
    int depth = 0;
    // Not a call: a diagnostic sendmail prints at this point of the trace ("Infinite loop in
    // ruleset X, rule N"); ruleset, input and output are then empty.
    std::string message;
    bool returned = true; // false: the call failed before running (recursion limit)
};

// The trace as `sendmail -bt` prints it: "NAME   input: ..." and "NAME returns: ..." lines
// (the name in 16 columns), nested calls between, diagnostics where they happened.
std::vector<std::string> format_trace(const std::vector<Step>& trace);

// Where a verdict came from.
struct DecidingRule {
    std::string ruleset; // "Basic_check_rcpt"
    size_t index = 0;    // 0-based rule index in that ruleset
    Location where;      // the R line (in an .mc config: the .mc place behind it, or invalid)
};

struct Outcome {
    Verdict verdict = Verdict::unknown;
    std::optional<std::string> reply; // "550 5.7.1 <victim@example.org>... Relaying denied"
    // The daemon's step that decided: "check_relay", "parse_mail", "check_mail", "parse_rcpt"
    // (the parse of the MAIL FROM / RCPT TO argument) or "check_rcpt".
    std::string deciding_ruleset;
    std::optional<DecidingRule> rule;          // the rule whose $# decided; nullopt when none did
    bool used_unavailable_map = false;         // depended on dns/program/ldap/... (never contacted)
    std::vector<std::string> unavailable_maps; // the names of those maps, each once
    bool loop = false;                         // a recursion or iteration limit was hit
    // The mailer the RCPT TO argument's parse resolved to ({rcpt_mailer}: "esmtp", "relay",
    // "local", ...); empty when the parse did not get that far or ruleset 0 gave no `$#`.
    std::string rcpt_mailer;
    // That mailer has the local flag `l` and no ruleset 5 (localaddr) can send the user on
    // elsewhere (the mailer lacks flag 5, or the configuration has no ruleset 5 rules): sendmail
    // delivers on this host, nothing is relayed.
    bool rcpt_local = false;
    std::vector<std::string> notes; // diagnostics in words (loops, missing files)
    std::vector<Step> trace;
};

struct Environment {
    std::string hostname;                     // $j and $w's source (the FQDN); empty: the machine's
    std::string root;                         // F/K files are read under this root ("" = "/")
    std::map<std::string, std::string> hosts; // `$[ name $]` and host map: name -> canonical
    // Extra macros set before the session (name without braces -> value), e.g. {daemon_flags}.
    std::map<std::string, std::string> macros;
    // The machine's interface addresses: class w holds "[addr]" for each (sendmail adds them).
    // Empty: 127.0.0.1 only.
    std::vector<std::string> interface_addrs;
    // Where an absolute path named by the configuration (F and K files) is on this machine, or
    // nullopt when it is not there (the app passes its --root resolver, which never leaves the
    // root). Empty: `root` + path.
    std::function<std::optional<std::string>(std::string_view path)> locate;
};

// A prepared interpreter: classes and maps are read once, then any number of probes run.
class Simulator {
  public:
    Simulator(const model::Config& config, Environment env);
    ~Simulator();
    Simulator(Simulator&&) noexcept;
    Simulator& operator=(Simulator&&) noexcept;

    // The SMTP transaction as the daemon runs it: check_relay; the parse of the MAIL FROM
    // argument (prescan, rulesets 3 and 0, buildaddr), check_mail; the parse of the RCPT TO
    // argument, check_rcpt. Stops at the first that refuses (a 5xx or 4xx reply).
    Outcome run(const Probe& probe) const;

    // Whether a run records its trace. Printing every ruleset call's input and output is most
    // of a probe's cost; a caller that reads the trace of few probes runs them all with
    // Trace::skipped and runs those few again (the outcome is the same, trace aside).
    enum class Trace { recorded, skipped };

    // run() for each of `rcpts` in turn as the probe's recipient, in order: check_relay, the
    // sender's parse and check_mail run once, and each recipient goes on from their state (the
    // outcomes are those of one run() per recipient; with Trace::skipped, their traces empty).
    std::vector<Outcome> run_recipients(const Probe& probe, const std::vector<std::string>& rcpts,
                                        Trace trace = Trace::recorded) const;

    // `sendmail -bt` style: runs the comma-separated rulesets ("3,0", "check_rcpt") on `input`
    // with the macros of the probe's session set, and gives the final tokens joined by blanks in
    // `Outcome::reply` (verdict unknown) plus the trace.
    Outcome rewrite(std::string_view rulesets, std::string_view input, const Probe& probe) const;

    // Problems found while preparing (unreadable class files, unknown map types), in words.
    const std::vector<std::string>& notes() const;

    struct Impl; // the prepared rulesets, classes, macros and maps

  private:
    std::unique_ptr<Impl> impl_;
};

// One probe on a configuration (prepares a Simulator for it).
Outcome simulate(const model::Config& config, const Environment& env, const Probe& probe);

} // namespace smaudit::relay
