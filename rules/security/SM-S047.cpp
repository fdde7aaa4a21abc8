// SM-S047 include-alias-target: `:include:/path` reads more targets from a file at delivery time;
// whoever can write that file (or a directory above it) controls the list, including program
// and file targets (KB SEC-047).
// With --root or on the live tree, the list file itself is judged as sendmail's include()
// judges it (recipient.c, safefile()), each checked with sendmail -bv in
// tests/e2e/live_tree_test.cpp: a group-writable list is refused ("Cannot open ...: Group
// writable file") unless DontBlameSendmail GroupWritableIncludeFile, a world-writable one unless
// WorldWritableIncludeFile too; read despite that, its program and file lines are refused
// ("unsafe for mailing to programs"). A list below a group- or world-writable directory is
// refused likewise (GroupWritableDirPathSafe, IncludeFileInUnsafeDirPath). A list owned by
// another user is read, and its programs run as that user.
#include "rules/file_support.hpp"
#include "rules/map_support.hpp"

namespace smaudit::rules {

namespace {

void judge_list_file(const RuleContext& context, Emitter& out, const model::ReferencedFile& file) {
    const model::Config& config = context.config;
    const model::FileStat& st = file.stat;
    const bool group_w = group_writable(st), world_w = world_writable(st);
    if (group_w || world_w) {
        // safefile() tests the group bit first: 0666 is "Group writable" without
        // GroupWritableIncludeFile, "World writable" with it alone.
        const bool group_refused = group_w && !config.dont_blame_has("groupwritableincludefile");
        const bool refused =
            group_refused || (world_w && !config.dont_blame_has("worldwritableincludefile"));
        report_file(out, file,
                    "the include list " + file.named + " (" + file.source + ") is " +
                        writable_by(st) + " (mode " + octal_mode(st.mode) + "): " +
                        (refused ? "sendmail refuses to read it (`Cannot open " + file.named +
                                       ": " + (group_refused ? "Group" : "World") +
                                       " writable file`), so the list gets none of the "
                                       "alias's mail"
                                 : "DontBlameSendmail lets sendmail read it, so whoever can "
                                   "write it decides where the alias's mail goes (sendmail "
                                   "refuses its program and file lines)"))
            .severity = refused ? Severity::Medium : Severity::High;
        return;
    }
    if (std::optional<std::string> directory = unsafe_directory(file, config)) {
        const bool read_anyway = config.dont_blame_has("includefileinunsafedirpath");
        report_file(out, file,
                    "the include list " + file.named + " (" + file.source + ") lies below an " +
                        "unsafe directory: " + *directory + "; " +
                        (read_anyway
                             ? "DontBlameSendmail IncludeFileInUnsafeDirPath lets sendmail read "
                               "it, so whoever can write there decides where the alias's mail "
                               "goes"
                             : "sendmail refuses to read it, so the list gets none of the "
                               "alias's mail"))
            .severity = read_anyway ? Severity::High : Severity::Medium;
        return;
    }
    if (st.uid != 0)
        report_file(out, file,
                    "the include list " + file.named + " (" + file.source + ") is " +
                        not_root_owner(st) +
                        ": that user decides where the alias's mail goes, and the programs and "
                        "files it names are run and written as that user")
            .severity = Severity::Low;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    for_each_present(context, model::FileRole::IncludeList, [&](const model::ReferencedFile& file) {
        judge_list_file(context, out, file);
    });
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (target.kind != ast::AliasTargetKind::Include) return;
        out.report(at(aliases.file, target.span),
                   "alias `" + std::string(aliases.name(entry)) + "` reads its targets from `" +
                       std::string(target.unquoted) +
                       "` at delivery: whoever can write that file or a directory above "
                       "it decides where the mail goes, programs included",
                   "list read from a file");
    });
}

extern const Rule kSM_S047 = {"SM-S047",
                              "include-alias-target",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "An alias reads its targets from an :include: file",
                              "keep the file and its directories root-owned and not group/world "
                              "writable, with no | or / targets",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
