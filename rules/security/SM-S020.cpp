// SM-S020 greeting-reveals-version: the 220 greeting is the first thing every client (and every
// scanner) reads; it should not say which sendmail release answers (KB SEC-020, STIG GEN004560).
#include "rules/rule_support.hpp"
#include "rules/version_support.hpp"

#include <optional>

namespace smaudit::rules {

namespace {

// sendmail's default when no SmtpGreetingMessage line exists (conf.c), and what cfhead.m4 writes.
constexpr std::string_view kBinaryDefault = "$j Sendmail $v ready at $b";
constexpr std::string_view kStockGreetings[] = {kBinaryDefault, "$j Sendmail $v/$Z; $b"};
std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const model::OptionValue* option = config.option("SmtpGreetingMessage");
    if (is_unset(option)) {
        // Configurations below level 7 (or without a V line) take the greeting from `De`.
        auto legacy = config.macros.find("e");
        bool old_level = config.version_level.empty() || leading_integer(config.version_level) < 7;
        if (old_level && legacy != config.macros.end()) {
            if (auto why = text_reveals(config, legacy->second.value))
                out.report(legacy->second.where,
                           "the greeting (macro e, used below configuration level 7) shows " + *why,
                           "the greeting is set here");
            return;
        }
        Diagnostic& d = out.report_default(
            "SmtpGreetingMessage not set: sendmail's default `" + std::string(kBinaryDefault) +
            "` applies, so the greeting tells every client the sendmail version");
        if (auto edit = insert_option_line(context, "SmtpGreetingMessage", "$j"))
            d.fix = Fix{"set SmtpGreetingMessage to $j", true, {*edit}};
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    auto why = text_reveals(config, setting.value);
    if (!why) return;
    Diagnostic& d = out.report(setting.value_where, "the greeting shows " + *why,
                               set_here(context, setting, "SmtpGreetingMessage"));
    // Dropping only the version keeps the rest of the text; a stock greeting is replaced with
    // `$j` (the FQDN must come first), and so is any other, but that changes more than the
    // version, hence unsafe.
    bool stock = false;
    for (std::string_view greeting : kStockGreetings)
        stock = stock || trim(setting.value) == greeting;
    if (!stock) {
        if (auto stripped = without_version(config, setting.value)) {
            if (auto edits = set_value(context, setting, "SmtpGreetingMessage", *stripped);
                !edits.empty()) {
                d.fix = Fix{"remove the version from SmtpGreetingMessage", true, std::move(edits)};
                return;
            }
        }
    }
    if (auto edits = set_value(context, setting, "SmtpGreetingMessage", "$j"); !edits.empty())
        d.fix = Fix{"set SmtpGreetingMessage to $j", stock, std::move(edits)};
}

} // namespace

extern const Rule kSM_S020 = {"SM-S020",
                              "greeting-reveals-version",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "the SMTP greeting tells every client the sendmail version",
                              "remove the version from SmtpGreetingMessage",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
