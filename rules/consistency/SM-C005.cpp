// SM-C005 unknown-mc-name: a define of a conf... name or a FEATURE that no file of the cf tree
// uses does nothing (a FEATURE without a file is also an m4 error, SM-E102). The known names are
// read from the installed cf tree, so they follow its version; the nearest is suggested.
#include "rules/mc_support.hpp"

#include <algorithm>

namespace smaudit::rules {

static bool is_conf_name(std::string_view name) {
    if (!name.starts_with("conf") || name.size() == 4) return false;
    return std::all_of(name.begin() + 4, name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr || context.expansion->cf_dir.empty()) return;
    const m4::Expansion& expansion = *context.expansion;
    const CfTreeNames& names = cf_tree_names(expansion.cf_dir);
    if (names.features.empty()) return; // not a readable tree
    for (const m4::MacroCall& call : expansion.calls) {
        if (call.args.empty() || call.where.file != expansion.mc) continue;
        const std::string& name = call.args[0];
        const std::vector<std::string>* known = nullptr;
        std::string_view what;
        if ((call.name == "define" || call.name == "undefine") && is_conf_name(name)) {
            known = &names.conf_names;
            what = "option macro";
        } else if (call.name == "FEATURE" && !name.empty()) {
            known = &names.features;
            what = "FEATURE";
        } else {
            continue;
        }
        if (std::binary_search(known->begin(), known->end(), name)) continue;
        std::string suggestion = nearest_name(name, *known, known == &names.conf_names ? 4 : 0);
        Location arg = call.arg_locations.empty() ? Location{} : call.arg_locations[0];
        bool exact = arg.valid() && arg.file == expansion.mc &&
                     context.sources.get(arg.file).slice(arg.span) == name;
        std::string message = "no file of the cf tree uses the " + std::string(what) + " `" + name +
                              "`, so this " + call.name + " does nothing";
        if (!suggestion.empty()) message += "; did you mean `" + suggestion + "`?";
        Diagnostic& d = out.report(exact ? arg : call.where, std::move(message), "unknown name");
        if (exact && !suggestion.empty()) {
            Fix fix{"use `" + suggestion + "`", false, {}};
            fix.edits.push_back(Edit{arg, suggestion});
            d.fix = std::move(fix);
        }
    }
}

extern const Rule kSM_C005 = {"SM-C005",
                              "unknown-mc-name",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "a define() or FEATURE() name no file of the cf tree uses "
                              "(a misspelling)",
                              "use the nearest known name",
                              &check};

} // namespace smaudit::rules
