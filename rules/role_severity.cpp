// THE ROLE × SEVERITY MATRIX: the one place where a host's role changes a finding's severity.
//
// For rule authors
// ----------------
// A rule reports at its default severity (Rule::severity) and knows nothing of roles. To make
// its findings weigh differently by role, add ONE row here, in ID order (a test checks the order
// and that every row names a registered rule):
//
//     {"SM-S022", {M, M, M, L, none}},   // columns: mx, relay-hub, submission, client-only, msp
//
// Each cell is the severity a finding at the rule's default severity gets on that role (C, H,
// M, L, I), or `none`: not a finding there, the engine drops it. A finding the rule reports at
// another severity (its own tiers) moves by as many levels as the row moves the default. When
// the severity changes, the engine ends the message with a note ("(low on a client-only host)").
// A rule without a row keeps its severity on every role. The mx cell is the rule's default
// severity (a test checks): the default is the Internet-facing case, which is also what a run
// without any configuration (maps alone, no role) reports. Take the cells from the check's "Sev:"
// line in the KB (sendmail-audit-kb.md §3/§4) and say in a comment why where it is not obvious.
// docs/roles.md shows this table; run test_engine and paste what the failing test prints there.
//
// A rule whose LOGIC (not only its severity) depends on the role reads context.role (never null
// when a configuration is audited; see engine/rule.hpp). How roles are detected:
// src/analyze/role.hpp.
//
// Columns, and what makes them differ (docs/roles.md):
//   mx, relay-hub, submission: a daemon takes connections from other hosts.
//   client-only: every daemon is on loopback. Only local processes connect, and sendmail lets
//     them relay anyway (proto.m4 Relay_ok: 127.0.0.1 and ::1 always RELAY), so relay findings
//     are latent (they bite when a daemon is opened to the network): critical → medium,
//     high or medium → low. A client-only host whose daemon is reachable anyway (a null client
//     on every address) gets the stricter of its cell and the mx cell (severity_on).
//   msp: submit.cf, the mail submission program. It is never a daemon, reads no aliases or
//     access map and hands every message to the MTA, which enforces limits and relay rules.
#include "engine/role_severity.hpp"

namespace smaudit {

namespace {

constexpr std::optional<Severity> C = Severity::Critical, H = Severity::High, M = Severity::Medium,
                                  L = Severity::Low, I = Severity::Info, none = std::nullopt;

// clang-format off
constexpr RoleSeverityRow kTable[] = {
    //            mx relay-hub submission client-only msp
    {"SM-P001", {M, M, M, L, none}}, // local programs wait; msp.m4 sets interactive by design
    {"SM-P002", {M, M, M, L, none}}, // as SM-P003, whose finding it stands for
    {"SM-P003", {M, M, M, L, none}}, // daemon children: the MSP is never a daemon
    {"SM-P004", {L, L, L, none, none}}, // connection bursts come from local programs only
    {"SM-P005", {L, L, L, none, none}}, // per-client limits: no other client reaches the host
    {"SM-P006", {L, L, L, none, none}}, // load limits throttle local programs only
    {"SM-P007", {M, L, L, I, none}}, // IDENT: on loopback port 113 refuses at once; the MSP never listens
    {"SM-P008", {L, L, L, L, none}}, // the MSP never greets; on loopback it delays local mail
    {"SM-P009", {L, L, L, none, none}}, // idle server sessions: only local clients on loopback
    {"SM-P010", {L, L, L, L, none}}, // the MSP talks to the local MTA only, and keeps what fails
    {"SM-P011", {L, L, L, L, none}}, // the MSP connects to the local MTA only
    {"SM-P014", {L, L, L, I, none}}, // a client-only host delivers little mail; the MSP hands all of it to the MTA
    {"SM-P015", {L, L, L, L, none}}, // the MSP delivers to the local MTA only
    {"SM-P016", {L, L, L, L, none}}, // the MSP delivers to the local MTA only
    {"SM-P020", {L, L, L, L, none}}, // the MSP retries the local MTA only
    {"SM-P023", {M, M, M, M, L}}, // the MSP queues mail only while the MTA is unreachable
    {"SM-P024", {M, M, M, L, L}}, // only local programs are refused on a client-only host or by the MSP
    {"SM-P026", {L, L, L, I, none}}, // few clients and recipients on loopback; the MSP runs no checks
    {"SM-P027", {L, L, L, L, none}}, // the MSP reads no aliases
    {"SM-P029", {L, L, L, L, none}}, // the MSP delivers nothing locally
    {"SM-P030", {M, M, M, L, none}}, // the MSP queues only while the MTA is down
    {"SM-P032", {L, L, L, I, none}}, // few connections on loopback; the MSP is no server
    {"SM-S001", {C, C, C, M, none}}, // open relay: latent on loopback
    {"SM-S002", {C, C, C, M, none}}, // deferred mode: an open relay, latent on loopback
    {"SM-S003", {C, C, C, M, none}},
    {"SM-S004", {H, H, H, L, none}},
    {"SM-S005", {H, H, H, L, none}},
    {"SM-S006", {H, H, H, L, none}},
    {"SM-S007", {M, M, M, L, none}},
    {"SM-S008", {H, H, H, L, none}},
    {"SM-S009", {C, C, C, M, none}},
    {"SM-S010", {C, C, C, M, none}},
    {"SM-S011", {M, M, M, L, none}},
    {"SM-S012", {M, M, M, L, none}},
    {"SM-S013", {M, I, I, none, none}}, // an MX's check; internal clients may need it
    {"SM-S014", {L, I, I, none, none}}, // strangers connect to an MX; a hub's and an MSA's clients are known
    {"SM-S015", {L, L, L, none, none}}, // harvesting from local processes gains nothing
    {"SM-S016", {L, L, L, none, none}}, // the routed address must come from another host
    {"SM-S017", {H, H, H, L, none}},
    {"SM-S018", {C, C, C, M, none}}, // AUTH relaying: latent on loopback, like an open relay
    {"SM-S020", {L, L, L, I, none}}, // local users can read the version anyway (STIG still asks)
    {"SM-S021", {M, M, M, L, none}}, // KB: medium (STIG GEN004540 is CAT II, unlike the greeting)
    {"SM-S022", {M, M, M, L, none}}, // KB: medium (mx) / low (client-only)
    {"SM-S023", {M, M, M, L, none}},
    {"SM-S024", {L, L, L, I, L}}, // msp: its Verbose option only (the rule skips VERB there)
    {"SM-S025", {L, L, L, none, none}}, // ETRN from local processes only; the MSP refuses it
    {"SM-S026", {L, L, L, none, none}}, // only local processes connect to a client-only host
    {"SM-S029", {I, I, I, none, none}}, // DSNs go back to remote senders
    {"SM-S031", {L, L, L, none, none}}, // no IDENT worth asking of local clients
    {"SM-S032", {H, H, H, M, none}}, // KB: medium on loopback only; the MSP is never a server
    {"SM-S034", {M, M, M, none, none}}, // KB: medium (mx, submission); loopback needs no TLS
    {"SM-S037", {M, M, M, M, none}}, // every host sends mail out; the MSP only to its MTA
    {"SM-S038", {I, I, I, none, none}}, // certificate relaying matters to clients of the network
                                     // MSP authenticates to the MTA on loopback
    {"SM-S039", {M, M, M, M, none}}, // a client-only host sends to its smart host too; the
    {"SM-S041", {M, M, M, M, none}}, // local deliveries run programs on every role but the MSP
    {"SM-S043", {H, H, H, H, none}}, // the MSP runs no local mailer (P=[IPC])
    {"SM-S044", {C, C, C, H, none}}, // local senders can still overwrite the alias user's files
    {"SM-S045", {M, M, M, L, none}},
    {"SM-S046", {M, M, M, L, none}},
    {"SM-S047", {L, L, L, L, none}},
    {"SM-S049", {L, L, L, L, none}},
    {"SM-S050", {L, L, L, L, none}},
    {"SM-S051", {M, M, M, M, none}}, // STIG GEN004580 on every host; msp.m4 sets it empty
    {"SM-S053", {L, L, L, L, none}}, // the MSP writes no files
    {"SM-S058", {M, M, M, L, none}}, // KB: medium (mx); the MTA enforces the MSP's mail
    {"SM-S059", {L, L, L, I, none}}, // only local programs greet a client-only host
    {"SM-S060", {M, M, M, L, none}}, // filters see only local submissions there
    {"SM-S062", {M, M, M, I, none}}, // smuggling needs a remote sender
    {"SM-S064", {M, M, M, L, none}},
    {"SM-S065", {C, C, C, M, none}}, // open relay proven by the rulesets: latent on loopback
};
// clang-format on

} // namespace

std::span<const RoleSeverityRow> role_severity_table() {
    return kTable;
}

} // namespace smaudit
