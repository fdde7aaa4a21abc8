// SM-P018 queue-sorted-by-time: QueueSortOrder=Time runs the queue in submission order, which
// op.me calls "almost always a bad idea": bulk mail goes out ahead of small personal mail queued
// after it (KB PERF-018).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("QueueSortOrder");
    if (is_unset(option)) return; // sendmail's default, priority
    const model::OptionSetting& setting = option->settings.back();
    // readcf.c reads only the first character.
    if (setting.value.empty() || (setting.value[0] != 't' && setting.value[0] != 'T')) return;
    Diagnostic& d = out.report(
        setting.value_where,
        "QueueSortOrder is " + setting.value +
            ": queue runs take messages in the order they were submitted, not by priority, so "
            "a large mailing queued first goes out ahead of small personal mail queued after it",
        set_here(context, setting, "QueueSortOrder"));
    if (auto edits = set_value(context, setting, "QueueSortOrder", "priority"); !edits.empty())
        d.fix = Fix{"set QueueSortOrder to priority", true, std::move(edits)};
}

extern const Rule kSM_P018 = {"SM-P018",
                              "queue-sorted-by-time",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "QueueSortOrder is Time: bulk mail goes out ahead of personal mail",
                              "set QueueSortOrder to priority",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
