// Ground truth for the relay simulator: the real `sendmail -bt` asked what its daemon would answer
// to one SMTP transaction per probe (design.md "Ground truth"). One sendmail process per
// configuration runs every probe, batched on its standard input.
//
// What the daemon does, and how -bt is made to do the same for each probe (srvrsmtp.c, conf.c,
// daemon.c, parseaddr.c of sendmail 8.17):
//   - at connect it sets {client_addr}, {client_name} (the PTR name, or "[addr]" when there is
//     none), {client_ptr} and {client_resolve} (OK, or FAIL for a nameless client), then calls
//     check_relay with "client_name $| client_addr" (through a ruleset the harness adds to its
//     copy of the .cf: -bt reads no "$|" operator in an input line);
//   - MAIL: {addr_type} "e s", setsender()'s parseaddr of the sender (`/tryflags es`, `/parse`:
//     prescan, rulesets canonify and parse, buildaddr), whose $#error or syserr refuses the
//     command before any check; $f the sender as rulesets 3, 1, 4 leave it ("" for <>: a .cf
//     built without _FFR_MAIL_MACRO has delay_checks call check_mail on <$&f>), {mail_from} the
//     MAIL argument (Debian's build has _FFR_MAIL_MACRO, `sendmail -d0.13`), then check_mail
//     with the MAIL argument;
//   - RCPT: {addr_type} "e r", parseaddr of the RCPT argument (`/tryflags er`, `/parse`), which
//     refuses as for the sender, then check_rcpt with the RCPT argument (`sendmail -bs` answers
//     `553 5.1.3 <a@b@host>... Invalid route address` even where check_rcpt would accept);
//   - {deliveryMode} is the configured DeliveryMode's letter (-bt itself always says "i");
//   - class w: the host name, its short form, localhost and [127.0.0.1] (the host name is on the
//     loopback address in the harness's /etc/hosts; interfaces are not probed).
// The first of check_relay, the sender's parse, check_mail, the recipient's parse, check_rcpt
// that refuses decides; the reply is built as buildaddr() builds it (the $: text's SMTP code, its
// enhanced code or the $@ one; text without a code gives "553 5.3.0"; a parse that names no or an
// unknown mailer, no user, or no host for a non-local mailer gives "554 5.3.5 buildaddr: ...");
// an address prescan refuses gives 553 x.0.0; a 4xx code is a temporary failure; $#discard and
// anything else accept.
#pragma once

#include "relay/simulate.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace smaudit::test {

struct BtVerdict {
    relay::Verdict verdict = relay::Verdict::unknown;
    std::string code;  // "550"; empty when accepted
    std::string dsn;   // "5.7.1"; empty when none
    std::string reply; // "550 5.7.1 Relaying denied"; empty when accepted
    // "check_relay", "parse_mail", "check_mail", "parse_rcpt", "check_rcpt"; empty: accepted
    std::string stage;
    bool discarded = false;
    std::string returned; // the deciding ruleset's result as -bt printed it
    // The mailer /parse gave the RCPT argument ("mailer esmtp, host ..."); empty when the
    // transaction ended before it or the parse gave the error mailer.
    std::string rcpt_mailer;
};

struct BtRun {
    std::vector<BtVerdict> verdicts; // one per probe, in order
    std::string error;               // empty when sendmail ran and every answer was read
    std::string stderr_text;         // what sendmail said about the .cf
};

// The /etc/hosts sendmail (and the simulator, as Environment::hosts) sees for `hostname`.
std::string bt_hosts_file(const std::string& hostname);

// Runs `sendmail -C cf -bt` once (in the .cf's directory, host name `hostname`, no DNS) on every
// probe.
BtRun run_sendmail_bt(const std::filesystem::path& cf, const std::string& hostname,
                      const std::vector<relay::Probe>& probes);

// The reply and verdict sendmail makes of a ruleset's `$# error $@ ... $: ...` result (tokens
// as -bt prints them) or of /parse's "mailer *error*, host H, user U" (host, user given).
BtVerdict verdict_of_error(const std::string& host, const std::string& user_text);
BtVerdict verdict_of_result(const std::string& returned);

struct PreparedConfig {
    std::filesystem::path cf; // the .cf to run, in its own directory with its maps and files
    std::string error;        // empty when ready
};

// An .mc variant of tests/relay/configs: `define(MAIL_SETTINGS_DIR, dir/)` put before it, expanded
// by the real m4 into dir/NAME.cf; NAME.access (built with the real `makemap hash`) and
// NAME.relay-domains beside the .mc become dir/access and dir/relay-domains.
PreparedConfig prepare_mc_variant(const std::filesystem::path& mc,
                                  const std::filesystem::path& dir);

// A .cf from elsewhere (the shared corpus): copied into dir with /etc/mail/ replaced by dir/, so
// that it reads no file of this machine.
PreparedConfig prepare_foreign_cf(const std::filesystem::path& cf,
                                  const std::filesystem::path& dir);

} // namespace smaudit::test
