// SM-S056 critical-file-writable: the files and directories sendmail trusts — its .cf, the
// queue, the maps and class files it reads, the directories that hold them — writable or (the
// queue) readable by others (KB SEC-056). sendmail reads a group- or world-writable .cf with a
// mere "WARNING: dangerous write permissions" (readcf.c), and a writable map lets its writer
// relay (access), reroute (mailertable, virtusertable) or read mail (the queue).
#include "rules/file_support.hpp"

#include <set>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    report_writable(context, out, model::FileRole::ConfigFile, "the configuration",
                    "sendmail only warns \"dangerous write permissions\" and loads it, so whoever "
                    "can write it runs any program as root (a new Mprog line)",
                    Severity::Critical);
    report_writable(context, out, model::FileRole::MapDatabase, "the map",
                    "sendmail looks keys up in it as it is, so whoever can write it decides who "
                    "may relay or where mail goes",
                    Severity::High);
    report_writable(context, out, model::FileRole::MapSource, "the map source",
                    "whoever can write it puts their entries into the database at the next "
                    "makemap",
                    Severity::High);
    report_writable(context, out, model::FileRole::ClassFile, "the class file",
                    "whoever can write it adds names sendmail treats as its own or relays for",
                    Severity::High);
    report_writable(context, out, model::FileRole::HelpFile, "the help file",
                    "whoever can write it decides what HELP tells every client", Severity::Medium);
    report_writable(context, out, model::FileRole::StatusFile, "the statistics file",
                    "whoever can write it can fill the disk or falsify the statistics",
                    Severity::Medium);
    report_writable(context, out, model::FileRole::PidFile, "the pid file",
                    "whoever can write it decides which process a restart script signals",
                    Severity::Medium);
    for_each_present(
        context, model::FileRole::QueueDirectory, [&](const model::ReferencedFile& file) {
            // Readable by its group alone is how Debian shares it with smmsp (2750
            // root:smmsp): not reported.
            const bool writable = group_writable(file.stat) || world_writable(file.stat);
            if (!writable && !world_readable(file.stat)) return;
            report_file(out, file,
                        "the queue directory " + file.named + " has mode " +
                            octal_mode(file.stat.mode) +
                            (writable ? ": others can plant or remove queued "
                                        "messages"
                                      : ": every local user can list the queued "
                                        "messages' files") +
                            " (sendmail's own queue should be 0700)")
                .severity = writable ? Severity::High : Severity::Medium;
        });
    // Each directory on the way to a file sendmail trusts, once: safedirpath() refuses maps,
    // class files, TLS files and the help file under a writable one.
    std::set<std::string> reported;
    if (!context.referenced || !context.referenced->inspected) return;
    for (const model::ReferencedFile& file : context.referenced->files) {
        if (file.presence != model::Presence::Present) continue;
        if (file.role == model::FileRole::ForwardDirectory ||
            file.role == model::FileRole::SafeFileEnvironment ||
            file.role == model::FileRole::PidFile || file.role == model::FileRole::StatusFile ||
            file.role == model::FileRole::QueueDirectory)
            continue; // directories sendmail does not walk with safedirpath()
        std::optional<std::string> unsafe = unsafe_directory(file, context.config);
        if (!unsafe || !reported.insert(*unsafe).second) continue;
        report_file(out, file,
                    *unsafe + ", above " + std::string(model::to_string(file.role)) + " " +
                        file.named +
                        ": whoever can write it can replace what sendmail reads there, and "
                        "sendmail refuses maps, class files and TLS files below it")
            .severity = Severity::High;
    }
}

extern const Rule kSM_S056 = {"SM-S056",
                              "critical-file-writable",
                              Pack::Security,
                              Severity::High,
                              8,
                              "A file or directory sendmail trusts is writable by others",
                              "chmod go-w the file or directory (the queue: chmod 0700)",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
