// SM-P012 queue-timeouts-out-of-range: how long a message may wait in the queue before it is
// returned to its sender (Timeout.queuereturn*), and when the sender is warned of the delay
// (Timeout.queuewarn*), per precedence class (KB PERF-012; op.me "Message timeouts").
// sendmail keeps one value per class (normal, urgent, non-urgent, dsn); a line without a class
// sets them all, so each finding points at the line that gave the value, once.
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

#include <set>

namespace smaudit::rules {

namespace {

constexpr long long kHour = 3600, kDay = 24 * kHour;
constexpr std::string_view kClasses[] = {"normal", "urgent", "non-urgent", "dsn"};

// The class's value, named as the line that set it names it: a class that took its value from
// the line without a class is reported as that line's option ("Timeout.queuereturn").
TimeoutValue as_written(const model::Config& config, std::string_view base, TimeoutValue value) {
    std::optional<TimeoutValue> parent = read_timeout(config, base);
    if (!parent) return value;
    if (value.is_default() && parent->is_default()) return *parent;
    if (!value.is_default() && !parent->is_default() && value.setting->value_where.valid() &&
        value.setting->value_where.file == parent->setting->value_where.file &&
        value.setting->value_where.span.begin == parent->setting->value_where.span.begin &&
        value.setting->value == parent->setting->value)
        return *parent;
    return value;
}

class Checker {
  public:
    Checker(const RuleContext& context, Emitter& out) : context_(context), out_(out) {}

    void run() {
        for (std::string_view cls : kClasses) {
            std::optional<TimeoutValue> ret = value("Timeout.queuereturn", cls);
            std::optional<TimeoutValue> warn = value("Timeout.queuewarn", cls);
            if (ret) check_return(*ret, cls);
            if (warn) check_warning(*warn, ret, cls);
        }
    }

  private:
    std::optional<TimeoutValue> value(std::string_view base, std::string_view cls) {
        std::optional<TimeoutValue> v =
            read_timeout(context_.config, std::string(base) + "." + std::string(cls));
        if (!v) return v;
        return as_written(context_.config, base, *v);
    }

    // One finding per kind and line (or default): the classes of one line share it.
    bool first_time(std::string_view kind, const TimeoutValue& timeout) {
        Location at = timeout_where(timeout);
        std::string key = std::string(kind) + "|" + timeout.name + "|" + std::to_string(at.file) +
                          ":" + std::to_string(at.span.begin);
        return reported_.insert(key).second;
    }

    Diagnostic& report(const TimeoutValue& timeout, std::string message, Severity severity) {
        Diagnostic& d = report_at_timeout(out_, context_, timeout, std::move(message));
        d.severity = severity;
        return d;
    }

    void fix(Diagnostic& d, const TimeoutValue& timeout, std::string_view value, bool safe) {
        if (auto edits = timeout_edits(context_, timeout, value); !edits.empty())
            d.fix =
                Fix{"set " + timeout.name + " to " + std::string(value), safe, std::move(edits)};
    }

    void check_return(const TimeoutValue& ret, std::string_view cls) {
        const std::string shown = describe_timeout(ret);
        if (ret.value.now) {
            if (!first_time("now", ret)) return;
            Diagnostic& d = report(ret,
                                   shown + ": `now` returns every message of the class to its "
                                           "sender without trying to deliver it; it is meant "
                                           "for flushing a queue from the command line "
                                           "(sendmail -qI -O Timeout.queuereturn=now)",
                                   Severity::High);
            fix(d, ret, "5d", true);
        } else if (ret.seconds() <= 0) {
            if (!first_time("zero", ret)) return;
            Diagnostic& d = report(ret,
                                   shown + ": every message that is not delivered at its first "
                                           "attempt is returned to its sender at once, not "
                                           "retried",
                                   Severity::Medium);
            fix(d, ret, "5d", true);
        } else if (cls == "normal" && ret.seconds() < 4 * kDay) {
            if (!first_time("short", ret)) return;
            Diagnostic& d = report(ret,
                                   shown + ", less than the 4 to 5 days RFC 1123 (5.3.1.1) asks "
                                           "for: mail to a site that is down over a long "
                                           "weekend is returned to its senders",
                                   Severity::Low);
            fix(d, ret, "5d", true);
        } else if (ret.seconds() > 7 * kDay) {
            if (!first_time("long", ret)) return;
            Diagnostic& d = report(ret,
                                   shown + ": undeliverable messages stay in the queue, and "
                                           "every queue run tries them again, for more than a "
                                           "week before their senders learn of it",
                                   Severity::Low);
            fix(d, ret, "5d", false); // messages are returned sooner than today
        }
    }

    void check_warning(const TimeoutValue& warn, const std::optional<TimeoutValue>& ret,
                       std::string_view cls) {
        const std::string shown = describe_timeout(warn);
        if (warn.value.now) {
            if (!first_time("now", warn)) return;
            Diagnostic& d =
                report(warn,
                       shown + ": `now` (-1) is meant for the command line; here it turns delay "
                               "warnings off, as 0 does",
                       Severity::Low);
            fix(d, warn, "4h", true);
        } else if (warn.seconds() <= 0) {
            // An explicit 0 is a choice (delay warnings to forged senders are backscatter);
            // only the compiled-in default of a raw .cf is worth a word.
            if (!warn.is_default() || cls != "normal" || !first_time("off", warn)) return;
            Diagnostic& d = report(warn,
                                   shown + ": senders are never told that a message is delayed, "
                                           "only that it was returned days later (m4-generated "
                                           "configurations set 4h)",
                                   Severity::Info);
            fix(d, warn, "4h", false); // new warning messages, also to forged senders
        } else if (ret && ret->seconds() > 0 && !ret->value.now &&
                   warn.seconds() >= ret->seconds()) {
            if (!first_time("late", warn)) return;
            Diagnostic& d = report(warn,
                                   shown + ", not less than " + describe_timeout(*ret) +
                                       ": the message is returned before the delay warning is "
                                       "due, so senders are never warned",
                                   Severity::Low);
            if (!ret->is_default())
                d.notes.push_back({timeout_where(*ret), timeout_label(context_, *ret)});
            if (ret->seconds() > 4 * kHour) fix(d, warn, "4h", true);
        }
    }

    const RuleContext& context_;
    Emitter& out_;
    std::set<std::string> reported_;
};

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    Checker(context, out).run();
}

extern const Rule kSM_P012 = {"SM-P012",
                              "queue-timeouts-out-of-range",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "Queue return or warning times that bounce mail too soon, keep it "
                              "too long or never warn",
                              "set Timeout.queuereturn to 5d and Timeout.queuewarn to 4h",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
