// SM-P016 connection-cache-misconfigured: ConnectionCacheSize 0 closes every SMTP connection
// after one message (and makes sendmail turn off HostStatusDirectory); above 4 the cache holds
// file descriptors op.me advises against; ConnectionCacheTimeout above 10 minutes keeps idle
// connections open at the other end (KB PERF-016).
#include "rules/queue_support.hpp"
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

namespace smaudit::rules {

static constexpr long long kPracticalMaximum = 4;  // op.me ConnectionCacheSize
static constexpr long long kLongestIdle = 10 * 60; // op.me: "on the order of ten minutes"

static void check_size(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("ConnectionCacheSize");
    if (is_unset(option)) return; // sendmail's default, 1
    const model::OptionSetting& setting = option->settings.back();
    const long long size = connection_cache_size(context.config);
    std::string shown = describe_number("ConnectionCacheSize", setting.value,
                                        leading_integer(setting.value), " is ");
    std::string message, replacement;
    if (size == 0) {
        message = shown + ": sendmail closes each SMTP connection as soon as it has delivered "
                          "one message, so a queue run connects to a host anew for every "
                          "message it holds for it";
        if (const model::OptionSetting* directory = host_status_directory(context.config))
            message += ", and sendmail turns off the HostStatusDirectory set to " +
                       directory->value +
                       " (\"HostStatusDirectory disabled with ConnectionCacheSize = 0\"), so "
                       "its processes no longer share which hosts are down";
        replacement = "2"; // what cfhead.m4 writes
    } else if (size > kPracticalMaximum) {
        message = shown + ": every cached connection holds a file descriptor in each delivering "
                          "process until it idles out; op.me calls 4 a practical maximum";
        replacement = "4";
    } else {
        return;
    }
    Diagnostic& d = out.report(setting.value_where, std::move(message),
                               set_here(context, setting, "ConnectionCacheSize"));
    if (size == 0)
        if (const model::OptionSetting* directory = host_status_directory(context.config))
            d.notes.push_back(
                Label{directory->value_where,
                      set_here(context, *directory, "HostStatusDirectory") + " (turned off)"});
    if (auto edits = set_value(context, setting, "ConnectionCacheSize", replacement);
        !edits.empty())
        d.fix = Fix{"set ConnectionCacheSize to " + replacement, true, std::move(edits)};
}

static void check_timeout(const RuleContext& context, Emitter& out) {
    std::optional<TimeoutValue> idle = read_timeout(context.config, "ConnectionCacheTimeout");
    if (!idle || idle->is_default() || idle->seconds() <= kLongestIdle) return;
    Diagnostic& d = out.report(timeout_where(*idle),
                               describe_timeout(*idle) +
                                   ": a cached connection may sit idle that long, holding a "
                                   "process and a connection slot on the receiving server; "
                                   "op.me asks for about ten minutes at most",
                               timeout_label(context, *idle));
    if (auto edits = timeout_edits(context, *idle, "5m"); !edits.empty())
        d.fix = Fix{"set ConnectionCacheTimeout to 5m", true, std::move(edits)};
}

static void check(const RuleContext& context, Emitter& out) {
    check_size(context, out);
    check_timeout(context, out);
}

extern const Rule kSM_P016 = {"SM-P016",
                              "connection-cache-misconfigured",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "ConnectionCacheSize is 0 or above 4, or ConnectionCacheTimeout is "
                              "above 10 minutes",
                              "set ConnectionCacheSize to 2 (4 at most) and ConnectionCacheTimeout "
                              "to 5m",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
