// SM-S054 run-as-and-trusted-users: what the files can tell of KB SEC-054. Class t (trusted
// users: T and Ct lines, confTRUSTED_USERS, the file FEATURE(`use_ct_file') reads) naming users
// besides sendmail's own root, daemon and uucp: main.c and conf.c let them set the envelope sender
// with -f without an X-Authentication-Warning, rebuild the alias database (-bi) and run
// .forward programs without a shell from /etc/shells. And RunAsUser with SafeFileEnvironment,
// which op.me calls incompatible: a non-root sendmail cannot chroot() for file deliveries.
// Whether TrustedUser is an interactive account needs the host's passwd database.
#include "rules/map_support.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace smaudit::rules {

namespace {

constexpr std::array<std::string_view, 3> kStockTrusted = {"root", "daemon", "uucp"};

std::string user_part(std::string_view user_and_group) {
    return std::string(user_and_group.substr(0, user_and_group.find(':')));
}

// sendmail's own accounts (TrustedUser, RunAsUser, DefaultUser): trusting them trusts nobody new.
std::set<std::string> own_accounts(const model::Config& config) {
    std::set<std::string> names(kStockTrusted.begin(), kStockTrusted.end());
    for (std::string_view option : {"TrustedUser", "RunAsUser", "DefaultUser"}) {
        const model::OptionValue* value = config.option(option);
        if (!is_unset(value)) names.insert(user_part(value->value));
    }
    return names;
}

std::string trusted_message(std::string_view user, std::string_view from) {
    return "`" + std::string(user) + "` is a trusted user (class t, " + std::string(from) +
           "): it may set any envelope sender with -f without an X-Authentication-Warning "
           "header, rebuild the alias database and run .forward programs without a login shell "
           "listed in /etc/shells";
}

void check_trusted_users(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    auto t = config.classes.find("t");
    if (t == config.classes.end()) return;
    const std::set<std::string> own = own_accounts(config);
    const model::ClassDef& trusted = t->second;
    for (size_t i = 0; i < trusted.words.size(); ++i) {
        if (own.contains(trusted.words[i])) continue;
        Location where = i < trusted.word_where.size() ? trusted.word_where[i] : Location{};
        out.report(where, trusted_message(trusted.words[i], "a T or C line of the configuration"),
                   "trusted here");
    }
    if (context.maps == nullptr || trusted.files.empty()) return;
    for (const ast::ClassFile& file : context.maps->class_files) {
        std::string_view name = base_name(context.sources.get(file.file).path());
        bool read = std::any_of(trusted.files.begin(), trusted.files.end(),
                                [&](const std::string& path) { return base_name(path) == name; });
        if (!read) continue;
        for (Span word : file.words) {
            if (own.contains(std::string(file.word(word)))) continue;
            out.report(at(file.file, word),
                       trusted_message(file.word(word), "read from " + std::string(name)),
                       "trusted here");
        }
    }
}

void check_run_as_user(const RuleContext& context, Emitter& out) {
    const model::Config& config = context.config;
    // The submission program delivers nothing to files (submit.cf sets both on Debian).
    if (context.role != nullptr && context.role->role == model::Role::Msp) return;
    const model::OptionSetting* run_as = run_as_non_root(config);
    if (run_as == nullptr) return;
    const model::OptionValue* safe = config.option("SafeFileEnvironment");
    if (is_unset(safe) || safe->settings.back().value.empty()) return;
    const model::OptionSetting& safe_setting = safe->settings.back();
    Diagnostic& d = out.report(
        run_as->value_where,
        "RunAsUser is " + run_as->value +
            ": sendmail gives up root before it delivers, so it cannot chroot() into "
            "SafeFileEnvironment " +
            safe_setting.value +
            " and every delivery to a file fails (op.me: the two options are incompatible)",
        set_here(context, *run_as, "RunAsUser"));
    if (safe_setting.value_where.valid())
        d.notes.push_back(Label{safe_setting.value_where, "SafeFileEnvironment is set here"});
}

void check(const RuleContext& context, Emitter& out) {
    check_run_as_user(context, out);
    check_trusted_users(context, out);
}

} // namespace

extern const Rule kSM_S054 = {"SM-S054",
                              "run-as-and-trusted-users",
                              Pack::Security,
                              Severity::Low,
                              2,
                              "class t trusts more users than root, daemon and uucp, or RunAsUser "
                              "defeats SafeFileEnvironment",
                              "remove the user from class t",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
