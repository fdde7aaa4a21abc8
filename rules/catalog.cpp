// The check catalog (see catalog.hpp). A new rule that implements an entry changes that entry's
// row: status Implemented, its ID in `rules`, and `note` only for what it leaves out. Then
// regenerate docs/rules/index.md (rules/README.md).
#include "rules/catalog.hpp"

#include <algorithm>

namespace smaudit {

std::string_view to_string(CatalogStatus status) {
    switch (status) {
    case CatalogStatus::Implemented:
        return "implemented";
    case CatalogStatus::Planned:
        return "planned";
    case CatalogStatus::NeedsLiveTree:
        return "needs-live-tree";
    case CatalogStatus::Undecidable:
        return "undecidable";
    }
    return "planned";
}

const std::vector<CatalogEntry>& catalog() {
    using enum CatalogStatus;
    // id, title and severity as in Appendix E; status; rules; note.
    static const std::vector<CatalogEntry> entries = {
        {"CFG-001", "`#`-commented macro in .mc is active", "high", Implemented, {"SM-C001"}, ""},
        {"CFG-002", "FEATURE/define ordering errors", "medium", Implemented, {"SM-C002"}, ""},
        {"CFG-003",
         ".mc/.cf/.db out of sync",
         "medium",
         Implemented,
         {"SM-C006"},
         "the .cf is compared with what the .mc beside it generates; a map source newer than "
         "its .db needs the live tree (modification times). SM-C003 is another check "
         "(unquoted-comma-list)"},
        {"SEC-001", "promiscuous_relay", "critical", Implemented, {"SM-S001"}, ""},
        {"SEC-002",
         "DeliveryMode=deferred bypasses check_rcpt",
         "critical",
         Implemented,
         {"SM-S002"},
         ""},
        {"SEC-003", ".cf without relay-control rulesets", "critical", Implemented, {"SM-S003"}, ""},
        {"SEC-004",
         "relay_entire_domain",
         "high/critical",
         Implemented,
         {"SM-S004"},
         "reported at high; the KB's critical case, a host named after its domain or a public "
         "suffix, is not told apart yet"},
        {"SEC-005", "relay_based_on_MX", "high", Implemented, {"SM-S005"}, ""},
        {"SEC-006", "relay_local_from", "high", Implemented, {"SM-S006"}, ""},
        {"SEC-007",
         "relay_mail_from / From: RELAY",
         "medium/high",
         Implemented,
         {"SM-S007", "SM-S064"},
         ""},
        {"SEC-008", "loose_relay_check", "high", Implemented, {"SM-S008"}, ""},
        {"SEC-009",
         "Over-broad RELAY access keys",
         "critical–medium",
         Implemented,
         {"SM-S009"},
         ""},
        {"SEC-010", "Over-broad class R", "critical–medium", Implemented, {"SM-S010"}, ""},
        {"SEC-011", "Access keys that never match", "medium/low", Implemented, {"SM-S011"}, ""},
        {"SEC-012",
         "Sender OK/RELAY bypasses DNSBL with delay_checks",
         "medium",
         Implemented,
         {"SM-S012"},
         ""},
        {"SEC-013",
         "accept_unresolvable_domains / unqualified senders",
         "medium",
         Implemented,
         {"SM-S013"},
         ""},
        {"SEC-014", "No DNSBL/greet_pause/rate controls on MX", "low", Planned, {}, ""},
        {"SEC-015", "BadRcptThrottle unset", "low", Implemented, {"SM-S015"}, ""},
        {"SEC-016",
         "%-hack / bang handling vs relay hubs",
         "low",
         Implemented,
         {"SM-S016"},
         "whether the hub routes on % or ! and relays for this host is in the hub's configuration, "
         "not in these files: the finding names the hub to check"},
        {"SEC-017", "Certificate-based relaying too broad", "high", Implemented, {"SM-S017"}, ""},
        {"SEC-018",
         "TRUST_AUTH_MECH with ANONYMOUS/PLAIN",
         "critical/high",
         Implemented,
         {"SM-S018"},
         ""},
        {"SEC-020", "Greeting reveals version", "low", Implemented, {"SM-S020"}, ""},
        {"SEC-021",
         "HELP reveals version",
         "medium",
         Planned,
         {},
         "the help file's smtp topic and #vers line can be read when the file sits beside the "
         "audited configuration; one elsewhere needs the live tree"},
        {"SEC-022", "EXPN enabled", "medium/low", Implemented, {"SM-S022"}, ""},
        {"SEC-023", "VRFY enabled", "medium/low", Implemented, {"SM-S023"}, ""},
        {"SEC-024", "VERB allowed / Verbose in cf", "low", Planned, {}, ""},
        {"SEC-025", "ETRN allowed", "low", Planned, {}, ""},
        {"SEC-026", "needmailhelo missing", "info/low", Planned, {}, ""},
        {"SEC-027", "authwarnings missing", "low", Planned, {}, ""},
        {"SEC-028", "restrictmailq/qrun/expand missing", "low", Planned, {}, ""},
        {"SEC-029", "DSN privacy flags", "info", Planned, {}, ""},
        {"SEC-030", "Received header version", "info", Planned, {}, ""},
        {"SEC-031", "IDENT queries", "low", Planned, {}, ""},
        {"SEC-032",
         "Plaintext AUTH without TLS",
         "high",
         Planned,
         {},
         "when AuthMechanisms is unset, whether the PLAIN/LOGIN SASL plugins are installed is a "
         "fact of the host, not of the files"},
        {"SEC-033", "AUTH required on port 25 / MSA without AUTH", "medium/info", Planned, {}, ""},
        {"SEC-034", "STARTTLS not configured", "medium", Planned, {}, ""},
        {"SEC-035",
         "TLS key/cert file safety",
         "high/medium",
         NeedsLiveTree,
         {},
         "the key and certificate files' owner and mode; the DontBlameSendmail flags that relax "
         "sendmail's own key checks (GroupReadableKeyFile, CertOwner, InsufficientEntropy) are "
         "reported by SM-S052"},
        {"SEC-036", "Weak TLS parameters", "medium/high", Planned, {}, ""},
        {"SEC-037", "TLS downgrade allowed", "medium", Planned, {}, ""},
        {"SEC-038", "Client-cert verification disabled", "info/low", Planned, {}, ""},
        {"SEC-039",
         "Outgoing AUTH credentials exposure",
         "high/medium",
         Planned,
         {},
         "AuthInfo: entries, DefaultAuthInfo, the DontBlameSendmail flags and cleartext AUTH to a "
         "smart host are in the files; whether access.db or authinfo is readable by others needs "
         "the live tree"},
        {"SEC-040", "Listening on all interfaces (non-mail host)", "medium", Planned, {}, ""},
        {"SEC-041", "Prog mailer without smrsh", "medium", Planned, {}, ""},
        {"SEC-042",
         "Dangerous programs in smrsh dir",
         "high",
         NeedsLiveTree,
         {},
         "the programs in the smrsh directory, and their owners and modes"},
        {"SEC-043", "Mailers running as root", "high", Planned, {}, ""},
        {"SEC-044", "decode/uudecode alias", "critical", Implemented, {"SM-S044"}, ""},
        {"SEC-045",
         "Program targets in aliases",
         "medium",
         Implemented,
         {"SM-S045"},
         "the program's owner and mode, and its presence in the smrsh directory, need the live "
         "tree"},
        {"SEC-046", "File targets in aliases", "medium/high", Implemented, {"SM-S046"}, ""},
        {"SEC-047",
         ":include: file safety",
         "medium",
         Implemented,
         {"SM-S047"},
         "the owner and mode of the :include: file and of its directories need the live tree"},
        {"SEC-048",
         "Aliases file/db ownership & mode",
         "high–low",
         NeedsLiveTree,
         {},
         "owner, group and mode of the alias file and its database; the DontBlameSendmail flags "
         "that allow unsafe alias files are reported by SM-S052"},
        {"SEC-049", "Required aliases missing", "low", Implemented, {"SM-S049"}, ""},
        {"SEC-050", "Aliases syntax pitfalls", "low", Implemented, {"SM-S050"}, ""},
        {"SEC-051",
         ".forward enabled",
         "medium",
         Planned,
         {},
         "ForwardPath is in the files; forward directories writable by others need the live tree"},
        {"SEC-052", "DontBlameSendmail relaxations", "critical–info", Implemented, {"SM-S052"}, ""},
        {"SEC-053", "SafeFileEnvironment unset", "low", Planned, {}, ""},
        {"SEC-054",
         "RunAsUser/TrustedUser/trusted users",
         "info–medium",
         Planned,
         {},
         "RunAsUser and class t are in the files; whether TrustedUser is an interactive account "
         "needs the host's passwd database"},
        {"SEC-055", "Queue/temp file modes; UseMSP on MTA", "high/medium", Planned, {}, ""},
        {"SEC-056",
         "Critical file/dir permissions",
         "critical–medium",
         NeedsLiveTree,
         {},
         "owner and mode of sendmail.cf, the queue directories, /etc/mail, the maps, the pid and "
         "statistics files"},
        {"SEC-057",
         "LogLevel too low / debug",
         "low/info",
         Implemented,
         {"SM-S057"},
         "LogLevel below 9 only; the info cases (14 and more, 64 and more) and the mail logs' "
         "owner and mode (a live-tree check) are not covered"},
        {"SEC-058",
         "Unlimited size/recipients/headers",
         "medium/low",
         Implemented,
         {"SM-S058"},
         "MaxMessageSize only; MaxRecipientsPerMessage, MaxHeadersLength and MaxMimeHeaderLength "
         "are not checked yet"},
        {"SEC-059", "AllowBogusHELO", "low", Planned, {}, ""},
        {"SEC-060", "Milter fail-open / not wired", "medium", Planned, {}, ""},
        {"SEC-061",
         "Misc privacy/integrity options, legacy WIZ/DEBUG",
         "low/info",
         Planned,
         {},
         "the options are in the files; whether the WIZ/DEBUG SMTP commands exist depends on the "
         "binary (built with SMTPDEBUG), not on the files"},
        {"SEC-062",
         "SMTP smuggling protections (8.18.1+)",
         "info",
         Planned,
         {},
         "the Srv_Features entries are in the files; whether a missing `o` matters depends on the "
         "sendmail binary's version (8.18.1 and later), which the files do not record"},
        {"PERF-001", "DeliveryMode=interactive on daemon", "medium", Planned, {}, ""},
        {"PERF-002", "Unbounded background forking", "medium", Planned, {}, ""},
        {"PERF-003",
         "MaxDaemonChildren unset/too low",
         "medium/low",
         Implemented,
         {"SM-P003"},
         "unset or 0 only; a low limit without shortened SMTP timeouts is not checked yet"},
        {"PERF-004", "ConnectionRateThrottle unset", "low", Implemented, {"SM-P004"}, ""},
        {"PERF-005", "ratecontrol/conncontrol missing or mis-wired", "low/medium", Planned, {}, ""},
        {"PERF-006",
         "Load-average thresholds inconsistent",
         "low",
         Planned,
         {},
         "a good threshold depends on the CPU count: --cpus, the machine of a live audit, or the "
         "catalog's assumption"},
        {"PERF-007", "IDENT delay", "medium/low", Implemented, {"SM-P007"}, ""},
        {"PERF-008", "greet_pause too long / no exemptions", "low", Planned, {}, ""},
        {"PERF-009",
         "Server timeouts too long",
         "low/medium",
         Implemented,
         {"SM-P009"},
         "Timeout.auth is left out: sendmail reads it only as a client (usersmtp.c)"},
        {"PERF-010",
         "Client timeouts below RFC minima",
         "medium/low",
         Implemented,
         {"SM-P010"},
         ""},
        {"PERF-011", "Connect timeouts unset", "low", Implemented, {"SM-P011"}, ""},
        {"PERF-012",
         "Queue return/warn timeouts",
         "low",
         Implemented,
         {"SM-P012"},
         "the order of the precedence classes (.urgent, .non-urgent, .dsn against .normal) is not "
         "checked"},
        {"PERF-013",
         "Resolver/DNSBL retries",
         "low",
         Implemented,
         {"SM-P013"},
         "the retry counts of the DNS blocklist maps (EDNSBL_TO, DNSBL_MAP) are not checked yet"},
        {"PERF-014",
         "HostStatusDirectory unused",
         "low/medium",
         Implemented,
         {"SM-P014"},
         "the medium tier for hosts with many queue runners is not applied, and where the "
         "directory lives (NFS, a slow disk) is not in the files"},
        {"PERF-015", "SingleThreadDelivery", "low/info", Implemented, {"SM-P015"}, ""},
        {"PERF-016", "Connection cache size/timeout", "low", Implemented, {"SM-P016"}, ""},
        {"PERF-017", "ForkEachJob", "low", Implemented, {"SM-P017"}, ""},
        {"PERF-018",
         "QueueSortOrder",
         "info/low",
         Implemented,
         {"SM-P018"},
         "only Time is flagged: whether Host ordering starves mail on slow links, or Random suits "
         "several hand-started runners, depends on the links and on how the queue is run, which no "
         "file records"},
        {"PERF-019",
         "MaxQueueRunSize",
         "low",
         Implemented,
         {"SM-P019"},
         "an unset MaxQueueRunSize only matters on a huge queue, whose size no file records"},
        {"PERF-020",
         "MinQueueAge/MaxQueueAge",
         "low",
         Planned,
         {},
         "the queue interval is usually on sendmail's command line (-q, Debian's sendmail.conf), "
         "which smaudit does not read; queue groups' I= and MinQueueAge are in the files"},
        {"PERF-021",
         "Queue runners / groups",
         "medium/low",
         Implemented,
         {"SM-P021"},
         "R= above 1 without F=f is flagged; not checked yet: R=0 (no queue run takes the group, "
         "which quarantine setups intend), MaxRunnersPerQueue without MaxQueueChildren, "
         "MaxQueueChildren below the number of groups; whether one queue disk is enough for an "
         "MX depends on its disks and volume, which no file records"},
        {"PERF-022", "FastSplit=0", "info", Implemented, {"SM-P022"}, ""},
        {"PERF-023",
         "SuperSafe/RequiresDirfsync weakened",
         "medium",
         Implemented,
         {"SM-P023"},
         "RequiresDirfsync=false is flagged whatever the queue's file system, which the files do "
         "not record"},
        {"PERF-024", "SoftBounce left on", "medium", Implemented, {"SM-P024"}, ""},
        {"PERF-025",
         "Canonification cost",
         "info/low",
         Planned,
         {},
         "role, nocanonify and ResolverOptions are in the files; AAAA SERVFAILs and wildcard MX "
         "records are DNS facts"},
        {"PERF-026", "DNS-heavy features", "low", Planned, {}, ""},
        {"PERF-027", "CheckAliases", "low", Planned, {}, ""},
        {"PERF-028",
         "Interface probing",
         "info",
         Undecidable,
         {},
         "probing is slow only on a host with many interfaces or slow reverse DNS: facts of the "
         "running host, not of the files"},
        {"PERF-029",
         "GECOS/initgroups scans",
         "low",
         Planned,
         {},
         "MatchGECOS is in the files; whether passwd and group come from NIS or LDAP is in "
         "nsswitch.conf, which smaudit does not read"},
        {"PERF-030",
         "MinFreeBlocks",
         "medium/low",
         Planned,
         {},
         "a good value depends on the queue file system's size: --queue-fs-size, statvfs in a live "
         "audit, or the catalog's assumption"},
        {"PERF-031",
         "Unbounded message size",
         "medium",
         Implemented,
         {"SM-S058"},
         "the same setting as SEC-058, reported once, by SM-S058"},
        {"PERF-032", "Excessive logging", "low", Planned, {}, ""},
        {"PERF-033", "Buffer sizes", "info", Planned, {}, ""},
        {"PERF-034", "MaxHopCount / alias recursion", "low", Planned, {}, ""},
        {"PERF-035",
         "Milter timeouts",
         "low",
         Implemented,
         {"SM-P035"},
         "the time several milters add up to is not checked"},
        {"PERF-036", "Dial-up leftovers", "info", Planned, {}, ""},
        {"PERF-037",
         "SharedMemoryKey on big queues",
         "info",
         Undecidable,
         {},
         "worth it only on a high-volume queue, and no configuration file records the volume"},
    };
    return entries;
}

Pack catalog_pack(std::string_view catalog_id) {
    if (catalog_id.starts_with("SEC-")) return Pack::Security;
    if (catalog_id.starts_with("PERF-")) return Pack::Performance;
    return Pack::Consistency;
}

std::vector<const CatalogEntry*> catalog_entries_of(std::string_view rule_id) {
    std::vector<const CatalogEntry*> found;
    for (const CatalogEntry& entry : catalog())
        if (std::find(entry.rules.begin(), entry.rules.end(), rule_id) != entry.rules.end())
            found.push_back(&entry);
    return found;
}

} // namespace smaudit
