#include "model/option_table.hpp"

#include <algorithm>

namespace smaudit::model {

namespace {

using M = OptionMerge;

// In OptionTab order: sendmail stops at the second prefix match, so order decides which two
// names an "ambiguous option" message mentions (and whether an exact name is reached at all).
// Options that only some builds compile in are kept: a config written for such a build is
// still understood; `requires_build` says which flag.
const std::vector<OptionInfo> kOptionRows = {
    {"SevenBitInput", '7', M::LastWins, false, "False", {}, {}},
    {"EightBitMode", '8', M::LastWins, false, "pass8", {}, {}},
    {"AliasFile",
     'A',
     M::AliasList,
     false,
     std::nullopt,
     "none compiled in (generated .cf files always set it)",
     {}},
    {"AliasWait",
     'a',
     M::LastWins,
     false,
     std::nullopt,
     "unset: no wait for the @:@ end marker of a rebuilt alias database",
     {}},
    {"BlankSub", 'B', M::LastWins, false, " ", "a space: blanks in addresses are not replaced", {}},
    {"MinFreeBlocks", 'b', M::LastWins, false, "0", "no free-space check", {}},
    {"CheckpointInterval", 'C', M::LastWins, false, "10", {}, {}},
    {"HoldExpensive", 'c', M::LastWins, false, "False", {}, {}},
    {"DeliveryMode", 'd', M::LastWins, false, "background", {}, {}},
    {"ErrorHeader", 'E', M::LastWins, false, std::nullopt, "unset", {}},
    {"ErrorMode", 'e', M::LastWins, false, "print", {}, {}},
    {"TempFileMode",
     'F',
     M::LastWins,
     false,
     "0600",
     "0644 when real uid differs from effective",
     {}},
    {"SaveFromLine", 'f', M::LastWins, false, "False", {}, {}},
    {"MatchGECOS", 'G', M::LastWins, false, "False", {}, {}},
    {"", 'g', M::LastWins, false, std::nullopt, "legacy default group id, no long name", {}},
    {"HelpFile",
     'H',
     M::LastWins,
     false,
     std::nullopt,
     "unset: HELP answers 502 with the sendmail version",
     {}},
    {"MaxHopCount", 'h', M::LastWins, false, "25", {}, {}},
    {"ResolverOptions", 'I', M::LastWins, false, std::nullopt, "resolver library defaults", {}},
    {"IgnoreDots", 'i', M::LastWins, false, "False", {}, {}},
    {"ForwardPath", 'J', M::LastWins, false, "$z/.forward", {}, {}},
    {"SendMimeErrors", 'j', M::LastWins, false, "True", {}, {}},
    {"ConnectionCacheSize", 'k', M::LastWins, false, "1", {}, {}},
    {"ConnectionCacheTimeout", 'K', M::LastWins, false, "5m", {}, {}},
    {"UseErrorsTo", 'l', M::LastWins, false, "False", {}, {}},
    {"LogLevel", 'L', M::LastWins, false, "9", {}, {}},
    {"MeToo", 'm', M::LastWins, false, "True", {}, {}},
    {"", 'M', M::LastWins, false, std::nullopt, "legacy macro definition, no long name", {}},
    {"CheckAliases", 'n', M::LastWins, false, "False", {}, {}},
    {"OldStyleHeaders", 'o', M::LastWins, false, "False", {}, {}},
    {"DaemonPortOptions",
     'O',
     M::PortList,
     false,
     std::nullopt,
     "no line: one daemon, Daemon0, port smtp (25) on all IPv4 addresses",
     {}},
    {"PrivacyOptions",
     'p',
     M::PrivacyFlags,
     false,
     "public",
     "public: EXPN, VRFY, VERB and ETRN allowed",
     {}},
    {"PostmasterCopy", 'P', M::LastWins, false, std::nullopt, "unset", {}},
    {"QueueFactor", 'q', M::LastWins, false, "600000", {}, {}},
    {"QueueDirectory",
     'Q',
     M::LastWins,
     false,
     std::nullopt,
     "the build's queue directory (usually /var/spool/mqueue)",
     {}},
    {"DontPruneRoutes", 'R', M::LastWins, false, "False", {}, {}},
    {"Timeout", 'r', M::LastWins, true, std::nullopt, "see the Timeout.* sub-options", {}},
    {"StatusFile", 'S', M::LastWins, false, std::nullopt, "unset: no statistics", {}},
    {"SuperSafe", 's', M::LastWins, false, "True", {}, {}},
    {"QueueTimeout",
     'T',
     M::LastWins,
     false,
     std::nullopt,
     "legacy: sets Timeout.queuereturn[/queuewarn]",
     {}},
    {"TimeZoneSpec", 't', M::LastWins, false, std::nullopt, "the system time zone", {}},
    {"UserDatabaseSpec", 'U', M::LastWins, false, std::nullopt, "unset", {}},
    {"DefaultUser",
     'u',
     M::LastWins,
     false,
     std::nullopt,
     "first of mailnull, sendmail, daemon with a non-zero uid, else 1:1",
     {}},
    {"FallbackMXhost", 'V', M::LastWins, false, std::nullopt, "unset", {}},
    {"Verbose", 'v', M::LastWins, false, "False", {}, {}},
    {"TryNullMXList", 'w', M::LastWins, false, "False", {}, {}},
    {"QueueLA", 'x', M::LastWins, false, std::nullopt, "8 times the number of online CPUs", {}},
    {"RefuseLA", 'X', M::LastWins, false, std::nullopt, "12 times the number of online CPUs", {}},
    {"RecipientFactor", 'y', M::LastWins, false, "30000", {}, {}},
    {"ForkEachJob", 'Y', M::LastWins, false, "False", {}, {}},
    {"ClassFactor", 'z', M::LastWins, false, "1800", {}, {}},
    {"RetryFactor", 'Z', M::LastWins, false, "90000", {}, {}},
    {"QueueSortOrder", 0, M::LastWins, false, "priority", {}, {}},
    {"HostsFile", 0, M::LastWins, false, "/etc/hosts", {}, {}},
    {"MinQueueAge", 0, M::LastWins, false, "0", {}, {}},
    {"DefaultCharSet", 0, M::LastWins, false, "unknown-8bit", {}, {}},
    {"ServiceSwitchFile",
     0,
     M::LastWins,
     false,
     "/etc/mail/service.switch",
     "ignored where the OS has its own switch (nsswitch.conf)",
     {}},
    {"DialDelay", 0, M::LastWins, false, "0s", {}, {}},
    {"NoRecipientAction", 0, M::LastWins, false, "none", {}, {}},
    {"SafeFileEnvironment", 0, M::LastWins, false, std::nullopt, "unset: no chroot for files", {}},
    {"MaxMessageSize", 0, M::LastWins, false, "0", "0: unlimited", {}},
    // The default depends on the V line: True below level 6, False from 6 on (build_config).
    {"ColonOkInAddr", 0, M::LastWins, false, std::nullopt, "True for V<6, False from V6 on", {}},
    {"MaxQueueRunSize", 0, M::LastWins, false, "0", "0: unlimited", {}},
    {"MaxDaemonChildren", 0, M::LastWins, false, "0", "0: unlimited", {}},
    {"DontExpandCnames", 0, M::LastWins, false, "False", {}, {}},
    {"MustQuoteChars", 0, M::LastWins, false, "@,;:\\()[].'", {}, {}},
    {"SmtpGreetingMessage",
     0,
     M::LastWins,
     false,
     "$j Sendmail $v ready at $b",
     "discloses the sendmail version",
     {}},
    {"UnixFromLine", 0, M::LastWins, false, "From $g $d", {}, {}},
    {"OperatorChars", 0, M::LastWins, false, ".:@[]", "plus ()<>,; which are always operators", {}},
    {"DontInitGroups", 0, M::LastWins, false, "False", {}, {}},
    {"SingleLineFromHeader", 0, M::LastWins, false, "False", {}, {}},
    {"AllowBogusHELO", 0, M::LastWins, false, "False", {}, {}},
    {"ConnectionRateThrottle", 0, M::LastWins, false, "0", "0: unlimited", {}},
    {"UnsafeGroupWrites", 0, M::LastWins, false, "True", {}, {}},
    {"DoubleBounceAddress", 0, M::LastWins, false, "postmaster", {}, {}},
    {"HostStatusDirectory", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"SingleThreadDelivery", 0, M::LastWins, false, "False", {}, {}},
    {"RunAsUser", 0, M::LastWins, false, std::nullopt, "unset: runs as root", {}},
    {"RrtImpliesDsn", 0, M::LastWins, false, "False", {}, {}},
    {"PidFile", 0, M::LastWins, false, std::nullopt, "the build's _PATH_SENDMAILPID", {}},
    {"DontBlameSendmail", 0, M::DontBlameFlags, false, "safe", "safe: every file check on", {}},
    {"DontProbeInterfaces", 0, M::LastWins, false, "False", {}, {}},
    {"MaxRecipientsPerMessage", 0, M::LastWins, false, "0", "0: unlimited", {}},
    {"DeadLetterDrop", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"DontLockFilesForRead",
     0,
     M::LastWins,
     false,
     std::nullopt,
     {},
     "_FFR_DONTLOCKFILESFORREAD_OPTION"},
    {"MaxAliasRecursion", 0, M::LastWins, false, "10", {}, {}},
    {"ConnectOnlyTo", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"TrustedUser", 0, M::LastWins, false, "root", "uid 0", {}},
    {"MaxMimeHeaderLength", 0, M::LastWins, false, "2048/1024", {}, {}},
    {"ControlSocketName", 0, M::LastWins, false, std::nullopt, "unset: no control socket", {}},
    {"MaxHeadersLength", 0, M::LastWins, false, "32768", {}, {}},
    {"MaxForwardEntries", 0, M::LastWins, false, std::nullopt, {}, "_FFR_MAX_FORWARD_ENTRIES"},
    {"ProcessTitlePrefix", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"DefaultAuthInfo", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"AuthMechanisms", 0, M::LastWins, false, "EXTERNAL GSSAPI KERBEROS_V4 DIGEST-MD5 CRAM-MD5",
     "offered: those the installed SASL library supports", "SASL"},
    {"ClientPortOptions", 0, M::PortList, false, std::nullopt, "unset: any address", {}},
    {"DataFileBufferSize", 0, M::LastWins, false, "4096", {}, {}},
    {"XscriptFileBufferSize", 0, M::LastWins, false, "4096", {}, {}},
    {"LDAPDefaultSpec", 0, M::LastWins, false, std::nullopt, "unset", "LDAPMAP"},
    {"ServerCertFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"ServerKeyFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"ClientCertFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"ClientKeyFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"CACertFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"CACertPath", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"DHParameters", 0, M::LastWins, false, std::nullopt,
     "unset: built-in 2048-bit group since 8.15.2", "STARTTLS"},
    {"InputMailFilters", 0, M::LastWins, false, std::nullopt, "unset: no milters", "MILTER"},
    {"Milter", 0, M::LastWins, true, std::nullopt, "see the Milter.* sub-options", "MILTER"},
    {"AuthOptions", 0, M::LastWins, false, std::nullopt, "unset: no AUTH restrictions", "SASL"},
    {"QueueFileMode",
     0,
     M::LastWins,
     false,
     "0600",
     "0644 when real uid differs from effective",
     {}},
    {"CertFingerprintAlgorithm", 0, M::LastWins, false, "md5", {}, "STARTTLS"},
    {"CipherList", 0, M::LastWins, false, std::nullopt, "OpenSSL default", "STARTTLS"},
    {"RandFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"TLSSrvOptions", 0, M::LastWins, false, std::nullopt, "unset: client certificate requested",
     "STARTTLS"},
    {"BadRcptThrottle", 0, M::LastWins, false, "0", "0: off", {}},
    {"DeliverByMin", 0, M::LastWins, false, "0", {}, {}},
    {"MaxQueueChildren", 0, M::LastWins, false, std::nullopt, "unset: unlimited", {}},
    {"MaxRunnersPerQueue", 0, M::LastWins, false, "1", {}, {}},
    {"DirectSubmissionModifiers", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"NiceQueueRun", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"SharedMemoryKey", 0, M::LastWins, false, "0", "0: no shared memory", "SM_CONF_SHM"},
    {"AuthMaxBits", 0, M::LastWins, false, std::nullopt, "unset: INT_MAX", "SASL"},
    {"MailboxDatabase", 0, M::LastWins, false, "pw", {}, {}},
    {"UseMSP", 0, M::LastWins, false, "False", {}, {}},
    {"DelayLA", 0, M::LastWins, false, "0", "0: off", {}},
    {"FastSplit", 0, M::LastWins, false, "1", {}, {}},
    {"SoftBounce", 0, M::LastWins, false, "False", {}, {}},
    {"SharedMemoryKeyFile", 0, M::LastWins, false, std::nullopt, "unset", "SM_CONF_SHM"},
    {"RejectLogInterval", 0, M::LastWins, false, "3h", {}, {}},
    {"RequiresDirfsync", 0, M::LastWins, false, "True", {}, "REQUIRES_DIR_FSYNC"},
    {"ConnectionRateWindowSize", 0, M::LastWins, false, "60s", {}, {}},
    {"CRLFile", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"FallbackSmartHost", 0, M::LastWins, false, std::nullopt, "unset", {}},
    {"AuthRealm", 0, M::LastWins, false, std::nullopt, "unset: $j", "SASL"},
    {"CRLPath", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"HeloName", 0, M::LastWins, false, std::nullopt, "unset: $j", {}},
    {"RefuseLowMem", 0, M::LastWins, false, std::nullopt, {}, "_FFR_MEMSTAT"},
    {"QueueLowMem", 0, M::LastWins, false, std::nullopt, {}, "_FFR_MEMSTAT"},
    {"MemoryResource", 0, M::LastWins, false, std::nullopt, {}, "_FFR_MEMSTAT"},
    {"MaxNOOPCommands", 0, M::LastWins, false, "20", {}, {}},
    {"MessageAccept", 0, M::LastWins, false, std::nullopt, {}, "_FFR_MSG_ACCEPT"},
    {"CheckQueueRunners", 0, M::LastWins, false, std::nullopt, {}, "_FFR_QUEUE_RUN_PARANOIA"},
    {"EightBitAddrOK", 0, M::LastWins, false, std::nullopt, {}, "_FFR_EIGHT_BIT_ADDR_OK"},
    {"AddrTypeModes", 0, M::LastWins, false, std::nullopt, {}, "_FFR_ADDR_TYPE_MODES"},
    {"BadRcptShutdown", 0, M::LastWins, false, std::nullopt, "unset: off", "_FFR_BADRCPT_SHUTDOWN"},
    {"BadRcptShutdownGood", 0, M::LastWins, false, std::nullopt, "unset: off",
     "_FFR_BADRCPT_SHUTDOWN"},
    {"ServerSSLOptions", 0, M::LastWins, false, std::nullopt,
     "SSL_OP_ALL without SSL_OP_TLSEXT_PADDING", "STARTTLS"},
    {"ClientSSLOptions", 0, M::LastWins, false, std::nullopt,
     "SSL_OP_ALL, SSL_OP_NO_SSLv2, SSL_OP_NO_TICKET, without SSL_OP_TLSEXT_PADDING", "STARTTLS"},
    {"MaxQueueAge", 0, M::LastWins, false, std::nullopt, "unset: no limit", {}},
    {"BadRcptThrottleDelay", 0, M::LastWins, false, std::nullopt, {}, "_FFR_RCPTTHROTDELAY"},
    {"FIPSMode", 0, M::LastWins, false, std::nullopt, {}, "_FFR_FIPSMODE"},
    {"RejectNUL", 0, M::LastWins, false, "False", {}, "_FFR_REJECT_NUL_BYTE"},
    {"BounceQueue", 0, M::LastWins, false, std::nullopt, {}, "_FFR_BOUNCE_QUEUE"},
    {"AddBcc", 0, M::LastWins, false, std::nullopt, {}, "_FFR_ADD_BCC"},
    {"UseCompressedIPv6Addresses",
     0,
     M::LastWins,
     false,
     std::nullopt,
     "False with IPV6_FULL (the usual build), else True",
     {}},
    {"SSLEngine", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"SSLEnginePath", 0, M::LastWins, false, std::nullopt, "unset", "STARTTLS"},
    {"TLSFallbacktoClear", 0, M::LastWins, false, "False", "True only with _FFR_TLSFB2CLEAR",
     "STARTTLS"},
    {"NameServer", 0, M::LastWins, false, std::nullopt, {}, "_FFR_NAMESERVER"},
    {"DANE", 0, M::LastWins, false, "false", {}, "DANE"},
    {"NameSearchList", 0, M::LastWins, false, std::nullopt, {}, "_FFR_NAMESERVER"},
    {"Hacks", 0, M::LastWins, false, std::nullopt, {}, "_FFR_BLANKENV_MACV"},
    {"KeepBcc", 0, M::LastWins, false, std::nullopt, {}, "_FFR_KEEPBCC"},
    {"ClientCACertFile", 0, M::LastWins, false, std::nullopt, {}, "_FFR_CLIENTCA"},
    {"ClientCACertPath", 0, M::LastWins, false, std::nullopt, {}, "_FFR_CLIENTCA"},
    {"SetCertAltnames", 0, M::LastWins, false, "False", {}, "_FFR_TLS_ALTNAMES"},
    {"SmtpUTF8", 0, M::LastWins, false, "False", {}, {}},
    {"StrictTransportSecurity", 0, M::LastWins, false, "False", {}, "_FFR_MTA_STS"},
    {"CipherSuites", 0, M::LastWins, false, std::nullopt, "OpenSSL default", "MTA_HAVE_TLSv1_3"},
};

// readcf.c TimeOutTab with inittimeouts()/setdefaults() values. The per-class queue timeouts
// start from their parent's value (setdefaults sets all classes at once).
const std::vector<SubOptionInfo> kTimeouts = {
    {"initial", "5m", {}},
    {"mail", "10m", {}},
    {"rcpt", "1h", {}},
    {"datainit", "5m", {}},
    {"datablock", "1h", {}},
    {"datafinal", "1h", {}},
    {"command", "1h", {}},
    {"rset", "5m", {}},
    {"helo", "5m", {}},
    {"quit", "2m", {}},
    {"misc", "2m", {}},
    {"ident", "5s", "0 when built without IDENTPROTO"},
    {"fileopen", "60s", {}},
    {"connect", "0s", "0: the kernel's connect timeout"},
    {"iconnect", "0s", "0: the kernel's connect timeout"},
    {"queuewarn", "0", "0: no delay warning"},
    {"queuewarn.normal", "0", "0: no delay warning"},
    {"queuewarn.urgent", "0", "0: no delay warning"},
    {"queuewarn.non-urgent", "0", "0: no delay warning"},
    {"queuereturn", "5d", {}},
    {"queuereturn.normal", "5d", {}},
    {"queuereturn.urgent", "5d", {}},
    {"queuereturn.non-urgent", "5d", {}},
    {"hoststatus", "30m", {}},
    {"resolver.retrans", std::nullopt, "resolver library default"},
    {"resolver.retrans.normal", std::nullopt, "resolver library default"},
    {"resolver.retrans.first", std::nullopt, "resolver library default"},
    {"resolver.retry", std::nullopt, "resolver library default"},
    {"resolver.retry.normal", std::nullopt, "resolver library default"},
    {"resolver.retry.first", std::nullopt, "resolver library default"},
    {"control", "2m", {}},
    {"lhlo", "2m", {}},
    {"auth", "10m", {}},
    {"starttls", "1h", {}},
    {"aconnect", "0s", "0: no overall limit"},
    {"queuewarn.dsn", "0", "0: no delay warning"},
    {"queuereturn.dsn", "5d", {}},
};

// milter.c MilterOptTab.
const std::vector<SubOptionInfo> kMilterOptions = {
    {"macros.connect", std::nullopt, "unset: no macros sent"},
    {"macros.helo", std::nullopt, "unset: no macros sent"},
    {"macros.envfrom", std::nullopt, "unset: no macros sent"},
    {"macros.envrcpt", std::nullopt, "unset: no macros sent"},
    {"macros.data", std::nullopt, "unset: no macros sent"},
    {"macros.eom", std::nullopt, "unset: no macros sent"},
    {"macros.eoh", std::nullopt, "unset: no macros sent"},
    {"LogLevel", std::nullopt, "unset: follows LogLevel"},
};

const std::vector<std::string_view> kPrivacyFlags = {
    "public",        "needmailhelo", "needexpnhelo",   "needvrfyhelo",
    "noexpn",        "novrfy",       "authwarnings",   "noverb",
    "restrictmailq", "restrictqrun", "restrictexpand", "noetrn",
    "nobodyreturn",  "noreceipts",   "goaway",         "noactualrecipient",
    "noreflection"};

// PRIV_GOAWAY is 0x0000ffff | PRIV_NOREFLECTION: the flags with values below 0x10000.
const std::vector<std::string_view> kGoawayFlags = {"needmailhelo", "needexpnhelo", "needvrfyhelo",
                                                    "noexpn",       "novrfy",       "authwarnings",
                                                    "noverb",       "noreflection"};

const std::vector<std::string_view> kDontBlameFlags = {
    "safe",
    "assumesafechown",
    "groupwritabledirpathsafe",
    "groupwritableforwardfilesafe",
    "groupwritableincludefilesafe",
    "groupwritablealiasfile",
    "worldwritablealiasfile",
    "forwardfileinunsafedirpath",
    "mapinunsafedirpath",
    "linkedaliasfileinwritabledir",
    "linkedclassfileinwritabledir",
    "linkedforwardfileinwritabledir",
    "linkedincludefileinwritabledir",
    "linkedmapinwritabledir",
    "linkedserviceswitchfileinwritabledir",
    "filedeliverytohardlink",
    "filedeliverytosymlink",
    "writemaptohardlink",
    "writemaptosymlink",
    "writestatstohardlink",
    "writestatstosymlink",
    "forwardfileingroupwritabledirpath",
    "includefileingroupwritabledirpath",
    "classfileinunsafedirpath",
    "errorheaderinunsafedirpath",
    "helpfileinunsafedirpath",
    "forwardfileinunsafedirpathsafe",
    "includefileinunsafedirpathsafe",
    "runprograminunsafedirpath",
    "runwritableprogram",
    "includefileinunsafedirpath",
    "nonrootsafeaddr",
    "truststickybit",
    "dontwarnforwardfileinunsafedirpath",
    "insufficiententropy",
    "groupreadablesasldbfile",
    "groupwritablesasldbfile",
    "groupwritableforwardfile",
    "groupwritableincludefile",
    "worldwritableforwardfile",
    "worldwritableincludefile",
    "groupreadablekeyfile",
    "groupreadabledefaultauthinfofile",
    // Not CertOwner: it came with 8.18, and the reference build, 8.17.1.9, refuses the file
    // ("readcf: DontBlameSendmail option: CertOwner unrecognized", exit 70).
};

// cf/feature/*.m4 of 8.17 and 8.18.
const std::vector<std::string_view> kFeatures = {
    "accept_unqualified_senders",
    "accept_unresolvable_domains",
    "access_db",
    "allmasquerade",
    "always_add_domain",
    "authinfo",
    "badmx",
    "bcc",
    "bestmx_is_local",
    "bitdomain",
    "blacklist_recipients",
    "block_bad_helo",
    "blocklist_recipients",
    "check_cert_altnames",
    "check_other",
    "compat_check",
    "conncontrol",
    "delay_checks",
    "dnsbl",
    "domainmap",
    "domaintable",
    "drac",
    "enhdnsbl",
    "fips3",
    "generics_entire_domain",
    "genericstable",
    "greet_pause",
    "ldap_routing",
    "limited_masquerade",
    "local_lmtp",
    "local_no_masquerade",
    "local_procmail",
    "lookupdotdomain",
    "loose_relay_check",
    "mailertable",
    "masquerade_entire_domain",
    "masquerade_envelope",
    "msp",
    "mtamark",
    "no_default_msa",
    "nocanonify",
    "nopercenthack",
    "notsticky",
    "nouucp",
    "nullclient",
    "prefixmod",
    "preserve_local_plus_detail",
    "preserve_luser_host",
    "promiscuous_relay",
    "queuegroup",
    "ratecontrol",
    "redirect",
    "relay_based_on_MX",
    "relay_entire_domain",
    "relay_hosts_only",
    "relay_local_from",
    "relay_mail_from",
    "require_rdns",
    "rhsbl",
    "smrsh",
    "stickyhost",
    "sts",
    "tls_failures",
    "tls_session_features",
    "use_client_ptr",
    "use_ct_file",
    "use_cw_file",
    "uucpdomain",
    "virtuser_entire_domain",
    "virtusertable",
    "vnet",
    // Names used by older releases, still found in old generated files.
    "nodns",
    "rbl",
};

// Options Debian 12's sendmail 8.17.1.9 answers "unknown option name" for (checked one by one
// with -d37.1): FFR and compile-time options of other builds.
bool outside_reference_build(std::string_view name) {
    static constexpr std::string_view kOthers[] = {"MaxForwardEntries",
                                                   "RefuseLowMem",
                                                   "QueueLowMem",
                                                   "MemoryResource",
                                                   "MessageAccept",
                                                   "CheckQueueRunners",
                                                   "EightBitAddrOK",
                                                   "AddrTypeModes",
                                                   "BadRcptThrottleDelay",
                                                   "FIPSMode",
                                                   "BounceQueue",
                                                   "AddBcc",
                                                   "NameServer",
                                                   "DANE",
                                                   "NameSearchList",
                                                   "Hacks",
                                                   "KeepBcc",
                                                   "ClientCACertFile",
                                                   "ClientCACertPath"};
    for (std::string_view other : kOthers)
        if (other == name) return true;
    return false;
}

std::vector<OptionInfo> with_reference_flags(std::vector<OptionInfo> options) {
    for (OptionInfo& option : options)
        option.in_reference_build = !outside_reference_build(option.name);
    return options;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

} // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = lower(c);
    return out;
}

const std::vector<OptionInfo>& option_table() {
    static const std::vector<OptionInfo> options = with_reference_flags(kOptionRows);
    return options;
}
const std::vector<SubOptionInfo>& timeout_suboptions() {
    return kTimeouts;
}
const std::vector<SubOptionInfo>& milter_suboptions() {
    return kMilterOptions;
}
const std::vector<std::string_view>& privacy_flag_names() {
    return kPrivacyFlags;
}
const std::vector<std::string_view>& goaway_flag_names() {
    return kGoawayFlags;
}
const std::vector<std::string_view>& dont_blame_flag_names() {
    return kDontBlameFlags;
}

OptionLookup lookup_option(std::string_view name) {
    OptionLookup result;
    // Mirrors setoption(): walk the table in order; an exact name ends the walk; a second
    // prefix match before any exact one makes the name ambiguous.
    const OptionInfo* selected = nullptr;
    for (const OptionInfo& option : option_table()) {
        if (option.name.empty() || !istarts_with(option.name, name)) continue;
        bool exact = option.name.size() == name.size();
        // Options the reference build lacks are known by their full name only.
        if (!exact && !option.in_reference_build) continue;
        if (exact) {
            result.status = OptionLookup::Status::Found;
            result.info = &option;
            return result;
        }
        if (selected != nullptr) {
            result.status = OptionLookup::Status::Ambiguous;
            result.info = selected;
            result.other = &option;
            return result;
        }
        selected = &option;
    }
    if (selected != nullptr) {
        result.status = OptionLookup::Status::Found;
        result.info = selected;
        result.abbreviated = true;
    }
    return result;
}

const OptionInfo* option_by_letter(char letter) {
    if (letter == 0) return nullptr;
    for (const OptionInfo& option : option_table())
        if (option.letter == letter) return &option;
    return nullptr;
}

const OptionInfo* option_by_name(std::string_view name) {
    if (name.empty()) return nullptr;
    for (const OptionInfo& option : option_table())
        if (iequals(option.name, name)) return &option;
    return nullptr;
}

const SubOptionInfo* find_timeout_suboption(std::string_view name) {
    // TimeOutTab lists "queuewarn.*" and "queuereturn.*" as aliases of the plain names.
    if (iequals(name, "queuewarn.*"))
        name = "queuewarn";
    else if (iequals(name, "queuereturn.*"))
        name = "queuereturn";
    for (const SubOptionInfo& sub : kTimeouts)
        if (iequals(sub.name, name)) return &sub;
    return nullptr;
}

const SubOptionInfo* find_milter_suboption(std::string_view name) {
    for (const SubOptionInfo& sub : kMilterOptions)
        if (iequals(sub.name, name)) return &sub;
    return nullptr;
}

std::string canonical_name(const OptionInfo& option, const SubOptionInfo* sub) {
    std::string name(option.name);
    if (sub != nullptr) {
        name += '.';
        name += sub->name;
    }
    return name;
}

bool is_known_feature(std::string_view name) {
    return std::find(kFeatures.begin(), kFeatures.end(), name) != kFeatures.end();
}

} // namespace smaudit::model
