// SM-S024 verb-enabled: VERB puts an SMTP session in verbose mode, where every RCPT shows what
// an alias expands to (what EXPN shows) and the delivery is done while the client watches; and
// `O Verbose` in the file makes sendmail itself verbose, which op.me says never to do (KB SEC-024).
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// sendmail offers VERB only while it offers EXPN (srvrsmtp.c: "this would give out the same
// info"), so noexpn turns VERB off too; goaway includes both.
void check_verb_command(const RuleContext& context, Emitter& out) {
    const std::vector<PrivacyNeed> unmet =
        unmet_privacy_needs(context.config, {{"noverb", {"noverb", "noexpn", "goaway"}}});
    if (unmet.empty()) return;
    report_privacy_gap(context, out, unmet,
                       {"VERB is enabled", "none of noverb, noexpn and goaway",
                        "any client can turn on verbose mode, in which every RCPT shows what an "
                        "alias expands to (`050 <sales>... aliased to ...`, as EXPN would) and "
                        "its mail is delivered while it watches"});
}

// `O Verbose` (atobool(): no value, or one starting with t/T/y/Y, is on).
void check_verbose_option(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("Verbose");
    if (is_unset(option)) return;
    const model::OptionSetting& setting = option->settings.back();
    if (!model::sendmail_bool(setting.value)) return;
    Diagnostic& d = out.report(
        setting.where,
        "Verbose is set in the configuration file, which op.me says never to do: sendmail then "
        "delivers every message at once, in the foreground (DeliveryMode interactive), and a "
        "sendmail run from the command line prints the SMTP dialogue of each delivery, with the "
        "password when it logs in to a server with PLAIN or LOGIN",
        "Verbose is set here");
    if (auto edit = delete_line(context, setting.where))
        d.fix = Fix{"delete the Verbose line", true, {*edit}};
}

void check(const RuleContext& context, Emitter& out) {
    // The submission program serves SMTP to no other host (a local `sendmail -bs` at most), so
    // only its Verbose option matters there.
    if (context.role == nullptr || context.role->role != model::Role::Msp)
        check_verb_command(context, out);
    check_verbose_option(context, out);
}

} // namespace

extern const Rule kSM_S024 = {"SM-S024",
                              "verb-enabled",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "VERB is enabled (clients can watch alias expansion and delivery), "
                              "or Verbose is set in the configuration file",
                              "add noverb to PrivacyOptions; delete `O Verbose`",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
