// SM-S046 file-alias-target: `/path` targets append every message to a file, as DefaultUser
// (KB SEC-046); a system file (/etc, /root, .ssh, cron, shell start-up files) makes the alias a
// way to write into it. /dev/null is the usual sink and fine.
#include "rules/map_support.hpp"

namespace smaudit::rules {

static bool system_file(std::string_view path) {
    for (std::string_view prefix : {"/etc/", "/root/", "/dev/", "/boot/", "/var/spool/cron",
                                    "/usr/", "/bin/", "/sbin/", "/lib/"})
        if (path.starts_with(prefix)) return true;
    for (std::string_view part : {"/.ssh/", "/.rhosts", "/.forward", "/.profile", "/.bashrc",
                                  "/.bash_profile", "/.login", "/.cshrc", "/cron"})
        if (path.find(part) != std::string_view::npos) return true;
    return false;
}

static void check(const RuleContext& context, Emitter& out) {
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (target.kind != ast::AliasTargetKind::File) return;
        std::string_view path = target.unquoted;
        if (path == "/dev/null") return;
        bool critical = system_file(path);
        Diagnostic& d = out.report(
            at(aliases.file, target.span),
            "alias `" + std::string(aliases.name(entry)) + "` appends every message to `" +
                std::string(path) + "`" +
                (critical ? ", a system file: anyone who mails the alias writes into it"
                          : ": anyone can fill the file; keep it inside SafeFileEnvironment"),
            "writes a file");
        if (critical) d.severity = Severity::High;
    });
}

extern const Rule kSM_S046 = {"SM-S046",
                              "file-alias-target",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "An alias appends mail to a file",
                              "deliver to a mailbox instead, or keep the file inside "
                              "SafeFileEnvironment",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
