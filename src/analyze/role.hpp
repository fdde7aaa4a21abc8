// The role of the host a configuration runs on (KB §0.1, Appendix D item 5): what the
// configuration is for decides how much a finding matters. EXPN on an Internet MX tells anyone
// who the users are; on a host whose daemons listen on loopback only, just the local users, who
// can read the aliases file anyway.
//
// Detection reads the effective configuration, never guesses from comments; the first of these
// that holds decides (docs/roles.md lists them with examples):
//   msp         FEATURE(`msp') (in a .cf: its banner), or the file is submit.cf / submit.mc
//               (FreeBSD: <host>.submit.cf): the mail submission program, never a daemon.
//   client-only FEATURE(`nullclient') (which hands all mail to a hub), or no daemon is
//               reachable from off the host: every DaemonPortOptions socket has an Addr on
//               loopback (127.0.0.0/8, ::1, localhost) or is a local socket. A null client whose
//               daemon is reachable is client-only AND exposed (engine/role_severity.hpp).
//   submission  every daemon reachable from off the host takes submissions only: port 587 or
//               465, or `M=a` (AUTH required for every transaction).
//   relay-hub   a daemon takes SMTP from off the host, the configuration relays for other hosts
//               by address (class R / relay-domains IP entries, access Connect:<ip or host>
//               RELAY) and hands mail on to another host (SMART_HOST or MAIL_HUB).
//   mx          otherwise: a daemon takes SMTP from off the host (sendmail's own default
//               daemon, without any DaemonPortOptions, listens on port 25 on every address).
#pragma once

#include "model/config.hpp"
#include "model/map_set.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace smaudit::model {

enum class Role { Mx, RelayHub, Submission, ClientOnly, Msp };
inline constexpr std::array<Role, 5> kRoles = {Role::Mx, Role::RelayHub, Role::Submission,
                                               Role::ClientOnly, Role::Msp};

// "mx", "relay-hub", "submission", "client-only", "msp".
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view name);
// How a note names a host of the role: "an MX", "a relay hub", "a submission server",
// "a client-only host", "the mail submission program".
std::string_view describe(Role role);

struct HostRole {
    Role role = Role::Mx;
    bool given = false; // from --role; false: detected
    // Why: for a detected role, what decided it ("every daemon listens on 127.0.0.1"); for a
    // given one, what detection would have said, for the reader to compare.
    std::string why;
    // A daemon is reachable from off the host (a socket without Addr, or with one that is not
    // loopback). Never for the submission program, which sendmail does not run as a daemon.
    // Detected roles agree with it except a null client's (client-only, and maybe exposed).
    bool exposed = false;
    Role detected = Role::Mx; // what detection found (== role unless given)
};

// Detects the role of `config`: its daemons, features, classes and macros, the name of the
// file it was built from, and the maps audited beside it (`maps` may be null).
HostRole detect_role(const SourceSet& sources, const Config& config, const MapSet* maps);

// The role --role gives for a configuration whose detected role is `detected`. The submission
// program's configuration stays msp whatever the host's role (its why says so), unless the role
// given is msp.
HostRole given_role(Role role, HostRole detected);

// What the role detection reads of one DaemonPortOptions socket, shared with the rules about
// listening sockets (SM-S032..S040).
//
// The port it listens on: daemon.c takes a number or a service name, "smtp" without Port; -1
// for a service name this table does not know (treated as an SMTP port).
int port_number(const PortOptions& daemon);
// Family=local (or unix): a socket in the file system, reachable from the host only.
bool is_local_socket(const PortOptions& daemon);
// All addresses: no Addr, or the wildcard address written out (0.0.0.0, ::, INADDR_ANY).
bool is_any_address(const std::optional<std::string>& addr);
// Reachable from other hosts: not a local socket, and an Addr that is not loopback.
bool reachable_off_host(const PortOptions& daemon);
// Whether its M= modifiers include `modifier` (daemon.c getmodifiers(): every printable
// character is one modifier, case matters: `a` requires AUTH, `A` offers none).
bool has_modifier(const PortOptions& daemon, char modifier);
// Takes submissions only: port 587 or 465, or AUTH required (M=a).
bool takes_submissions_only(const PortOptions& daemon);
// "sendmail's default daemon", "daemon MTA", "a daemon" (no Name).
std::string daemon_name(const PortOptions& daemon);
// "daemon MTA on port 25 on all addresses", "daemon MSA on port 587 at 192.0.2.1".
std::string describe_daemon(const PortOptions& daemon);

// Whether a daemon's Addr is on the host only: 127.0.0.0/8, ::1 (and its long and
// IPv4-mapped forms), localhost.
bool is_loopback_address(std::string_view addr);

} // namespace smaudit::model
