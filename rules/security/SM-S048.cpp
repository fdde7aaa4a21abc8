// SM-S048 alias-file-unsafe: the alias file and its database are where every local address is
// resolved; whoever can write either adds `|command` aliases that run as sendmail's default user
// (KB SEC-048, STIG GEN004360/GEN004370/GEN004380: owned by root, group root, mode 0644 or less).
// What sendmail does (libsmutil/safefile.c, alias.c rebuildaliases(), map.c db_map_open()):
// newaliases refuses a group- or world-writable alias file (SFF_NOGWFILES/SFF_NOWWFILES) unless
// DontBlameSendmail has GroupWritableAliasFile/WorldWritableAliasFile; the .db is opened with
// neither check, so a writable aliases.db is used as it is. Checked with sendmail 8.17
// (tests/e2e/live_tree_test.cpp).
#include "rules/file_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    for_each_present(context, model::FileRole::AliasFile, [&](const model::ReferencedFile& file) {
        const model::FileStat& st = file.stat;
        const std::string mode = octal_mode(st.mode);
        if (group_writable(st) || world_writable(st)) {
            const bool allowed = world_writable(st)
                                     ? config.dont_blame_has("worldwritablealiasfile")
                                     : config.dont_blame_has("groupwritablealiasfile");
            report_file(out, file,
                        "the alias file " + file.named + " is " + writable_by(st) + " (mode " +
                            mode +
                            "): whoever can write it adds `|command` aliases that run "
                            "for any sender; " +
                            (allowed ? "DontBlameSendmail lets newaliases read it"
                                     : "newaliases refuses to read it (\"" +
                                           std::string(world_writable(st) ? "World" : "Group") +
                                           " writable file\"), so aliases.db goes stale"))
                .severity = Severity::High;
        } else if ((st.mode & ~0644u & 07777u) != 0) {
            report_file(out, file,
                        "the alias file " + file.named + " has mode " + mode +
                            ": the STIG asks for 0644 or less (GEN004380)")
                .severity = Severity::Medium;
        }
        if (st.uid != 0)
            report_file(out, file,
                        "the alias file " + file.named + " is " + not_root_owner(st) +
                            ", not root: its owner can add `|command` aliases (STIG GEN004360)")
                .severity = Severity::Medium;
        else if (st.gid != 0)
            report_file(out, file,
                        "the alias file " + file.named + " belongs to group " + group_of(st) +
                            ", not root (STIG GEN004370)")
                .severity = Severity::Low;
    });
    // Its owner is not judged: sendmail does not (db_map_open), and Debian's newaliases leaves
    // it to smmsp, TrustedUser there.
    report_writable(context, out, model::FileRole::AliasDatabase, "the alias database",
                    "sendmail looks aliases up in it without checking, so whoever can write it "
                    "adds `|command` aliases",
                    Severity::High);
}

extern const Rule kSM_S048 = {"SM-S048",
                              "alias-file-unsafe",
                              Pack::Security,
                              Severity::High,
                              8,
                              "The alias file or its database is writable by others or not "
                              "owned by root",
                              "chown root:root the alias file and its .db; chmod 0644 aliases, "
                              "0640 aliases.db",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
