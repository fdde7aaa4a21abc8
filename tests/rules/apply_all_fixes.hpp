// Applies every fix of a report at once, as the contract of src/fix/apply.hpp says an applier
// does, and judges the result with the real tools: `smaudit audit` on a copy of a file, all the
// fixes applied in one pass, then real m4 (for an .mc), sendmail's own reading of the .cf
// (`sendmail -bt -C`, in its own UTS namespace), and a second audit of the fixed file. With
// FixApplier::Cli the fixes are applied by the smaudit binary itself (`audit --fix
// --unsafe-fixes`, in passes, proven before written), and for an .mc the options of the .cf real
// m4 makes of the fixed file must be those smaudit's own expansion has (what --fix proved).
#pragma once

#include "../support/run_command.hpp"
#include "../support/sendmail_command.hpp"
#include "../support/temp_dir.hpp"
#include "app/audit.hpp"
#include "fix/apply.hpp"
#include "mc_test_support.hpp"
#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace smaudit::test {

struct FixAllOutcome {
    std::string original, fixed;         // the file's text before and after
    std::vector<std::string> applied;    // "SM-S052 message" of every fix applied
    std::vector<std::string> conflicted; // fixes left out because they overlapped others
    std::vector<std::string> reappeared; // applied fixes whose finding the second audit repeats
    std::vector<std::string> new_syntax; // SM-E diagnostics only the fixed file has
    std::vector<std::string> new_m4_messages;       // .mc: what m4 prints only on the fixed file
    std::vector<std::string> new_sendmail_messages; // what sendmail says only of the fixed .cf
    bool m4_failed = false;                         // .mc: m4 fails on the fixed file only
    std::string fixed_cf;                           // .mc: the .cf m4 makes of the fixed file
    std::vector<std::string> after;                 // "SM-S052 message" of the second audit
    bool sendmail_checked = false;
    bool m4_failed_before = false; // .mc: real m4 fails on the original already
    // FixApplier::Cli: what `smaudit audit --fix --unsafe-fixes` reported, and the `O` lines of
    // the .cf real m4 makes of the fixed .mc that smaudit's expansion does not have, or the
    // other way round ("m4: O ..." / "smaudit: O ...").
    int passes = 0, fixes_written = 0;
    std::vector<std::string> option_differences;

    // Every check passed.
    bool clean() const {
        return conflicted.empty() && reappeared.empty() && new_syntax.empty() &&
               new_m4_messages.empty() && new_sendmail_messages.empty() && !m4_failed &&
               option_differences.empty();
    }
    std::string explain() const {
        std::string out;
        auto list = [&](const char* what, const std::vector<std::string>& items) {
            for (const std::string& item : items)
                out += std::string(what) + ": " + item + "\n";
        };
        list("conflicted", conflicted);
        list("reappeared", reappeared);
        list("new syntax diagnostic", new_syntax);
        list("new m4 message", new_m4_messages);
        list("new sendmail message", new_sendmail_messages);
        list("option differs", option_differences);
        if (m4_failed) out += "m4 failed on the fixed file\n";
        return out + "--- fixed text:\n" + fixed;
    }
};

namespace fix_all_detail {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::string identity(const Diagnostic& d) {
    return d.rule_id + " " + d.message;
}

// The report of `smaudit audit FILE` (every rule), in report order.
inline std::unique_ptr<AuditRun> audit(const fs::path& file, FileKind kind,
                                       const std::vector<std::string>& select) {
    AuditRequest request;
    request.paths = {file.string()};
    request.forced_kind = kind;
    request.selection.select = select;
    // Debian's .mc includes /etc/mail/tls/starttls.m4 and /etc/mail/m4/*.m4 by absolute path;
    // a copy of it read elsewhere may read them only when allowed (SM-E107).
    request.include_dirs = {"/etc/mail"};
    return run_audit(request, true);
}

// Lines of `text` with line numbers and the file's name taken out, so that the messages of a
// file before and after an edit can be compared.
inline std::set<std::string> messages(const std::string& text, const std::string& name) {
    static const std::regex numbers(R"((:|line )[0-9]+)");
    std::set<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        for (size_t at; !name.empty() && (at = line.find(name)) != std::string::npos;)
            line.replace(at, name.size(), "FILE");
        out.insert(std::regex_replace(line, numbers, "$1N"));
    }
    return out;
}

inline std::vector<std::string> added(const std::set<std::string>& before,
                                      const std::set<std::string>& after) {
    std::vector<std::string> out;
    for (const std::string& line : after)
        if (!before.contains(line)) out.push_back(line);
    return out;
}

// A RHEL-style .mc includes cf.m4 from /usr/share/sendmail-cf/; this machine's cf tree is
// elsewhere (installed_cf_tree), so the text is given that tree's path instead, for real m4 and
// smaudit alike. Other texts are returned unchanged.
inline std::string with_installed_cf_tree(std::string text) {
    static constexpr std::string_view kRhelTree = "/usr/share/sendmail-cf/";
    const std::string local = installed_cf_tree() + "/";
    for (size_t at = text.find(kRhelTree); at != std::string::npos;
         at = text.find(kRhelTree, at + local.size()))
        text.replace(at, kRhelTree.size(), local);
    return text;
}

struct M4Run {
    std::string cf, messages;
    int code = -1;
};

// Real m4 as a server runs it: in the cf tree's cf/ directory, with cf.m4 first unless the .mc
// includes it itself. Its messages go to a directory of its own, never beside `mc` (which may be
// a file of the shared corpus).
inline M4Run real_m4(const fs::path& mc) {
    static const std::regex includes_cf_m4(R"(include\(\s*`[^']*cf\.m4')");
    const bool own = std::regex_search(read_text(mc), includes_cf_m4);
    const TempDir scratch("smaudit-m4-messages");
    const std::string err = (scratch.path / "messages").string();
    CommandResult r =
        run_command("cd " + installed_cf_tree() + "/cf && m4 " + (own ? "" : "../m4/cf.m4 ") + "'" +
                    mc.string() + "' 2>'" + err + "'");
    return {r.out, read_text(err), r.code};
}

// The `O` lines of a .cf text.
inline std::set<std::string> option_lines(const std::string& cf) {
    std::set<std::string> out;
    std::istringstream lines(cf);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("O ")) out.insert(line);
    return out;
}

// `smaudit audit --fix --unsafe-fixes` on `file` (in place), as JSON.
inline nlohmann::json fix_with_cli(const fs::path& file, FileKind kind,
                                   const std::vector<std::string>& select) {
    std::string command = std::string(SMAUDIT_BINARY) +
                          // --include-dir: as request.include_dirs above (Debian's absolute
                          // includes of /etc/mail/tls/starttls.m4 and /etc/mail/m4/*.m4).
                          " audit --fix --unsafe-fixes --fail-on none --format json"
                          " --include-dir /etc/mail --kind " +
                          (kind == FileKind::Mc ? "mc" : "cf");
    for (const std::string& s : select)
        command += " --select " + s;
    CommandResult r = run_command(command + " '" + file.string() + "' 2>/dev/null");
    REQUIRE_MESSAGE(r.code == 0, r.out);
    return nlohmann::json::parse(r.out);
}

using test::sendmail_available;

// What sendmail prints when it reads the .cf, without the `> ` prompt: sendmail prints it only
// when the .cf does not set Verbose, so a fix that deletes `O Verbose` would otherwise look like
// a new message.
inline std::string sendmail_reads_without_prompt(const fs::path& cf) {
    std::string kept;
    std::istringstream lines(test::sendmail_reads(cf));
    for (std::string line; std::getline(lines, line);)
        if (line != "> " && line != ">") kept += line + "\n";
    return kept;
}

} // namespace fix_all_detail

// Audits `file` (forced to `kind`), applies every fix of the report at once to a copy, and
// checks the copy with m4, sendmail and a second audit. `select` restricts the rules (empty:
// all, as `smaudit audit` runs); `only` applies the fix of that one finding alone (its index
// among the findings that have a fix; past the last, nothing is applied).
enum class FixApplier { Library, Cli };

inline FixAllOutcome apply_all_fixes(const std::filesystem::path& file, FileKind kind,
                                     const std::vector<std::string>& select = {},
                                     std::optional<size_t> only = std::nullopt,
                                     FixApplier applier = FixApplier::Library) {
    using namespace fix_all_detail;
    const TempDir scratch("smaudit-fix-all");
    const fs::path& dir = scratch.path;
    // The same name before and after, in two directories: tools name the file in messages.
    const std::string name = kind == FileKind::Mc        ? "sendmail.mc"
                             : kind == FileKind::Access  ? "access"
                             : kind == FileKind::Aliases ? "aliases"
                                                         : "sendmail.cf";
    fs::create_directories(dir / "before");
    fs::create_directories(dir / "after");
    const fs::path before = dir / "before" / name, after = dir / "after" / name;
    FixAllOutcome outcome;
    outcome.original = read_text(file);
    if (kind == FileKind::Mc) outcome.original = with_installed_cf_tree(outcome.original);
    std::ofstream(before, std::ios::binary) << outcome.original;

    auto first = audit(before, kind, select);
    if (applier == FixApplier::Cli) {
        std::ofstream(after, std::ios::binary) << outcome.original;
        const nlohmann::json report = fix_with_cli(after, kind, select);
        outcome.passes = report["fixing"]["passes"].get<int>();
        for (const auto& [path, count] : report["summary"]["fixed"].items())
            outcome.fixes_written += count.get<int>();
        std::set<std::string> not_applied;
        for (const auto& f : report["fixing"]["not_applied"]) {
            const std::string id =
                f["rule"].get<std::string>() + " " + f["message"].get<std::string>();
            not_applied.insert(id);
            outcome.conflicted.push_back(id + ": " + f["reason"].get<std::string>());
        }
        // The findings of the first audit that --fix had a fix for and did not refuse.
        for (const Diagnostic& d : first->result.diagnostics)
            if (d.fix && !d.fix->edits.empty() && !not_applied.contains(identity(d)))
                outcome.applied.push_back(identity(d));
        outcome.fixed = read_text(after);
    } else {
        std::vector<const Diagnostic*> report;
        size_t with_fix = 0;
        for (const Diagnostic& d : first->result.diagnostics)
            if (!only || (d.fix && with_fix++ == *only)) report.push_back(&d);
        FixApplication application = apply_fixes(first->sources, report);
        for (const Diagnostic* d : application.applied)
            outcome.applied.push_back(identity(*d));
        for (const Diagnostic* d : application.conflicted)
            outcome.conflicted.push_back(identity(*d));
        outcome.fixed = outcome.original;
        for (const auto& [id, text] : application.texts) {
            // Fixes edit only the audited file, never the cf tree or an included file.
            REQUIRE(first->sources.get(id).path() == before.string());
            outcome.fixed = text;
        }
        std::ofstream(after, std::ios::binary) << outcome.fixed;
    }

    auto second = audit(after, kind, select);
    std::set<std::string> syntax_before, findings_after;
    for (const Diagnostic& d : first->result.diagnostics)
        if (d.rule_id.starts_with("SM-E")) syntax_before.insert(identity(d));
    for (const Diagnostic& d : second->result.diagnostics) {
        findings_after.insert(identity(d));
        outcome.after.push_back(identity(d));
        if (d.rule_id.starts_with("SM-E") && !syntax_before.contains(identity(d)))
            outcome.new_syntax.push_back(identity(d));
    }
    for (const std::string& fixed : outcome.applied)
        if (findings_after.contains(fixed)) outcome.reappeared.push_back(fixed);

    fs::path cf_before = before, cf_after = after;
    if (kind == FileKind::Mc) {
        M4Run m4_before = real_m4(before), m4_after = real_m4(after);
        outcome.m4_failed = m4_after.code != 0 && m4_before.code == 0;
        outcome.m4_failed_before = m4_before.code != 0;
        if (applier == FixApplier::Cli && m4_after.code == 0) {
            // Differences the original has already (esyscmd, which smaudit never runs) are not
            // the fixes' doing.
            auto differences = [](const fs::path& mc, const std::string& real_cf) {
                CommandResult own =
                    run_command(std::string(SMAUDIT_BINARY) + " expand --include-dir /etc/mail '" +
                                mc.string() + "' 2>/dev/null");
                const std::set<std::string> real = option_lines(real_cf),
                                            ours = option_lines(own.out);
                std::set<std::string> out;
                for (const std::string& line : real)
                    if (!ours.contains(line)) out.insert("m4: " + line);
                for (const std::string& line : ours)
                    if (!real.contains(line)) out.insert("smaudit: " + line);
                return out;
            };
            const std::set<std::string> already = differences(before, m4_before.cf);
            for (const std::string& d : differences(after, m4_after.cf))
                if (!already.contains(d)) outcome.option_differences.push_back(d);
        }
        outcome.fixed_cf = m4_after.cf;
        cf_before = dir / "before" / "sendmail.cf";
        cf_after = dir / "after" / "sendmail.cf";
        std::ofstream(cf_before, std::ios::binary) << m4_before.cf;
        std::ofstream(cf_after, std::ios::binary) << m4_after.cf;
    }
    if (sendmail_available() && (kind == FileKind::Mc || kind == FileKind::Cf)) {
        outcome.sendmail_checked = true;
        outcome.new_sendmail_messages =
            added(messages(sendmail_reads_without_prompt(cf_before), name),
                  messages(sendmail_reads_without_prompt(cf_after), name));
    }
    // With SMAUDIT_KEEP_FIXED=DIR the files before and after are kept there for a closer look.
    if (const char* keep = std::getenv("SMAUDIT_KEEP_FIXED"))
        fs::copy(dir, fs::path(keep) / file.filename(),
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return outcome;
}

// Whether real m4 and sendmail's cf tree are here (the checks above need them).
inline bool fix_all_tools_available() {
    if (installed_cf_tree().empty() || std::system("command -v m4 >/dev/null") != 0) {
        MESSAGE("skipped: no cf tree or no m4");
        return false;
    }
    return true;
}

} // namespace smaudit::test
