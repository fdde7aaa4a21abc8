// SM-P010 timeouts-below-rfc-minimum: RFC 5321 4.5.3.2 sets how long an SMTP client waits for
// each reply and how long a server waits for its client; op.me's "Read timeouts" gives each
// Timeout.* option its RFC minimum. Below it sendmail gives up on slow but working peers: it
// tries the whole message again later, sends duplicates when the reply to the final dot comes
// late (RFC 1047), and as a server cuts off clients that pause (KB PERF-010). One finding lists
// every such timeout, with one fix that raises each to its minimum.
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

struct RfcMinimum {
    std::string_view name;
    long long minimum;     // seconds
    std::string_view what; // what sendmail waits for
    std::string_view fix;  // the minimum, as the fix writes it
    bool server = false;   // the daemon's wait for its client (op.me marks it ‡)
};

// op.me "Read timeouts" ([default, minimum]) and RFC 5321 4.5.3.2.1-7. Timeout.datablock is read
// by the daemon only (collect.c); op.me gives it the client's 3-minute data block minimum.
constexpr RfcMinimum kMinimums[] = {
    {"Timeout.initial", 5 * 60, "the greeting", "5m"},
    {"Timeout.mail", 5 * 60, "the reply to MAIL", "5m"},
    {"Timeout.rcpt", 5 * 60, "the reply to RCPT", "5m"},
    {"Timeout.datainit", 2 * 60, "the reply to DATA", "2m"},
    {"Timeout.datablock", 3 * 60, "each block of a message body from a client", "3m", true},
    {"Timeout.datafinal", 10 * 60, "the reply to the final dot", "10m"},
    {"Timeout.command", 5 * 60, "a client's next command", "5m", true},
};

struct Short {
    TimeoutValue timeout;
    const RfcMinimum* rfc;
    bool at_once; // a data block timeout of 0 is no wait at all (sm_io: SM_TIME_IMMEDIATE)
};

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    std::vector<Short> found;
    for (const RfcMinimum& rfc : kMinimums) {
        std::optional<TimeoutValue> value = read_timeout(context.config, rfc.name);
        if (!value) continue;
        // 0 or less is no limit for a reply or a command (sfgets()); for a data block the
        // daemon reads with a timeout of 0 ms: it gives up at once.
        const bool at_once = rfc.name == "Timeout.datablock" && value->seconds() == 0;
        if (at_once || (value->seconds() > 0 && value->seconds() < rfc.minimum))
            found.push_back({*value, &rfc, at_once});
    }
    if (found.empty()) return;

    std::string message = found.size() == 1 ? "" : "Timeouts below RFC 5321's minimums: ";
    bool client = false, server = false, duplicates = false, at_once = false;
    for (size_t i = 0; i < found.size(); ++i) {
        const Short& s = found[i];
        message += (i == 0 ? "" : "; ") + describe_timeout(s.timeout) +
                   " (RFC 5321: " + model::describe_seconds(s.rfc->minimum) + " for " +
                   std::string(s.rfc->what) + ")";
        (s.rfc->server ? server : client) = true;
        duplicates |= s.rfc->name == "Timeout.datafinal";
        at_once |= s.at_once;
    }
    std::vector<std::string> effects;
    if (client)
        effects.push_back("sendmail gives up on slow but working mail servers and tries the whole "
                          "message again later");
    if (duplicates)
        effects.push_back("a receiver still busy with the message after the final dot gets it "
                          "again (duplicates, RFC 1047)");
    if (at_once)
        effects.push_back("with a data block timeout of 0 the daemon gives up at once on a "
                          "message body that has not arrived yet, so clients' messages fail");
    else if (server)
        effects.push_back("the daemon cuts off clients that pause longer");
    message += ": ";
    for (size_t i = 0; i < effects.size(); ++i)
        message += (i == 0 ? "" : "; ") + effects[i];

    const Short& first = found.front();
    Diagnostic& d = report_at_timeout(out, context, first.timeout, std::move(message));
    // A late reply to the final dot costs a duplicate message, a data block timeout of 0 every
    // message: more than a retry.
    if (duplicates || at_once) d.severity = Severity::Medium;
    for (size_t i = 1; i < found.size(); ++i)
        add_timeout_note(d, context, found[i].timeout);

    Fix fix{"", true, {}};
    for (const Short& s : found) {
        std::vector<Edit> edits = timeout_edits(context, s.timeout, s.rfc->fix);
        if (edits.empty()) return; // one fix for all of them, or none
        fix.title += (fix.title.empty() ? "raise " : ", ") + s.timeout.name + " to " +
                     std::string(s.rfc->fix);
        fix.edits.insert(fix.edits.end(), edits.begin(), edits.end());
    }
    d.fix = std::move(fix);
}

extern const Rule kSM_P010 = {"SM-P010",
                              "timeouts-below-rfc-minimum",
                              Pack::Performance,
                              Severity::Low,
                              4,
                              "SMTP timeouts below RFC 5321's minimums: retries, duplicates and "
                              "cut-off clients",
                              "raise each timeout to its RFC 5321 minimum",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
