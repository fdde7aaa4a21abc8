// SM-P033 data-buffer-below-default: DataFileBufferSize below sendmail's default of 4096 where
// the buffer keeps messages off the disk: under SuperSafe=Interactive or False with interactive
// delivery (no queue file before delivery), or PostMilter with a milter (no data file before the
// milters accept). Under SuperSafe=True, sendmail's default and m4's, every data file is written
// and synced before the 250 reply whatever the buffer, so its size changes no I/O (KB PERF-033,
// which says otherwise).
#include "rules/performance/process_limits.hpp"
#include "rules/queue_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>

namespace smaudit::rules {

static constexpr long long kDefault = 4096; // conf.c setdefaults(), op.me DataFileBufferSize

// Whether sendmail delivers interactively: DeliveryMode, or a daemon socket's own D=.
static bool delivers_interactively(const model::Config& config) {
    const model::OptionValue* mode = config.option("DeliveryMode");
    if (mode != nullptr && delivery_mode_letter(mode->value) == 'i') return true;
    return std::any_of(config.daemons.begin(), config.daemons.end(),
                       [&](const model::PortOptions& socket) {
                           return socket_delivery_mode(config, socket) == 'i';
                       });
}

// Until when sendmail keeps a message's data file in memory (collect.c, deliver.c sendall(),
// srvrsmtp.c), or empty when it writes it before answering 250 anyway.
static std::string kept_until(const model::Config& config) {
    const SuperSafeMode mode = super_safe_mode(config);
    if (mode == SuperSafeMode::PostMilter)
        return config.milters.empty() ? ""
                                      : "with SuperSafe=PostMilter sendmail writes a message's "
                                        "data file only once the milters have accepted it";
    if (mode == SuperSafeMode::True || !delivers_interactively(config)) return "";
    return std::string("with SuperSafe=") +
           (mode == SuperSafeMode::Interactive ? "Interactive" : "False") +
           " and interactive delivery sendmail writes a message's data file only when it "
           "cannot deliver it at once";
}

static void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("DataFileBufferSize");
    if (is_unset(option)) return; // sendmail's default, 4096
    const model::OptionSetting& setting = option->settings.back();
    const long long size = std::max(0LL, leading_integer(setting.value)); // readcf.c: atoi()
    if (size >= kDefault) return;
    const std::string when = kept_until(context.config);
    if (when.empty()) return;
    Diagnostic& d = out.report(
        setting.value_where,
        describe_number("DataFileBufferSize", setting.value, leading_integer(setting.value),
                        " is ") +
            ", below sendmail's default of 4096 bytes: " + when + ", but holds only " +
            std::to_string(size) +
            " bytes of it in memory, so every message larger than that is written to the queue "
            "directory while it is received",
        set_here(context, setting, "DataFileBufferSize"));
    // Safe: 4096 is what sendmail uses when no line sets it.
    if (auto edits = set_value(context, setting, "DataFileBufferSize", "4096"); !edits.empty())
        d.fix = Fix{"set DataFileBufferSize to 4096 (sendmail's default)", true, std::move(edits)};
}

extern const Rule kSM_P033 = {"SM-P033",
                              "data-buffer-below-default",
                              Pack::Performance,
                              Severity::Info,
                              2,
                              "DataFileBufferSize is below 4096 where SuperSafe lets sendmail keep "
                              "messages in memory: larger ones are written to disk anyway",
                              "set DataFileBufferSize to 4096 (sendmail's default) or more",
                              FixKind::Safe,
                              &check};

} // namespace smaudit::rules
