// SM-P020 queue-retried-too-often: a queue group whose I= runs it more often than every 30
// minutes, while neither MinQueueAge nor MaxQueueAge holds a tried message back for 30 minutes,
// so a message that cannot be delivered is tried again sooner than that
// (KB PERF-020; op.me "Queue Interval": RFC 1123 5.3.1.1, and RFC 5321 4.5.4.1, want at least
// 30 minutes between retries). The queue interval of sendmail's command line (-q, Debian's
// sendmail.conf) is no part of the files; a group's I= is.
#include "model/duration.hpp"
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

namespace smaudit::rules {

static constexpr long long kShortestRetry = 30 * 60; // RFC 1123 5.3.1.1 / RFC 5321 4.5.4.1

// A queue group with the interval its I= (Interval=) sets: queue.c reads it with convtime(p, 'm').
struct ShortGroup {
    const model::QueueGroupDef* group;
    long long interval;
};

// The time between two attempts on a message sendmail cannot deliver, in a group run every
// `interval`: the first run at which the message is old enough. A hold shorter than the interval
// holds nothing back; otherwise the retry comes at the run after the hold, about `hold` later.
static long long retry_gap(long long interval, long long hold) {
    return std::max(interval, hold);
}

static void check(const RuleContext& context, Emitter& out) {
    // What holds a tried message back (queue.c gatherq()/readqf()): MinQueueAge, the time since
    // its last attempt; with MaxQueueAge set, a retry time that doubles with each attempt up to
    // MaxQueueAge.
    const std::optional<TimeoutValue> min_age = read_timeout(context.config, "MinQueueAge");
    const std::optional<TimeoutValue> max_age = read_timeout(context.config, "MaxQueueAge");
    const bool backs_off = max_age && max_age->seconds() > 0;
    const long long hold =
        std::max(min_age ? min_age->seconds() : 0, backs_off ? max_age->seconds() : 0);
    std::vector<ShortGroup> groups;
    for (const model::QueueGroupDef& group : context.config.queue_groups) {
        auto field = group.fields.find('I');
        if (field == group.fields.end()) continue; // run at the command line's -q interval
        const long long interval = model::read_duration(field->second, 'm').seconds;
        // 0 or less: no interval of its own (the -q one applies).
        if (interval <= 0 || retry_gap(interval, hold) >= kShortestRetry) continue;
        groups.push_back({&group, interval});
    }
    if (groups.empty()) return;
    // One finding, at the first such group: one MinQueueAge serves them all, so the fixes of a
    // report stay one edit.
    const ShortGroup& first = groups.front();
    std::vector<std::string> others;
    for (size_t i = 1; i < groups.size(); ++i)
        others.push_back(groups[i].group->name + " every " +
                         model::describe_seconds(groups[i].interval));
    const std::string named = others.empty() ? "" : "; " + word_list(others);
    std::string held = !min_age || min_age->seconds() <= 0
                           ? "MinQueueAge is not set (sendmail's default 0)"
                           : "MinQueueAge is " + min_age->value.describe();
    if (backs_off) held += " and MaxQueueAge caps the back-off at " + max_age->value.describe();
    const std::string retried =
        hold < first.interval
            ? "at every run of the group, every " + model::describe_seconds(first.interval)
            : "about every " + model::describe_seconds(hold);
    Diagnostic& d = out.report(
        first.group->where,
        "queue group " + first.group->name + " is run every " +
            model::describe_seconds(first.interval) + " (I=" + named + "), and " + held +
            ", so whenever sendmail runs its queues (-q) a message that cannot be delivered is "
            "tried again " +
            retried +
            "; RFC 5321 4.5.4.1 asks for at least 30 minutes between retries, and each retry of a "
            "dead host waits out the connect timeout in a queue runner",
        "queue group " + first.group->name + " is declared here");
    if (min_age && min_age->setting != nullptr) add_timeout_note(d, context, *min_age);
    // Unsafe: every queued message is then tried at most every 30 minutes, in every queue
    // group; new mail is not held (a message never tried is run at once).
    if (min_age)
        if (auto edits = timeout_edits(context, *min_age, "30m"); !edits.empty())
            d.fix = Fix{"set MinQueueAge to 30m", false, std::move(edits)};
}

extern const Rule kSM_P020 = {"SM-P020",
                              "queue-retried-too-often",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "a queue group runs more often than every 30 minutes and neither "
                              "MinQueueAge nor MaxQueueAge spaces retries 30 minutes apart",
                              "set MinQueueAge to 30m",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
