// SM-S045 program-alias-target: `|command` targets run a program for every message anyone sends
// to the alias, as DefaultUser (KB SEC-045). A review finding; shell metacharacters make it
// worse, since the prog mailer hands the command to /bin/sh -c.
#include "rules/map_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (target.kind != ast::AliasTargetKind::Program) return;
        std::string_view command = target.unquoted;
        bool shell = command.find_first_of(";&`$><") != std::string_view::npos;
        Diagnostic& d = out.report(
            at(aliases.file, target.span),
            "alias `" + std::string(aliases.name(entry)) + "` runs `" + std::string(command) +
                "` for every message sent to it" +
                (shell ? " (with shell metacharacters: the command line goes to /bin/sh)" : "") +
                "; check the program, its owner and mode, and smrsh",
            "runs a program");
        if (shell) d.severity = Severity::High;
    });
}

extern const Rule kSM_S045 = {"SM-S045",
                              "program-alias-target",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "An alias pipes mail to a program",
                              "review the program; run it through smrsh or a vetted script",
                              FixKind::None,
                              &check,
                              Rule::Scope::Maps};

} // namespace smaudit::rules
