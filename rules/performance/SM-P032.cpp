// SM-P032 excessive-logging: from LogLevel 15 sendmail writes a syslog line for every SMTP
// command it receives, and levels above 64 are debugging output; a milter log level from 18
// writes lines per message and milter, from 22 one per header (KB PERF-032). One finding at the
// setting to change: LogLevel, which Milter.LogLevel follows when it is not set, or
// Milter.LogLevel itself.
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// op.me "Log Level": 12 every connection, 14 refused connections, 15 every incoming SMTP
// command (srvrsmtp.c `LogLevel > 14`: "<-- command"), 20 attempts on locked queue files,
// above 64 debugging output.
constexpr long long kEveryCommand = 15;
constexpr long long kDebug = 65;
// milter.c: from 18 "headers, send"/"body, send" lines per message and milter, from 22 one
// line per header sent.
constexpr long long kMilterPerMessage = 18;
constexpr long long kMilterPerHeader = 22;
constexpr std::string_view kFixLevel = "9";

std::string log_level_effects(long long level) {
    if (level >= kDebug)
        return "levels above 64 are reserved for debugging output (op.me: \"no normal site "
               "would ever set these\"), and below them sendmail already logs every SMTP "
               "command it receives";
    std::string text = "sendmail logs every SMTP command it receives (15), every connection "
                       "(12) and every refused one (14), several lines for each message";
    if (level >= 20) text += ", and each attempt on a locked queue file (20)";
    return text;
}

std::string milter_effects(long long level) {
    return level >= kMilterPerHeader
               ? "a line for every header sent to every milter (22), besides the per-message "
                 "lines (18)"
               : "several lines per message and milter (from 18: headers and body sent, "
                 "filter results)";
}

long long level_of(const model::OptionValue* option) {
    return option == nullptr ? 0 : leading_integer(option->value);
}

void attach_fix(const RuleContext& context, Diagnostic& d, const model::OptionSetting& setting,
                std::string_view option) {
    if (auto edits = set_value(context, setting, option, kFixLevel); !edits.empty())
        d.fix = Fix{"set " + std::string(option) + " to 9", false, std::move(edits)};
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* log_level = context.config.option("LogLevel");
    const model::OptionValue* milter_level = context.config.option("Milter.LogLevel");
    const bool milters = !context.config.milters.empty();
    const bool milter_follows = is_unset(milter_level); // then MilterLogLevel = LogLevel

    if (!is_unset(log_level)) {
        const model::OptionSetting& setting = log_level->settings.back();
        long long level = leading_integer(setting.value);
        bool milter_noise = milters && milter_follows && level >= kMilterPerMessage;
        if (level >= kEveryCommand) {
            std::string message = describe_number("LogLevel", setting.value, level, " is ") + ": " +
                                  log_level_effects(level);
            if (milter_noise)
                message += "; Milter.LogLevel is not set and follows it: " + milter_effects(level);
            message += " (9, the default, logs each delivery and deferral)";
            Diagnostic& d = out.report(setting.value_where, std::move(message),
                                       set_here(context, setting, "LogLevel"));
            attach_fix(context, d, setting, "LogLevel");
        }
    }
    if (milters && !milter_follows) {
        const model::OptionSetting& setting = milter_level->settings.back();
        long long level = leading_integer(setting.value);
        if (level < kMilterPerMessage) return;
        Diagnostic& d =
            out.report(setting.value_where,
                       describe_number("Milter.LogLevel", setting.value, level, " is ") +
                           ": sendmail logs " + milter_effects(level) + " (LogLevel is " +
                           std::to_string(level_of(log_level)) + ")",
                       set_here(context, setting, "Milter.LogLevel"));
        attach_fix(context, d, setting, "Milter.LogLevel");
    }
}

extern const Rule kSM_P032 = {"SM-P032",
                              "excessive-logging",
                              Pack::Performance,
                              Severity::Low,
                              2,
                              "LogLevel logs every SMTP command (15 or more) or debugging output, "
                              "or the milter log level logs every message's milter steps",
                              "set LogLevel (or Milter.LogLevel) to 9",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
