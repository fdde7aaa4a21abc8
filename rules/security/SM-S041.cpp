// SM-S041 prog-mailer-without-smrsh: the prog mailer, which runs every `|command` of the aliases,
// .forward and :include: files, is a shell, so those entries can run any command; smrsh runs
// only the programs linked into its directory (KB SEC-041, cf/README FEATURE(`smrsh')).
#include "rules/mc_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <array>

namespace smaudit::rules {

namespace {

constexpr std::array<std::string_view, 12> kShells = {
    "sh", "bash", "dash", "ash", "ksh", "ksh93", "mksh", "pdksh", "csh", "tcsh", "zsh", "busybox"};

bool is_shell(std::string_view path) {
    std::string_view name = model::base_name(path);
    return std::find(kShells.begin(), kShells.end(), name) != kShells.end();
}

// Mailer names are case-insensitive (stab()).
const model::MailerDef* find_mailer(const model::Config& config, std::string_view name) {
    for (const auto& [written, mailer] : config.mailers)
        if (equals_ignore_case(written, name)) return &mailer;
    return nullptr;
}

bool forward_files_read(const model::Config& config) {
    const model::OptionValue* forward = config.option("ForwardPath");
    return forward == nullptr || !forward->value.empty(); // absent: $z/.forward
}

// Where smrsh sits when the .cf says: sendmail installs smrsh beside mail.local (both in
// confEBINDIR), so a local mailer that is mail.local gives the directory. Empty otherwise.
std::string smrsh_beside_mail_local(const model::Config& config) {
    const model::MailerDef* local = find_mailer(config, "local");
    if (local == nullptr) return {};
    auto path = local->fields.find('P');
    if (path == local->fields.end() || model::base_name(path->second) != "mail.local") return {};
    std::string_view dir = path->second;
    dir.remove_suffix(model::base_name(dir).size());
    return std::string(dir) + "smrsh";
}

void check(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    const model::MailerDef* prog = find_mailer(config, "prog");
    if (prog == nullptr) return;
    const model::MailerDef& mailer = *prog;
    auto path = mailer.fields.find('P');
    if (path == mailer.fields.end() || !is_shell(path->second)) return;
    auto path_where = mailer.field_where.find('P');
    Location where = path_where != mailer.field_where.end() && path_where->second.valid()
                         ? path_where->second
                         : mailer.where;
    // An .mc whose prog mailer comes from a MAILER() of another mailer's file (cyrusv2.m4): its
    // first MAILER() call, if it has one (proto.m4's own MAILER(`local') has no place).
    if (!where.valid() && context.expansion)
        for (const m4::MacroCall& call : context.expansion->calls)
            if (call.name == "MAILER" && call.where.file == context.expansion->mc) {
                where = call.where;
                break;
            }
    std::string message =
        "the prog mailer is the shell " + path->second +
        ", which runs whatever follows `|` in an alias, an :include: file" +
        (forward_files_read(config) ? " or a user's .forward" : "") +
        " as a command line: any program, with shell syntax; smrsh would run only the programs "
        "linked into its directory";
    Diagnostic& d =
        out.report(where, std::move(message), "Mprog runs " + path->second + ", not smrsh");
    // Unsafe: program entries whose program is not linked into the smrsh directory stop working.
    if (context.expansion) {
        if (auto edit = insert_before_mailers(context, "FEATURE(`smrsh')dnl"))
            d.fix = Fix{"add FEATURE(`smrsh') before the MAILER() lines", false, {*edit}};
        return;
    }
    std::string smrsh = smrsh_beside_mail_local(config);
    auto argv_where = mailer.field_where.find('A');
    if (smrsh.empty() || path_where == mailer.field_where.end() ||
        argv_where == mailer.field_where.end() || !path_where->second.valid() ||
        !argv_where->second.valid())
        return;
    d.fix = Fix{"run program deliveries through " + smrsh,
                false,
                {Edit{path_where->second, smrsh}, Edit{argv_where->second, "smrsh -c $u"}}};
}

} // namespace

extern const Rule kSM_S041 = {"SM-S041",
                              "prog-mailer-without-smrsh",
                              Pack::Security,
                              Severity::Medium,
                              5,
                              "the prog mailer is a shell: `|command` entries can run anything",
                              "add FEATURE(`smrsh')",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
