// SM-S043 mailer-runs-as-root: a mailer that runs a program (or writes files) keeps root's user
// id: F=S without a non-root U=, a U= of root, or DefaultUser root for the mailers that fall
// back to it (KB SEC-043; op.me "M — Define Mailer" flag S and U=, DefaultUser; deliver.c
// openmailer()/mailfile() pick the user id this way).
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <array>

namespace smaudit::rules {

namespace {

// Local delivery agents that sendmail starts as root on purpose: they need root to open the
// recipient's mailbox and switch to the recipient themselves (Debian's sensible-mda with F=S is
// by design, KB SEC-043).
constexpr std::array<std::string_view, 8> kPrivilegeDroppingAgents = {
    "mail.local", "procmail",    "sensible-mda", "maildrop",
    "deliver",    "dovecot-lda", "lmtp",         "cyrus-deliver"};

// The m4 name MODIFY_MAILER_FLAGS() takes for the mailers MAILER(`local') writes.
std::string_view m4_flags_name(std::string_view mailer) {
    if (equals_ignore_case(mailer, "prog")) return "SHELL";
    if (equals_ignore_case(mailer, "local")) return "LOCAL";
    return {};
}

// In an .mc, the call that gave the mailer its S: MODIFY_MAILER_FLAGS(`SHELL', `+S') or a
// define of LOCAL_SHELL_FLAGS / LOCAL_MAILER_FLAGS with an S (the last one; m4 reads them when
// MAILER(`local') runs). Null when none did (the S comes from the cf tree or an OSTYPE file).
const m4::MacroCall* flags_call(const RuleContext& context, std::string_view m4_name) {
    if (context.expansion == nullptr || m4_name.empty()) return nullptr;
    const std::string define_name = m4_name == "SHELL" ? "LOCAL_SHELL_FLAGS" : "LOCAL_MAILER_FLAGS";
    const m4::MacroCall* found = nullptr;
    for (const m4::MacroCall& call : context.expansion->calls) {
        if (call.where.file != context.expansion->mc || call.args.size() < 2) continue;
        const bool modifies = call.name == "MODIFY_MAILER_FLAGS" && call.args[0] == m4_name &&
                              !call.args[1].starts_with('-');
        const bool defines = call.name == "define" && call.args[0] == define_name;
        if ((modifies || defines) && call.args[1].find('S') != std::string::npos) found = &call;
    }
    return found;
}

std::string without_s(std::string_view flags) {
    std::string out;
    for (char c : flags)
        if (c != 'S') out += c;
    return out;
}

std::string program_of(const model::MailerDef& mailer) {
    auto path = mailer.fields.find('P');
    return path == mailer.fields.end() ? std::string() : path->second;
}

void check_mailer(const RuleContext& context, Emitter& out, const model::MailerDef& mailer) {
    const std::string program = program_of(mailer);
    const bool file_mailer = program == "[FILE]";
    // [IPC], [TCP], [LPC]: sendmail talks to a socket itself, no process runs as anyone.
    if (program.empty() || (program.front() == '[' && !file_mailer)) return;
    if (std::find(kPrivilegeDroppingAgents.begin(), kPrivilegeDroppingAgents.end(),
                  model::base_name(program)) != kPrivilegeDroppingAgents.end())
        return;
    auto flags = mailer.fields.find('F');
    auto user = mailer.fields.find('U');
    const bool keeps_uid =
        flags != mailer.fields.end() && flags->second.find('S') != std::string::npos;
    const bool user_root = user != mailer.fields.end() && names_root(user->second);
    const bool user_other = user != mailer.fields.end() && !user_root;
    if (!(keeps_uid && !user_other) && !user_root) return;

    const std::string what = file_mailer ? "writes files" : "runs " + program;
    std::string message;
    Location where = mailer.where;
    std::string label;
    if (user_root) {
        message = "the mailer `" + mailer.name + "` " + what + " as root: U=" + user->second +
                  (keeps_uid ? " with F=S makes root its user for every delivery"
                             : " makes root its user whenever no other user owns the delivery "
                               "(entries of /etc/aliases, mail to root)");
        if (auto at = mailer.field_where.find('U'); at != mailer.field_where.end())
            where = at->second;
        label = "U= names root";
    } else {
        message = "the mailer `" + mailer.name + "` " + what +
                  " as root: F=S keeps sendmail's own user id (root) instead of the recipient's "
                  "or DefaultUser";
        if (equals_ignore_case(mailer.name, "prog"))
            message += ", so every `|command` of an alias, :include: or .forward file runs as root";
        if (const m4::MacroCall* call = flags_call(context, m4_flags_name(mailer.name)))
            where = call->where;
        else if (auto at = mailer.field_where.find('F'); at != mailer.field_where.end())
            where = at->second;
        label = "F= has S";
    }
    Diagnostic& d = out.report(where, std::move(message), std::move(label));
    if (user_root || !keeps_uid) return;
    // Unsafe: the program now runs as the recipient or DefaultUser, which may lack the access
    // it had.
    const std::string flags_without_s = without_s(flags->second);
    const std::string title = "remove S from the " + mailer.name + " mailer's flags";
    if (context.expansion) {
        std::string_view m4_name = m4_flags_name(mailer.name);
        if (m4_name.empty() || flags_without_s.find_first_of("`'") != std::string::npos) return;
        if (auto edit =
                insert_before_mailers(context, "MODIFY_MAILER_FLAGS(`" + std::string(m4_name) +
                                                   "', `=" + flags_without_s + "')dnl"))
            d.fix = Fix{title, false, {*edit}};
        return;
    }
    if (auto at = written_field(context, mailer.fields, mailer.field_where, 'F'))
        d.fix = Fix{title, false, {Edit{*at, flags_without_s}}};
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // With RunAsUser sendmail gives up root before it delivers anything (op.me RunAsUser).
    if (run_as_non_root(config) != nullptr) return;

    for (const auto& [name, mailer] : config.mailers)
        check_mailer(context, out, mailer);

    const model::OptionValue* default_user = config.option("DefaultUser");
    if (is_unset(default_user) || !names_root(default_user->value)) return;
    const model::OptionSetting& setting = default_user->settings.back();
    out.report(setting.value_where,
               "DefaultUser is " + setting.value +
                   ": mailers without F=S run as root whenever no other user owns the delivery "
                   "(the programs and files of /etc/aliases, mail to root)",
               set_here(context, setting, "DefaultUser"));
}

} // namespace

extern const Rule kSM_S043 = {"SM-S043",
                              "mailer-runs-as-root",
                              Pack::Security,
                              Severity::High,
                              10,
                              "a mailer that runs a program or writes files runs as root",
                              "remove S from the mailer's flags",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
