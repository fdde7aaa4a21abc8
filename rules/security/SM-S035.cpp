// SM-S035 tls-file-unsafe: the TLS private key readable by others gives away the server's
// identity; a certificate or CA file writable by others lets them change whom sendmail trusts
// (KB SEC-035). What sendmail does (tls.c inittls(), libsmutil/safefile.c): it refuses a key
// that is group- or world-readable (only world-readable with DontBlameSendmail
// GroupReadableKeyFile), any TLS file that is group- or world-writable, not owned by root or
// RunAsUser, or below a writable directory; refused, STARTTLS is not offered (server) or not used
// (client), and only the log says why. (8.18's DontBlameSendmail CertOwner, which allows another
// owner, is a word 8.17 refuses the whole file for: SM-E052.)
#include "rules/file_support.hpp"

namespace smaudit::rules {

namespace {

std::string refused(const model::ReferencedFile& file, bool client) {
    return "sendmail refuses the file, so " +
           std::string(client ? "it sends without STARTTLS"
                              : "STARTTLS is not offered and mail arrives in clear text") +
           " (" + file.source + ")";
}

void check_file(const RuleContext& context, Emitter& out, const model::ReferencedFile& file,
                bool key) {
    const model::Config& config = context.config;
    const model::FileStat& st = file.stat;
    const bool client = file.source.starts_with("Client");
    const bool group_readable_ok = config.dont_blame_has("groupreadablekeyfile");
    if (key && (world_readable(st) || group_readable(st))) {
        const bool sendmail_refuses = world_readable(st) || !group_readable_ok;
        report_file(out, file,
                    "the TLS private key " + file.named + " is " +
                        (world_readable(st) ? "world" : "group") + "-readable (mode " +
                        octal_mode(st.mode) + "): whoever can read it can impersonate this " +
                        "server; " +
                        (sendmail_refuses ? refused(file, client)
                                          : "DontBlameSendmail GroupReadableKeyFile lets "
                                            "sendmail use it"))
            .severity = Severity::High;
    }
    if (group_writable(st) || world_writable(st))
        report_file(out, file,
                    "the TLS file " + file.named + " is " + writable_by(st) + " (mode " +
                        octal_mode(st.mode) + "): " + refused(file, client))
            .severity = Severity::High;
    if (std::optional<std::string> directory = unsafe_directory(file, config))
        report_file(out, file,
                    "the TLS file " + file.named + " lies below an unsafe directory: " +
                        *directory + "; " + refused(file, client))
            .severity = Severity::High;
    if (st.uid != 0)
        report_file(out, file,
                    "the TLS file " + file.named + " is " + not_root_owner(st) +
                        ", not root: unless that is sendmail's RunAsUser, " + refused(file, client))
            .severity = Severity::Medium;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    for_each_present(context, model::FileRole::TlsKey, [&](const model::ReferencedFile& file) {
        check_file(context, out, file, true);
    });
    for (model::FileRole role : {model::FileRole::TlsCertificate, model::FileRole::TlsCaFile})
        for_each_present(context, role, [&](const model::ReferencedFile& file) {
            check_file(context, out, file, false);
        });
}

extern const Rule kSM_S035 = {"SM-S035",
                              "tls-file-unsafe",
                              Pack::Security,
                              Severity::High,
                              8,
                              "A TLS key is readable by others, or a TLS file is writable by "
                              "others or not owned by root",
                              "chown root the TLS files; chmod 0600 the key, go-w the others",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
