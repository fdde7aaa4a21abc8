// SM-C011 referenced-file-missing: a file the configuration names is not there (or lies behind a
// symbolic link that leaves --root), where sendmail then fails or silently does without it.
// What sendmail does without each, from its sources and checked where a test can
// (tests/e2e/live_tree_test.cpp): a queue directory missing, sendmail refuses to run ("can
// not chdir"); an F class file without -o, it exits 71 after "fileclass: cannot open"; TLS files
// missing, STARTTLS is not offered; the smrsh directory or an alias program missing, every
// `|command` delivery bounces; an :include: list missing, `sendmail -bv` says "Cannot open". Map
// and alias databases are SM-C008's (which tells an implicit alias class, read from its text when
// the .db is missing, from a hash: one); the help file is SM-S021's.
#include "rules/file_support.hpp"

namespace smaudit::rules {

namespace {

// What sendmail does without a file of this role; empty: no finding (it does not need it).
std::string_view without(model::FileRole role) {
    using R = model::FileRole;
    switch (role) {
    case R::AliasFile:
        return "newaliases has nothing to build the alias database from";
    case R::QueueDirectory:
        return "sendmail refuses to run at all (\"can not chdir\"): no mail is accepted, "
               "queued or sent";
    case R::ClassFile:
        return "sendmail refuses to run (\"fileclass: cannot open\", exit 71); add -o if the "
               "file is optional";
    case R::TlsCertificate:
    case R::TlsKey:
    case R::TlsCaFile:
    case R::TlsCaDirectory:
        return "sendmail does without STARTTLS, saying so only in its log";
    case R::SmrshDirectory:
        return "smrsh finds no program: every `|command` alias or .forward bounces";
    case R::AliasProgram:
        return "every message to this alias bounces";
    case R::IncludeList:
        return "sendmail cannot read the list when it expands the alias (`Cannot open ...: No "
               "such file or directory`), so the list's members get none of its mail";
    case R::SafeFileEnvironment:
        return "every delivery to a file fails";
    default:
        return {};
    }
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    if (!context.referenced || !context.referenced->inspected) return;
    for (const model::ReferencedFile& file : context.referenced->files) {
        if (file.presence == model::Presence::OutsideRoot) {
            report_file(out, file,
                        std::string(model::to_string(file.role)) + " " + file.named +
                            " is not checked: " + file.why +
                            " (not followed; in the image sendmail would open something else "
                            "than what this host holds there)");
            continue;
        }
        if (file.presence != model::Presence::Missing || file.optional) continue;
        const std::string_view consequence = without(file.role);
        if (consequence.empty()) continue;
        report_file(out, file,
                    std::string(model::to_string(file.role)) + " " + file.named +
                        " does not exist (" + file.source + "): " + std::string(consequence));
    }
}

extern const Rule kSM_C011 = {"SM-C011",
                              "referenced-file-missing",
                              Pack::Consistency,
                              Severity::Medium,
                              4,
                              "A file the configuration names is missing, or lies behind a link "
                              "that leaves --root",
                              "create the file (newaliases, mkdir the queue) or remove the "
                              "reference; make the link stay inside the tree",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
