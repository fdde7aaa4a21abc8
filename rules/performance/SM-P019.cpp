// SM-P019 small-queue-run-size: a queue run stops reading a queue directory after
// MaxQueueRunSize entries, taken in directory order before any sorting, so once more are queued
// the ones that fall late in the directory are left out of run after run (KB PERF-019).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static constexpr long long kSmall = 1000; // the catalog's threshold

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("MaxQueueRunSize");
    if (is_unset(option)) return; // sendmail's default, 0: no limit
    const model::OptionSetting& setting = option->settings.back();
    const long long size = leading_integer(setting.value); // readcf.c: atoi()
    if (size <= 0 || size >= kSmall) return;
    const std::string count = std::to_string(size);
    Diagnostic& d = out.report(
        setting.value_where,
        describe_number("MaxQueueRunSize", setting.value, size, " is ") +
            ": a queue run reads only the first " + count +
            " entries of each queue directory, in directory order, and sorts those by "
            "priority; when more are queued, messages that fall late in the directory are "
            "left out of run after run however urgent they are, and mailq lists only " +
            count + " entries per queue group",
        set_here(context, setting, "MaxQueueRunSize"));
    // Unsafe: without a limit each run reads the whole queue into memory, which op.me warns
    // "could be unstable" with very large queues.
    if (auto edits = set_value(context, setting, "MaxQueueRunSize", "0"); !edits.empty())
        d.fix =
            Fix{"set MaxQueueRunSize to 0 (no limit, sendmail's default)", false, std::move(edits)};
}

extern const Rule kSM_P019 = {"SM-P019",
                              "small-queue-run-size",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "MaxQueueRunSize is below 1000: queue runs leave out messages late "
                              "in the queue directory",
                              "set MaxQueueRunSize to 0 (no limit)",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
