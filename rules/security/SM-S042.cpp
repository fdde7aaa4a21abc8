// SM-S042 unsafe-mail-program: the programs mail runs — the entries of smrsh's directory and the
// programs `|command` aliases pipe to — must do only what their owner meant: a shell or an
// interpreter there runs whatever a sender writes, and a program or directory others can write
// runs their code for every message (KB SEC-042; STIG GEN004400/GEN004420: programs run from
// aliases owned by root, mode 0755 or less). sendmail checks neither (KNOWNBUGS); smrsh runs
// whatever its directory holds, following symbolic links.
#include "rules/file_support.hpp"

#include <algorithm>
#include <array>

namespace smaudit::rules {

namespace {

// Programs that run what they are given: with one in smrsh's directory, `"|sh -c ..."` runs
// anything again (smrsh/README).
constexpr std::array<std::string_view, 24> kInterpreters = {
    "sh",   "bash",   "dash",  "ksh",     "csh",  "tcsh",   "zsh", "ash",
    "perl", "python", "ruby",  "php",     "lua",  "tclsh",  "awk", "gawk",
    "sed",  "env",    "xargs", "busybox", "node", "expect", "vi",  "uudecode"};

bool is_interpreter(std::string_view name) {
    for (std::string_view known : kInterpreters)
        if (name == known || (name.starts_with(known) && name.size() > known.size() &&
                              (std::isdigit(static_cast<unsigned char>(name[known.size()])) ||
                               name[known.size()] == '.')))
            return true; // python3, perl5.36
    return false;
}

void check_program(Emitter& out, const model::ReferencedFile& file, std::string_view what) {
    const model::FileStat& st = file.stat;
    if (group_writable(st) || world_writable(st))
        report_file(out, file,
                    std::string(what) + " " + file.named + " is " + writable_by(st) + " (mode " +
                        octal_mode(st.mode) +
                        "): whoever can write it runs their code on every message it gets "
                        "(STIG GEN004420: 0755 or less)");
    else if ((st.mode & ~0755u & 07777u) != 0)
        report_file(out, file,
                    std::string(what) + " " + file.named + " has mode " + octal_mode(st.mode) +
                        ": the STIG asks for 0755 or less (GEN004420)")
            .severity = Severity::Medium;
    if (st.uid != 0)
        report_file(out, file,
                    std::string(what) + " " + file.named + " is " + not_root_owner(st) +
                        ", not root: its owner decides what runs for mail (STIG GEN004400)");
}

} // namespace

static void check(const RuleContext& context, Emitter& out) {
    for_each_present(
        context, model::FileRole::SmrshDirectory, [&](const model::ReferencedFile& dir) {
            if (group_writable(dir.stat) || world_writable(dir.stat))
                report_file(out, dir,
                            "smrsh's directory " + dir.named + " is " + writable_by(dir.stat) +
                                " (mode " + octal_mode(dir.stat.mode) +
                                "): whoever can write it adds programs any "
                                "`|command` address runs");
        });
    for_each_present(
        context, model::FileRole::SmrshProgram, [&](const model::ReferencedFile& file) {
            const std::string_view name = model::base_name(file.named);
            if (is_interpreter(name))
                report_file(out, file,
                            "smrsh's directory holds " + std::string(name) + " (" + file.named +
                                "): a shell or interpreter there runs any command "
                                "a `|command` address gives it, which smrsh exists "
                                "to prevent");
            check_program(out, file, "the smrsh program");
        });
    // An alias program that is an entry of smrsh's directory was judged there already.
    std::vector<std::string> in_smrsh;
    for_each_present(context, model::FileRole::SmrshProgram,
                     [&](const model::ReferencedFile& file) { in_smrsh.push_back(file.named); });
    for_each_present(
        context, model::FileRole::AliasProgram, [&](const model::ReferencedFile& file) {
            if (std::find(in_smrsh.begin(), in_smrsh.end(), file.named) == in_smrsh.end())
                check_program(out, file, "the program of " + file.source + ",");
        });
}

extern const Rule kSM_S042 = {"SM-S042",
                              "unsafe-mail-program",
                              Pack::Security,
                              Severity::High,
                              8,
                              "A program mail runs (smrsh directory, alias `|program`) is an "
                              "interpreter, writable by others or not owned by root",
                              "remove shells and interpreters from the smrsh directory; chown "
                              "root and chmod 0755 the programs",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
