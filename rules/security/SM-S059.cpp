// SM-S059 allow-bogus-helo: AllowBogusHELO lets clients greet without a host name, or with an
// invalid one, against RFC 1123 5.2.5 (KB SEC-059; op.me AllowBogusHELO). Checked with
// `sendmail -bs`: without the option `HELO` alone gets "501 HELO requires domain address" and
// `HELO bad_name!` "501 Invalid domain name"; with it both get 250 ("accepting invalid domain
// name"), so op.me's "still checked for legitimacy" only shows in that reply text.
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("AllowBogusHELO");
    if (is_unset(option)) return; // False
    const model::OptionSetting& setting = option->settings.back();
    if (!model::sendmail_bool(setting.value)) return;
    Diagnostic& d = out.report(
        setting.value_where,
        "AllowBogusHELO is true: sendmail accepts HELO and EHLO without a host name or with an "
        "invalid one, so a client need not say who it is (RFC 1123 5.2.5 requires the name)",
        set_here(context, setting, "AllowBogusHELO"));
    // Unsafe: the clients that needed it (broken appliances) get 501 at HELO.
    if (auto edits = set_value(context, setting, "AllowBogusHELO", "False"); !edits.empty())
        d.fix = Fix{"set AllowBogusHELO to False", false, std::move(edits)};
}

} // namespace

extern const Rule kSM_S059 = {"SM-S059",
                              "allow-bogus-helo",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "AllowBogusHELO accepts HELO without a valid host name",
                              "set AllowBogusHELO to False",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
