// SM-P021 queue-runners-not-forked: a queue group with R= above 1 but no `f` in F= gets one
// queue runner, not R: without the flag sendmail's queue run does the group's work in its own
// process instead of forking R runners that share it, and warns at start (KB PERF-021).
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    for (const model::QueueGroupDef& group : context.config.queue_groups) {
        auto runners = group.fields.find('R');
        if (runners == group.fields.end()) continue;
        const long long count = leading_integer(runners->second); // queue.c: atoi()
        if (count <= 1) continue;
        auto flags = group.fields.find('F');
        if (flags != group.fields.end() && flags->second.find('f') != std::string::npos) continue;
        const std::string n = std::to_string(count);
        out.report(group.where,
                   "queue group " + group.name + " asks for " + n + " queue runners (R=" + n +
                       ") but has no `f` in its flags (F=): sendmail warns at start "
                       "(\"multiple queue runners specified but flag 'f' is not set\") and its "
                       "queue runs do not fork runners, so one process works through the "
                       "group's queue alone",
                   "queue group " + group.name + " is declared here");
    }
}

extern const Rule kSM_P021 = {"SM-P021",
                              "queue-runners-not-forked",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "a queue group asks for several runners (R=) without F=f: one "
                              "runner works alone",
                              "add f to the queue group's F= flags, or set R=1",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
