// SM-S053 no-safe-file-environment: without SafeFileEnvironment, deliveries to files (`/path`
// entries of aliases, :include: and .forward files) may write any file the delivering user can
// write, devices and FIFOs included; with it, sendmail chroots into that directory and writes
// regular files only (KB SEC-053; op.me SafeFileEnvironment; deliver.c mailfile()).
#include "rules/map_support.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// The first alias that delivers to a file, as "`name` (/path)"; empty when none does.
std::string first_file_alias(const RuleContext& context) {
    std::string found;
    for_each_alias_target(context, [&](const ast::AliasesFile& aliases,
                                       const ast::AliasEntry& entry,
                                       const ast::AliasTarget& target) {
        if (found.empty() && target.kind == ast::AliasTargetKind::File)
            found = "`" + std::string(aliases.name(entry)) + "` (" + target.unquoted + ")";
    });
    return found;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // RunAsUser cannot chroot: the two do not go together (op.me RunAsUser), SM-S054 says so.
    if (run_as_non_root(config) != nullptr) return;
    const model::OptionValue* option = config.option("SafeFileEnvironment");
    const bool unset = is_unset(option);
    if (!unset && !option->settings.back().value.empty()) return;

    std::string file_alias = first_file_alias(context);
    std::string message =
        (unset ? std::string("SafeFileEnvironment not set") : "SafeFileEnvironment is empty") +
        ": deliveries to files (`/path` entries of aliases, :include: and .forward files) may "
        "write any file their user can write, device files and FIFOs included; set, it "
        "confines them to regular files under that directory";
    if (!file_alias.empty()) message += "; the alias " + file_alias + " delivers to a file";
    Diagnostic& d =
        unset ? out.report_default(std::move(message))
              : out.report(option->settings.back().value_where, std::move(message),
                           set_here(context, option->settings.back(), "SafeFileEnvironment"));
    if (!file_alias.empty()) d.severity = Severity::Medium;
    // `/` keeps every path where it is and only refuses what is not a regular file; still
    // unsafe, since a delivery to such a file (a FIFO) stops working.
    const std::string title = "set SafeFileEnvironment to / (regular files only)";
    if (unset) {
        if (auto edit = insert_option_line(context, "SafeFileEnvironment", "/"))
            d.fix = Fix{title, false, {*edit}};
    } else if (auto edits = set_value(context, option->settings.back(), "SafeFileEnvironment", "/");
               !edits.empty()) {
        d.fix = Fix{title, false, std::move(edits)};
    }
}

} // namespace

extern const Rule kSM_S053 = {"SM-S053",
                              "no-safe-file-environment",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "SafeFileEnvironment is not set: file deliveries are not confined",
                              "set SafeFileEnvironment",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
