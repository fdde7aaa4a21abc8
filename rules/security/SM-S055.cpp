// SM-S055 queue-file-mode-too-open: QueueFileMode and TempFileMode decide who may read (or
// change) queued messages, transcripts and the files sendmail delivers to; UseMSP, the mail
// submission program's option, lets an MTA accept group-writable queue files (KB SEC-055; op.me
// QueueFileMode, TempFileMode, UseMSP; readcf.c reads the modes with atooct()). The MSP
// (submit.cf) shares its queue with the smmsp group by design (QueueFileMode=0660, UseMSP=True),
// so on the msp role only bits for other users count.
#include "model/values.hpp"
#include "rules/rule_support.hpp"

namespace smaudit::rules {

namespace {

// atooct(): the leading octal digits, masked to 0777 as readcf.c does.
unsigned octal_mode(std::string_view text) {
    unsigned mode = 0;
    for (char c : text) {
        if (c < '0' || c > '7') break;
        mode = ((mode << 3) | static_cast<unsigned>(c - '0')) & 0777777u;
    }
    return mode & 0777u;
}

std::string octal(unsigned mode) {
    std::string digits;
    for (int shift = 9; shift >= 0; shift -= 3)
        digits += static_cast<char>('0' + ((mode >> shift) & 7u));
    return digits;
}

struct ModeOption {
    std::string_view name;
    std::string_view files; // what the mode applies to
};

constexpr ModeOption kModes[] = {
    {"QueueFileMode", "every queued message (headers and body)"},
    {"TempFileMode", "transcripts, the files sendmail delivers to directly and the status files"},
};

void check_mode(const RuleContext& context, Emitter& out, const ModeOption& mode_option, bool msp) {
    const model::OptionValue* option = context.config.option(mode_option.name);
    if (is_unset(option)) return; // 0600 (0644 only for a set-user-ID sendmail, not a daemon)
    const model::OptionSetting& setting = option->settings.back();
    const unsigned mode = octal_mode(setting.value);
    std::string who;
    Severity severity = Severity::High;
    if (mode & 0006u) {
        who = std::string("every local user can ") + ((mode & 0002u) ? "change" : "read");
    } else if (!msp && (mode & 0020u)) {
        who = "the files' group can change";
        severity = Severity::Medium;
    } else if (!msp && (mode & 0040u)) {
        who = "the files' group can read";
        severity = Severity::Low;
    } else {
        return;
    }
    std::string name(mode_option.name);
    Diagnostic& d =
        out.report(setting.value_where,
                   name + " is " + octal(mode) + ": " + who + " " + std::string(mode_option.files),
                   set_here(context, setting, name));
    d.severity = severity;
    // Unsafe: tools that read the queue through the group (Debian's mailq for the MTA queue)
    // lose access.
    if (auto edits = set_value(context, setting, mode_option.name, "0600"); !edits.empty())
        d.fix = Fix{"set " + name + " to 0600", false, std::move(edits)};
}

void check(const RuleContext& context, Emitter& out) {
    const bool msp = context.role != nullptr && context.role->role == model::Role::Msp;
    for (const ModeOption& mode_option : kModes)
        check_mode(context, out, mode_option, msp);
    if (msp) return;
    const model::OptionValue* use_msp = context.config.option("UseMSP");
    if (is_unset(use_msp)) return;
    const model::OptionSetting& setting = use_msp->settings.back();
    if (!model::sendmail_bool(setting.value)) return;
    Diagnostic& d =
        out.report(setting.value_where,
                   "UseMSP is true in an MTA configuration: it is the mail submission program's "
                   "option (submit.cf), and here it lets the queue files be writable by the group "
                   "of the set-group-ID sendmail binary",
                   set_here(context, setting, "UseMSP"));
    d.severity = Severity::Medium;
    if (auto edits = set_value(context, setting, "UseMSP", "False"); !edits.empty())
        d.fix = Fix{"set UseMSP to False", false, std::move(edits)};
}

} // namespace

extern const Rule kSM_S055 = {"SM-S055",
                              "queue-file-mode-too-open",
                              Pack::Security,
                              Severity::High,
                              10,
                              "queue or temporary files are readable beyond sendmail, or UseMSP is "
                              "set on the MTA",
                              "set QueueFileMode and TempFileMode to 0600",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
