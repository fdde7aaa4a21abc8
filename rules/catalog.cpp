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
         {"SM-C006", "SM-C007", "SM-C008"},
         "the .cf is compared with what the .mc beside it generates, setting by setting, and an "
         ".mc newer than its .cf is reported on the live tree or with --root (SM-C006); a .db is "
         "read through Berkeley DB and compared with its source where the audit looks at the live "
         "tree (SM-C007), and a missing .db is reported (SM-C008). SM-C003 is another check "
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
        {"SEC-014",
         "No DNSBL/greet_pause/rate controls on MX",
         "low",
         Implemented,
         {"SM-S014"},
         "a milter, a firewall or a proxy in front of sendmail may do the same: not in these "
         "files"},
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
         Implemented,
         {"SM-S021"},
         "the help file is read under --root, when it sits beside the configuration, in a "
         "directory named on the command line, or (for a configuration kept outside /etc/mail) "
         "as a copy beside it; elsewhere the finding says it was not checked"},
        {"SEC-022", "EXPN enabled", "medium/low", Implemented, {"SM-S022"}, ""},
        {"SEC-023", "VRFY enabled", "medium/low", Implemented, {"SM-S023"}, ""},
        {"SEC-024", "VERB allowed / Verbose in cf", "low", Implemented, {"SM-S024"}, ""},
        {"SEC-025",
         "ETRN allowed",
         "low",
         Implemented,
         {"SM-S025"},
         "a Srv_Features: entry of the access map can turn ETRN off for the clients it "
         "matches; which clients those are is not in the files, so it is not counted"},
        {"SEC-026", "needmailhelo missing", "info/low", Implemented, {"SM-S026"}, ""},
        {"SEC-027", "authwarnings missing", "low", Implemented, {"SM-S027"}, ""},
        {"SEC-028",
         "restrictmailq/qrun/expand missing",
         "low",
         Implemented,
         {"SM-S028"},
         "low everywhere: whether the host has local users other than its admins (the KB's "
         "medium on multi-user hosts) is not in the configuration files"},
        {"SEC-029", "DSN privacy flags", "info", Implemented, {"SM-S029"}, ""},
        {"SEC-030", "Received header version", "info", Implemented, {"SM-S030"}, ""},
        {"SEC-031",
         "IDENT queries",
         "low",
         Implemented,
         {"SM-S031"},
         "without a Timeout.ident line the binary's default applies: 5s when it was built with "
         "IDENTPROTO (Linux, the BSDs; `sendmail -d0.10` shows it), which the files do not say"},
        {"SEC-032", "Plaintext AUTH without TLS", "high", Implemented, {"SM-S032"}, ""},
        {"SEC-033",
         "AUTH required on port 25 / MSA without AUTH",
         "medium/info",
         Implemented,
         {"SM-S033"},
         "an MSA without M=a is not reported: its rulesets still relay only for authenticated or "
         "trusted clients, and sendmail's own default MSA has none"},
        {"SEC-034", "STARTTLS not configured", "medium", Implemented, {"SM-S034"}, ""},
        {"SEC-035",
         "TLS key/cert file safety",
         "high/medium",
         Implemented,
         {"SM-S035"},
         "the key and certificate files' owner and mode and their directories, with --root or on "
         "the live /etc/mail; "
         "the DontBlameSendmail flags that relax sendmail's own key checks (GroupReadableKeyFile, "
         "InsufficientEntropy) are reported by SM-S052"},
        {"SEC-036",
         "Weak TLS parameters",
         "medium/high",
         Implemented,
         {"SM-S036"},
         "the prime size of a DHParameters file needs the live tree; ALL and TLS 1.0/1.1 left on "
         "are not reported (OpenSSL's security level refuses what they would add)"},
        {"SEC-037",
         "TLS downgrade allowed",
         "medium",
         Implemented,
         {"SM-S037"},
         "a Srv_Features: default with S (no STARTTLS offered) is the server side, SM-S034's"},
        {"SEC-038",
         "Client-cert verification disabled",
         "info/low",
         Implemented,
         {"SM-S038"},
         "TLSSrvOptions C (a server without a certificate) is SM-S034's: with a certificate "
         "configured C changes nothing"},
        {"SEC-039",
         "Outgoing AUTH credentials exposure",
         "high/medium",
         Implemented,
         {"SM-S039"},
         "whether access.db, the authinfo map or the DefaultAuthInfo file is readable by others "
         "needs the live tree; FEATURE(`authinfo')'s own map is not read; the DontBlameSendmail "
         "flags are SM-S052's"},
        {"SEC-040",
         "Listening on all interfaces (non-mail host)",
         "medium",
         Implemented,
         {"SM-S040"},
         "the files say a host is no mail server only as a null client (FEATURE(`nullclient')); "
         "other hosts need --role client-only. An MX must listen on its interfaces: no finding"},
        {"SEC-041", "Prog mailer without smrsh", "medium", Implemented, {"SM-S041"}, ""},
        {"SEC-042",
         "Dangerous programs in smrsh dir",
         "high",
         Implemented,
         {"SM-S042"},
         "with --root or on the live /etc/mail; smrsh's directory is compiled into smrsh, so the "
         "usual places are looked at (/etc/mail/smrsh, /usr/libexec/sm.bin, /usr/adm/sm.bin, "
         "/etc/smrsh); programs that aliases run are checked here too (STIG GEN004400/4420)"},
        {"SEC-043", "Mailers running as root", "high", Implemented, {"SM-S043"}, ""},
        {"SEC-044", "decode/uudecode alias", "critical", Implemented, {"SM-S044"}, ""},
        {"SEC-045",
         "Program targets in aliases",
         "medium",
         Implemented,
         {"SM-S045"},
         "the program's owner and mode, and its presence in the smrsh directory, are SM-S042's "
         "and SM-C011's with --root or on the live /etc/mail"},
        {"SEC-046", "File targets in aliases", "medium/high", Implemented, {"SM-S046"}, ""},
        {"SEC-047",
         ":include: file safety",
         "medium",
         Implemented,
         {"SM-S047"},
         "the :include: file's owner and mode and its directories, with --root or on the live "
         "/etc/mail; its programs are SM-S042's, a missing list SM-C011's"},
        {"SEC-048",
         "Aliases file/db ownership & mode",
         "high–low",
         Implemented,
         {"SM-S048"},
         "with --root or on the live /etc/mail; the DontBlameSendmail flags that allow unsafe "
         "alias files are reported by SM-S052"},
        {"SEC-049", "Required aliases missing", "low", Implemented, {"SM-S049"}, ""},
        {"SEC-050", "Aliases syntax pitfalls", "low", Implemented, {"SM-S050"}, ""},
        {"SEC-051",
         ".forward enabled",
         "medium",
         Implemented,
         {"SM-S051"},
         "forward directories writable by others (/var/forward) need the live tree"},
        {"SEC-052", "DontBlameSendmail relaxations", "critical–info", Implemented, {"SM-S052"}, ""},
        {"SEC-053", "SafeFileEnvironment unset", "low", Implemented, {"SM-S053"}, ""},
        {"SEC-054",
         "RunAsUser/TrustedUser/trusted users",
         "info–medium",
         Implemented,
         {"SM-S054"},
         "whether TrustedUser or a trusted user is an interactive account needs the host's passwd "
         "database"},
        {"SEC-055",
         "Queue/temp file modes; UseMSP on MTA",
         "high/medium",
         Implemented,
         {"SM-S055"},
         ""},
        {"SEC-056",
         "Critical file/dir permissions",
         "critical–medium",
         Implemented,
         {"SM-S056"},
         "with --root or on the live /etc/mail: files and directories writable by others (the "
         "queue also readable); files owned by another user than root are not reported here "
         "(sendmail's TrustedUser and RunAsUser may own them)"},
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
        {"SEC-059", "AllowBogusHELO", "low", Implemented, {"SM-S059"}, ""},
        {"SEC-060", "Milter fail-open / not wired", "medium", Implemented, {"SM-S060"}, ""},
        {"SEC-061",
         "Misc privacy/integrity options, legacy WIZ/DEBUG",
         "low/info",
         Implemented,
         {"SM-S061"},
         "the options are in the files; whether the WIZ/DEBUG SMTP commands exist depends on the "
         "binary (built with SMTPDEBUG), not on the files"},
        {"SEC-062",
         "SMTP smuggling protections (8.18.1+)",
         "info",
         Implemented,
         {"SM-S062"},
         "letters that turn the protections off are in the files; whether the binary has them at "
         "all (8.18.1 and later, or a backport such as Debian's 8.17.1.9-2+deb12u1) is not"},
        {"PERF-001",
         "DeliveryMode=interactive on daemon",
         "medium",
         Implemented,
         {"SM-P001"},
         "a milter that may remove recipients makes sendmail expand them after RCPT anyway; "
         "whether it may is the milter's, not the files'"},
        {"PERF-002",
         "Unbounded background forking",
         "medium",
         Implemented,
         {"SM-P002"},
         "reported at MaxDaemonChildren in place of SM-P003 and SM-P004, which stay quiet"},
        {"PERF-003",
         "MaxDaemonChildren unset/too low",
         "medium/low",
         Implemented,
         {"SM-P003"},
         "sized to the host's memory: --memory, MemTotal in a live audit of /etc/mail, else 4 GiB "
         "assumed; a limit below 20 is low whatever the SMTP timeouts (long ones are PERF-009's)"},
        {"PERF-004", "ConnectionRateThrottle unset", "low", Implemented, {"SM-P004"}, ""},
        {"PERF-005",
         "ratecontrol/conncontrol missing or mis-wired",
         "low/medium",
         Implemented,
         {"SM-P005"},
         "ConnectionRateWindowSize is not judged; the ClientRate:/ClientConn: entries are judged "
         "only with the access map audited beside the configuration"},
        {"PERF-006",
         "Load-average thresholds inconsistent",
         "low",
         Implemented,
         {"SM-P006"},
         "CPUs: --cpus, the CPUs online in a live audit of /etc/mail, else 4 assumed; equal "
         "QueueLA and RefuseLA are not reported (sendmail then simply refuses before it queues)"},
        {"PERF-007", "IDENT delay", "medium/low", Implemented, {"SM-P007"}, ""},
        {"PERF-008",
         "greet_pause too long / no exemptions",
         "low",
         Implemented,
         {"SM-P008"},
         "exemptions are checked for loopback only (the MSP's [127.0.0.1]); which other networks "
         "are internal is not in the files"},
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
         Implemented,
         {"SM-P020"},
         "queue groups with I= only: the interval of sendmail's command line (-q, Debian's "
         "QUEUE_INTERVAL in sendmail.conf) is in no configuration file"},
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
         Undecidable,
         {},
         "canonification costs a host lookup per address domain, cached per process (host map) "
         "and by the resolver: it weighs only with large recipient lists and slow or failing "
         "DNS (TUNING's advice since 8.15 to use nocanonify on the MTA is for temporary DNS "
         "failures, which keep mail queued), facts of the traffic and the network, as are AAAA "
         "SERVFAILs and wildcard MX records; nocanonify is a trade-off, not a defect "
         "(unqualified names then break, cf/README); +DNSRCH/+DEFNAMES are the resolver's "
         "defaults and add lookups only for names that are unqualified or do not resolve"},
        {"PERF-026",
         "DNS-heavy features",
         "low",
         Implemented,
         {"SM-P026"},
         "bestmx_is_local without domains and more than 3 blocklists; relay_based_on_MX is "
         "SM-S005's; require_rdns adds no lookup (it reads the reverse lookup sendmail makes of "
         "every client anyway); badmx and mtamark cost a lookup or two as any blocklist does"},
        {"PERF-027",
         "CheckAliases",
         "low",
         Implemented,
         {"SM-P027"},
         "not reported under FEATURE(`nocanonify') without canonify_hosts: ruleset 3 then asks "
         "DNS nothing; in a .cf, where the FEATURE's arguments are not known, nocanonify counts "
         "as that"},
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
         Implemented,
         {"SM-P029"},
         "MatchGECOS only: DontInitGroups matters only when groups come from NIS or LDAP, which "
         "nsswitch.conf says and smaudit does not read"},
        {"PERF-030",
         "MinFreeBlocks",
         "medium/low",
         Implemented,
         {"SM-P030"},
         "the queue file system: --queue-fs-size, statvfs of the QueueDirectory in a live audit "
         "of /etc/mail, else 20 GiB at 4 KiB blocks assumed"},
        {"PERF-031",
         "Unbounded message size",
         "medium",
         Implemented,
         {"SM-S058"},
         "the same setting as SEC-058, reported once, by SM-S058"},
        {"PERF-032",
         "Excessive logging",
         "low",
         Implemented,
         {"SM-P032"},
         "from LogLevel 15 (every SMTP command), not 13 as the catalog says: 13 and 14 add lines "
         "for odd situations and refused connections only; Milter.LogLevel from 18 with a milter"},
        {"PERF-033",
         "Buffer sizes",
         "info",
         Implemented,
         {"SM-P033"},
         "DataFileBufferSize only where the buffer keeps messages off the disk (SuperSafe="
         "Interactive or False with interactive delivery, PostMilter with a milter): under "
         "SuperSafe=True every data file is written before the 250 reply whatever the buffer, "
         "so the catalog's 'more disk I/O' does not hold; XscriptFileBufferSize is not judged "
         "(the transcript fills only with the replies of failing deliveries)"},
        {"PERF-034",
         "MaxHopCount / alias recursion",
         "low",
         Implemented,
         {"SM-P034"},
         "MaxHopCount below sendmail's default of 25 only, not above 30 as the catalog says: "
         "that contradicts RFC 5321 6.3 (a loop threshold of at least 100 Received fields), "
         "which Debian's 100 follows, and a looping message is bounced after MaxHopCount "
         "deliveries whatever the value; MaxAliasRecursion is not judged: alias loops are caught "
         "by its default 10 and by duplicate removal"},
        {"PERF-035",
         "Milter timeouts",
         "low",
         Implemented,
         {"SM-P035"},
         "the time several milters add up to is not checked"},
        {"PERF-036",
         "Dial-up leftovers",
         "info",
         Implemented,
         {"SM-P036"},
         "HoldExpensive and DialDelay only where a mailer has the flag they act on (F=e, F=Z); "
         "DeliveryMode=deferred is SEC-002's (SM-S002)"},
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
