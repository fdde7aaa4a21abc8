// SM-S047 include-alias-target: `:include:/path` reads more targets from a file at delivery time;
// whoever can write that file (or a directory above it) controls the list, including program
// and file targets (KB SEC-047).
#include "rules/map_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
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
