// `smaudit relay-test CONFIG`: one SMTP transaction (check_relay, check_mail, check_rcpt) run
// through the configuration's own rulesets by the relay simulator (src/relay), docs/relay-test.md.
#pragma once

#include "relay/simulate.hpp"

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace smaudit {

struct RelayTestOptions {
    std::string config;   // .cf or .mc
    std::string hostname; // $j; empty: this machine's name
    std::string client_addr = "192.0.2.7";
    std::string client_name; // empty: none ([addr], {client_resolve} FAIL)
    std::string rcpt = "<victim@example.org>";
    std::string from = "<>";
    std::string auth; // MECH:USER
    std::string hosts_file;
    std::string root;
    std::string cf_dir;
    bool trace = false;
    // `RULESETS ADDRESS` as typed to `sendmail -bt` ("3,0 <u@example.org>"): run those rulesets
    // on the address and print the trace as -bt does, instead of a transaction.
    std::string bt_line;
    std::string format = "terminal";
};

CLI::App* add_relay_test_command(CLI::App& app, RelayTestOptions& options);
// Exit 0 accepted, 1 rejected or tempfail, 2 unreadable input or a verdict that could not be
// reached (a loop).
int run_relay_test(const RelayTestOptions& options);

} // namespace smaudit
