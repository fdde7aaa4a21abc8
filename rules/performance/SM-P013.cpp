// SM-P013 resolver-retries-too-long: Timeout.resolver.retrans is how long the resolver waits for
// an answer before asking again, Timeout.resolver.retry how many times it asks (main.c copies
// them into _res; unset, the resolver library's own values apply: glibc 5 s and 2 tries, or what
// resolv.conf says). Each lookup that gets no answer holds an SMTP session or a delivery for all
// the tries: with several DNS blocklists, clients give up before the greeting (KB PERF-013).
// Sendmail keeps three values of each: the plain option's for lookups during SMTP sessions,
// .first's for a message's first delivery attempt, .normal's for queue runs; the plain option
// sets all three.
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

#include <set>

namespace smaudit::rules {

namespace {

constexpr long long kLongestRetrans = 10; // seconds
constexpr long long kMostRetries = 4;

// The resolver option in effect, as the line that set it names it (a class that took its value
// from the line without a class is that line's option); null when unset (the library's value).
const model::OptionValue* as_written(const model::Config& config, std::string_view base,
                                     std::string_view cls) {
    const model::OptionValue* value =
        config.option(cls.empty() ? std::string(base) : std::string(base) + "." + std::string(cls));
    const model::OptionValue* parent = config.option(base);
    if (is_unset(value)) return nullptr;
    if (value != parent && !is_unset(parent) &&
        parent->settings.back().where.span.begin == value->settings.back().where.span.begin &&
        parent->settings.back().where.file == value->settings.back().where.file &&
        parent->settings.back().value == value->settings.back().value)
        return parent;
    return value;
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // What each too-large setting is, in the order found; one finding lists them all.
    std::vector<TimeoutValue> long_waits;
    std::vector<const model::OptionValue*> many_tries;
    std::set<const model::OptionValue*> seen;
    long long wait = 0, tries = 0;
    for (std::string_view cls : {"", "first", "normal"}) {
        if (const model::OptionValue* retrans = as_written(config, "Timeout.resolver.retrans", cls);
            retrans && seen.insert(retrans).second) {
            std::optional<TimeoutValue> t = read_timeout(config, retrans->name);
            if (t && t->seconds() > kLongestRetrans) {
                long_waits.push_back(*t);
                wait = std::max(wait, t->seconds());
            }
        }
        if (const model::OptionValue* retry = as_written(config, "Timeout.resolver.retry", cls);
            retry && seen.insert(retry).second) {
            // A count, read with atoi().
            long long n = leading_integer(retry->value);
            if (n > kMostRetries) {
                many_tries.push_back(retry);
                tries = std::max(tries, n);
            }
        }
    }
    if (long_waits.empty() && many_tries.empty()) return;

    std::vector<std::pair<Location, std::string>> places; // where, label
    std::string listed;
    auto add = [&](const std::string& shown, Location where, std::string label) {
        listed += (listed.empty() ? "" : ", ") + shown;
        places.emplace_back(where, std::move(label));
    };
    for (const TimeoutValue& t : long_waits)
        add(describe_timeout(t), timeout_where(t), timeout_label(context, t));
    for (const model::OptionValue* retry : many_tries) {
        const model::OptionSetting& s = retry->settings.back();
        add(describe_number(retry->name, s.value, leading_integer(s.value), " is "),
            s.value_where.valid() ? s.value_where : s.where, set_here(context, s, retry->name));
    }
    // The worst case sendmail's settings make: every try waits at least `retrans` (glibc doubles
    // the wait at each try); the other factor is the library's when only one is set.
    std::string cost;
    if (wait > 0 && tries > 0)
        cost = std::to_string(tries) + " tries of at least " + model::describe_seconds(wait) +
               " each, " + model::describe_seconds(tries * wait) + " or more";
    else if (wait > 0)
        cost = "each try waits " + model::describe_seconds(wait) + " or more";
    else
        cost = std::to_string(tries) + " tries";
    std::string message = listed +
                          ": a DNS lookup that gets no answer holds the SMTP session or "
                          "delivery waiting for it for " +
                          cost +
                          " (the resolver library asks 2 times 5 seconds by default); clients "
                          "and queue runners wait behind every unanswered blocklist or MX lookup";
    Diagnostic& d = out.report(places.front().first, std::move(message), places.front().second);
    for (size_t i = 1; i < places.size(); ++i)
        d.notes.push_back(Label{places[i].first, places[i].second});

    Fix fix{"", false, {}};
    auto add_fix = [&](const model::OptionValue& option, std::string_view value) {
        std::optional<TimeoutValue> t = read_timeout(config, option.name);
        std::vector<Edit> edits;
        if (t) {
            edits = timeout_edits(context, *t, value);
        } else if (!is_unset(&option)) { // Timeout.resolver.retry*: no duration, its own line
            edits = set_value(context, option.settings.back(), option.name, value);
        }
        fix.title +=
            (fix.title.empty() ? "set " : ", ") + option.name + " to " + std::string(value);
        fix.edits.insert(fix.edits.end(), edits.begin(), edits.end());
        return !edits.empty();
    };
    for (const TimeoutValue& t : long_waits)
        if (!add_fix(*config.option(t.name), "5s")) return;
    for (const model::OptionValue* retry : many_tries)
        if (!add_fix(*retry, "2")) return;
    d.fix = std::move(fix);
}

extern const Rule kSM_P013 = {"SM-P013",
                              "resolver-retries-too-long",
                              Pack::Performance,
                              Severity::Low,
                              3,
                              "Resolver retransmission time or retry count make an unanswered DNS "
                              "lookup hold a session or delivery for minutes",
                              "set Timeout.resolver.retrans to 5s and Timeout.resolver.retry to 2",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
