// SM-P023 queue-sync-weakened: SuperSafe=False, SuperSafe=Interactive outside interactive
// delivery, or RequiresDirfsync=false trade the queue's durability for speed: mail already
// accepted can be lost in a crash (KB PERF-023).
#include "rules/performance/process_limits.hpp"
#include "rules/queue_support.hpp"
#include "rules/rule_support.hpp"

#include <cctype>

namespace smaudit::rules {

static char first_lower(std::string_view text) {
    return text.empty() ? '\0'
                        : static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
}

// How a message names a boolean that atobool() read as false: "SuperSafe is False", or, for a
// word that does not say so, "SuperSafe `on` reads as False".
static std::string describe_false(std::string_view name, std::string_view value) {
    const char first = first_lower(value);
    if (first == 'f' || first == 'n') return std::string(name) + " is " + std::string(value);
    return std::string(name) + " `" + std::string(value) + "` reads as False";
}

static void check_super_safe(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("SuperSafe");
    if (is_unset(option)) return; // sendmail's default, True
    const model::OptionSetting& setting = option->settings.back();
    const SuperSafeMode mode = super_safe_mode(setting.value);
    std::string message;
    if (mode == SuperSafeMode::Interactive) {
        // Read as readcf.c reads it: the first letter, case-sensitively (empty: interactive).
        const model::OptionValue* delivery = context.config.option("DeliveryMode");
        const char letter = delivery != nullptr ? delivery_mode_letter(delivery->value) : 'b';
        if (letter == 'i') return;
        if (delivery_mode_name(letter).starts_with('`'))
            message = "SuperSafe is Interactive but DeliveryMode is `" + delivery->value +
                      "`, not interactive: sendmail reads its first letter, case-sensitively, "
                      "and stops at " +
                      delivery_mode_name(letter) +
                      " (\"Unknown delivery mode\"); only `i` (or an empty value) is "
                      "interactive delivery, which SuperSafe=Interactive is for";
        else
            message = "SuperSafe is Interactive but DeliveryMode is " +
                      (delivery != nullptr ? delivery->value : std::string("background")) +
                      ": sendmail warns at start (\"SuperSafe=interactive should only be used "
                      "with DeliveryMode=interactive\") and skips the fsync() of queue files it "
                      "does not deliver at once, so a crash can lose mail it has accepted";
    } else if (mode != SuperSafeMode::False) {
        return;
    } else {
        message = describe_false("SuperSafe", setting.value) +
                  ": sendmail does not fsync() the queue files of a message before it answers "
                  "250, and in interactive delivery does not write them before it delivers, so "
                  "a crash or power loss can lose mail the sender was told was accepted";
    }
    Diagnostic& d = out.report(setting.value_where, std::move(message),
                               set_here(context, setting, "SuperSafe"));
    if (mode == SuperSafeMode::Interactive) d.severity = Severity::Low;
    if (auto edits = set_value(context, setting, "SuperSafe", "True"); !edits.empty())
        d.fix = Fix{"set SuperSafe to True", true, std::move(edits)};
}

static void check_dir_fsync(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("RequiresDirfsync");
    if (is_unset(option) || option_is_true(context.config, "RequiresDirfsync")) return;
    const model::OptionSetting& setting = option->settings.back();
    Diagnostic& d = out.report(
        setting.value_where,
        describe_false("RequiresDirfsync", setting.value) +
            ": sendmail no longer fsync()s the queue directory after it creates or renames a "
            "queue file (Linux builds turn that on with REQUIRES_DIR_FSYNC), so after a crash "
            "an accepted message's queue file can be missing from the directory",
        set_here(context, setting, "RequiresDirfsync"));
    if (auto edits = set_value(context, setting, "RequiresDirfsync", "true"); !edits.empty())
        d.fix = Fix{"set RequiresDirfsync to true", true, std::move(edits)};
}

static void check(const RuleContext& context, Emitter& out) {
    check_super_safe(context, out);
    check_dir_fsync(context, out);
}

extern const Rule kSM_P023 = {"SM-P023",
                              "queue-sync-weakened",
                              Pack::Performance,
                              Severity::Medium,
                              5,
                              "SuperSafe or RequiresDirfsync is weakened: accepted mail can be "
                              "lost in a crash",
                              "set SuperSafe to True and RequiresDirfsync to true",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
