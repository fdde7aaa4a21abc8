// The relay probes: the recipient address forms classic relay testers send (plain, quoted local
// part, %-hack, bang path, source route, @ in the local part, IP literal, ...) and the clients they
// come from. The relay analyzer runs them on every audited configuration; the differential test
// against `sendmail -bt` (tests/relay) runs the same ones, so both judge the same probes.
#pragma once

#include "relay/simulate.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smaudit::relay {

// The domain the relay probes try to reach: reserved (RFC 2606), never a local domain.
inline constexpr std::string_view probe_victim_domain = "outside.example";

struct ProbeAddress {
    std::string form; // kebab-case name of the form: "percent-hack", "bang-path", ...
    std::string rcpt; // the RCPT TO argument, "<user%outside.example@mx.example.test>"
    bool relays;      // true: accepting it relays mail off the host; false: a local control
};

// Every form, with `hostname` ($j) as the host the address is sent to. The last two are local
// controls (postmaster here), which every working MTA accepts.
std::vector<ProbeAddress> relay_probe_addresses(std::string_view hostname);

struct ProbeClient {
    std::string name; // "outside-unresolved", "outside-resolved", "relay-network", "loopback"
    Client client;
};

// An outside client without a name (192.0.2.7, ${client_name} "[192.0.2.7]", resolve FAIL) and
// one with a name that resolves (198.51.100.7 = mail.outside.example): the clients an open relay
// serves. The analyzer runs these two.
std::vector<ProbeClient> outside_probe_clients();

// The outside clients plus a host of 10.1.0.0/16 (the network test configurations list as RELAY
// in access) and loopback (127.0.0.1, localhost): the differential test runs all four.
std::vector<ProbeClient> all_probe_clients();

} // namespace smaudit::relay
