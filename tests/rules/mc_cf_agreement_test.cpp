// Issues 7 and 8, "done when": on every .mc of the shared corpus that m4 can expand, the .mc and
// the .cf real m4 makes of it give the same security and performance findings. A rule reads the
// effective configuration, so which form it came from must not change its verdict, its severity
// or its words. The comparison is of rule, severity and message; places differ by nature (the
// .mc line against the .cf line).
#include "apply_all_fixes.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

using namespace smaudit;
namespace fs = std::filesystem;

namespace {

// Security and performance rules that see one form by nature: what they judge is not in the
// other file. (The consistency pack's rules read the .mc's own text; they are not compared.)
const std::map<std::string, std::string> kOneFormRules = {
    {"SM-S063", ".mc text: m4 builtins that run programs when the .mc is built"},
};

// What a message may add about one form only: how to fix a .cf that cannot be edited in place
// (the FEATURE's rules are gone from it). The finding itself is the same.
std::string without_form_remarks(const std::string& message) {
    return message.substr(0, message.find("; a .cf cannot be fixed in place"));
}

std::multiset<std::string> findings_of(const fs::path& file) {
    AuditRequest request;
    request.paths = {file.string()};
    request.selection.packs = {"security", "performance"};
    request.include_dirs = {"/etc/mail"}; // the corpus .mc files include /etc/mail/... (SM-E107)
    std::multiset<std::string> out;
    const std::unique_ptr<AuditRun> run = run_audit(request, true);
    for (const Diagnostic& d : run->result.diagnostics)
        if ((d.pack == Pack::Security || d.pack == Pack::Performance) &&
            !kOneFormRules.count(d.rule_id))
            out.insert(d.rule_id + " " + std::string(to_string(d.severity)) + " " +
                       without_form_remarks(d.message));
    return out;
}

std::string listed(const std::multiset<std::string>& findings) {
    std::string text;
    for (const std::string& f : findings)
        text += "\n  " + f;
    return text;
}

} // namespace

TEST_CASE("corpus: each .mc and the .cf real m4 makes of it give the same security and "
          "performance findings") {
    if (!test::fix_all_tools_available()) return;
    const fs::path corpus = fs::path(SMAUDIT_SOURCE_DIR) / ".." / "shared" / "corpus" / "mc";
    if (!fs::is_directory(corpus)) {
        MESSAGE("skipped: no shared corpus beside the checkout");
        return;
    }
    TempDir dir("smaudit-mc-cf-agreement");
    size_t compared = 0, with_findings = 0;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        if (entry.path().extension() != ".mc") continue;
        // A RHEL-style .mc names the cf tree by Red Hat's path: both forms are made from a copy
        // that names the installed tree.
        fs::path mc = entry.path();
        const std::string text = test::fix_all_detail::read_text(mc);
        if (const std::string local = test::fix_all_detail::with_installed_cf_tree(text);
            local != text) {
            mc = dir.path / ("rhel-" + mc.filename().string());
            std::ofstream(mc) << local;
        }
        const test::fix_all_detail::M4Run m4 = test::fix_all_detail::real_m4(mc);
        if (m4.code != 0) continue; // m4 cannot expand it: nothing to compare
        // The same stem (submit.cf is recognised by its name), in a directory of its own.
        const fs::path cf = dir.path / entry.path().stem().concat(".cf");
        std::ofstream(cf) << m4.cf;
        const std::multiset<std::string> from_mc = findings_of(mc);
        const std::multiset<std::string> from_cf = findings_of(cf);
        std::multiset<std::string> only_mc, only_cf;
        std::set_difference(from_mc.begin(), from_mc.end(), from_cf.begin(), from_cf.end(),
                            std::inserter(only_mc, only_mc.end()));
        std::set_difference(from_cf.begin(), from_cf.end(), from_mc.begin(), from_mc.end(),
                            std::inserter(only_cf, only_cf.end()));
        INFO(entry.path().filename().string(), "\nonly in the .mc:", listed(only_mc),
             "\nonly in the generated .cf:", listed(only_cf));
        CHECK(only_mc.empty());
        CHECK(only_cf.empty());
        ++compared;
        with_findings += !from_mc.empty();
    }
    MESSAGE(compared, " corpus .mc files compared with their generated .cf, ", with_findings,
            " with findings");
    // 25 of the corpus's 29 .mc files expand (the others name files no cf tree has); far fewer
    // means the test saw nothing.
    CHECK(compared >= 20);
    CHECK(with_findings >= 15);
}
