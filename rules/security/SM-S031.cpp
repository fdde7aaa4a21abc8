// SM-S031 ident-queries: with Timeout.ident above 0 (sendmail's default is 5s in builds with
// IDENTPROTO, Linux and the BSDs among them) the daemon asks port 113 of every client which
// user opened the connection, and writes the answer into the Received: header of that client's
// mail (daemon.c getauthinfo() sets $_, which the header shows). This rule is about what the
// answer exposes; the delay the query adds to every connection is SM-P007's (KB SEC-031).
#include "model/duration.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

constexpr std::string_view kExposes =
    "sendmail asks port 113 (IDENT) of every client which user opened the connection and "
    "writes the answer into the Received: header of that client's mail (`from host "
    "(alice@host [192.0.2.7])`): a user name of the client's network shown to every "
    "recipient, or any text the client chooses, since IDENT answers are not authenticated";

void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("Timeout.ident");
    if (option == nullptr) return;
    // convtime(): a value without digits reads as 0; 0 turns the query off (getauthinfo()).
    // A negative value sets no timer but still queries.
    const std::optional<model::Duration> seconds =
        model::option_duration(context.config, "Timeout.ident");
    if (!seconds || seconds->seconds == 0) return;
    const std::string title = "set Timeout.ident to 0 (no IDENT queries)";
    if (is_unset(option)) {
        Diagnostic& d =
            out.report_default("Timeout.ident not set: sendmail's default " + option->value +
                               " applies (builds with IDENTPROTO, the "
                               "default on Linux and the BSDs), so " +
                               std::string(kExposes));
        if (auto edit = insert_option_line(context, "Timeout.ident", "0"))
            d.fix = Fix{title, true, {*edit}};
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    Diagnostic& d = out.report(
        setting.value_where, "Timeout.ident is " + setting.value + ", so " + std::string(kExposes),
        set_here(context, setting, "Timeout.ident"));
    mark_if_default(d, setting);
    // A legacy `O Timeout=...,ident=5s` line whose item cannot be told apart from the rest of
    // the value gets a line of its own after it rather than an edit of the whole value.
    const bool item_bytes = context.sources.text_at(setting.value_where) == setting.value;
    std::vector<Edit> edits;
    if (item_bytes || context.expansion)
        edits = set_value(context, setting, "Timeout.ident", "0");
    else if (auto edit = insert_option_line(context, "Timeout.ident", "0"))
        edits = {*edit};
    if (!edits.empty()) d.fix = Fix{title, true, std::move(edits)};
}

} // namespace

extern const Rule kSM_S031 = {"SM-S031",
                              "ident-queries",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "IDENT queries to every client put an unauthenticated user name "
                              "into the Received: header",
                              "set Timeout.ident to 0",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
