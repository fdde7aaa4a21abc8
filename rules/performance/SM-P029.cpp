// SM-P029 match-gecos-scan: with MatchGECOS every local recipient that names no user makes
// sendmail read the whole password database, entry by entry, looking for a matching full name
// (KB PERF-029). DontInitGroups is not checked: it matters only when groups come from NIS or
// LDAP, which nsswitch.conf says, not the configuration.
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("MatchGECOS");
    if (is_unset(option)) return; // sendmail's default is False
    const model::OptionSetting& setting = option->settings.back();
    if (!model::sendmail_bool(setting.value)) return;
    std::string shown = setting.value.empty() ? "MatchGECOS is set with no value (True)"
                                              : "MatchGECOS is " + setting.value;
    Diagnostic& d = out.report(
        setting.value_where.valid() ? setting.value_where : setting.where,
        shown + ": for every local recipient that is no alias and no user name (a typing "
                "error, each guess of a dictionary attack) sendmail reads the whole password "
                "database with getpwent(), NIS or LDAP included, comparing full names; a "
                "directory of thousands of users is read once per unknown recipient",
        set_here(context, setting, "MatchGECOS"));
    if (auto edits = set_value(context, setting, "MatchGECOS", "False"); !edits.empty())
        d.fix = Fix{"set MatchGECOS to False", false, std::move(edits)};
}

extern const Rule kSM_P029 = {"SM-P029",
                              "match-gecos-scan",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "MatchGECOS reads the whole password database for each unknown "
                              "local recipient",
                              "set MatchGECOS to False",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
