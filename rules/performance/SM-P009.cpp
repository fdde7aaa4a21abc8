// SM-P009 server-timeouts-too-long: while the daemon waits for a client's next command, for the
// next block of a message body, or for a TLS handshake to finish, the client holds a daemon
// child. With sendmail's defaults (1 hour each) a few clients that connect and go quiet hold
// slots for an hour; with MaxDaemonChildren set they can take every slot (KB PERF-009).
#include "rules/rule_support.hpp"
#include "rules/timeout_support.hpp"

#include <algorithm>

namespace smaudit::rules {

namespace {

struct ServerTimeout {
    std::string_view name;
    long long longest; // seconds; more is too long
    std::string_view fix;
};

// Timeout.auth is no server timeout (only usersmtp.c reads it, for the replies of a server),
// whatever the catalog says; Timeout.starttls is, for the handshake after STARTTLS (srvrsmtp.c).
constexpr ServerTimeout kServerTimeouts[] = {
    {"Timeout.command", 5 * 60, "5m"}, // RFC 5321 4.5.3.2.7: a server waits 5 minutes
    {"Timeout.datablock", 10 * 60, "10m"},
    {"Timeout.starttls", 5 * 60, "5m"},
};

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // Without a server certificate sendmail offers no STARTTLS, and its timeout is the client's.
    const bool offers_starttls = !is_unset(config.option("ServerCertFile"));
    std::vector<TimeoutValue> too_long;
    for (const ServerTimeout& timeout : kServerTimeouts) {
        if (timeout.name == "Timeout.starttls" && !offers_starttls) continue;
        std::optional<TimeoutValue> value = read_timeout(config, timeout.name);
        // Only Timeout.command reads 0 as "no limit" (sfgets()); 0 for a data block or a
        // handshake means "give up at once", SM-P010's business.
        if (value && (value->seconds() > timeout.longest ||
                      (timeout.name == "Timeout.command" && value->seconds() <= 0)))
            too_long.push_back(*value);
    }
    if (too_long.empty()) return;

    std::string listed, waits;
    long long longest = 0;
    bool forever = false;
    for (size_t i = 0; i < too_long.size(); ++i) {
        const std::string separator = i == 0 ? "" : i + 1 == too_long.size() ? " and " : ", ";
        listed += separator + describe_timeout(too_long[i]);
        const std::string_view name = too_long[i].name;
        waits += (i == 0                     ? ""
                  : i + 1 == too_long.size() ? " or "
                                             : ", ") +
                 std::string(name == "Timeout.command"     ? "for its next command"
                             : name == "Timeout.datablock" ? "in the middle of a message body"
                                                           : "in a TLS handshake");
        if (too_long[i].seconds() <= 0)
            forever = true;
        else
            longest = std::max(longest, too_long[i].seconds());
    }
    std::string hold = forever ? "for as long as it likes (a Timeout.command of 0 or less is no "
                                 "limit)"
                               : "for up to " + model::describe_seconds(longest);
    std::string message =
        listed + ": a client that goes quiet " + waits + " keeps its daemon child " + hold;
    const bool restarts = std::any_of(too_long.begin(), too_long.end(),
                                      [](const auto& t) { return t.name != "Timeout.starttls"; });
    if (restarts)
        message += ", and the wait starts again at each command or block it sends (RFC 5321 asks "
                   "a server to wait 5 minutes for a command)";
    const model::OptionValue* children = config.option("MaxDaemonChildren");
    const long long limit = children ? leading_integer(children->value) : 0;
    if (limit > 0)
        message += "; each of up to " + std::to_string(limit) +
                   " daemon children (MaxDaemonChildren) can be held that way, so as many idle "
                   "connections lock every other client out";
    else
        message += "; MaxDaemonChildren is not set, so each such connection costs a process and "
                   "its memory and nothing caps how many (SM-P003)";

    Diagnostic& d = report_at_timeout(out, context, too_long.front(), std::move(message));
    if (limit > 0) d.severity = Severity::Medium;
    for (size_t i = 1; i < too_long.size(); ++i)
        add_timeout_note(d, context, too_long[i]);

    Fix fix{"", false, {}};
    for (const TimeoutValue& timeout : too_long) {
        auto row = std::find_if(std::begin(kServerTimeouts), std::end(kServerTimeouts),
                                [&](const ServerTimeout& t) { return t.name == timeout.name; });
        std::vector<Edit> edits = timeout_edits(context, timeout, row->fix);
        if (edits.empty()) return; // one fix for all of them, or none
        fix.title +=
            (fix.title.empty() ? "set " : ", ") + timeout.name + " to " + std::string(row->fix);
        fix.edits.insert(fix.edits.end(), edits.begin(), edits.end());
    }
    d.fix = std::move(fix);
}

extern const Rule kSM_P009 = {"SM-P009",
                              "server-timeouts-too-long",
                              Pack::Performance,
                              Severity::Low,
                              4,
                              "Server timeouts let an idle client hold a daemon child for up to "
                              "an hour (Timeout.command, Timeout.datablock, Timeout.starttls)",
                              "shorten the server timeouts (Timeout.command 5m, Timeout.datablock "
                              "10m, Timeout.starttls 5m)",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
