// SM-C004 define-before-cf-m4: cfhead.m4 (read by cf.m4) defines its defaults when the .mc
// includes cf.m4, replacing any define of the same name made before that include (KB §1.1.6).
#include "rules/mc_support.hpp"

#include <algorithm>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr || context.expansion->cf_dir.empty()) return;
    const m4::Expansion& expansion = *context.expansion;
    const m4::MacroCall* include = cf_m4_include(expansion);
    if (include == nullptr || include->where.file != expansion.mc) return;
    const std::vector<std::string>& overridden = cf_tree_names(expansion.cf_dir).cfhead_defines;
    auto defines = [](const m4::MacroCall& call, std::string_view name) {
        return (call.name == "define" || call.name == "undefine") && !call.args.empty() &&
               call.args[0] == name;
    };
    for (const m4::MacroCall& call : expansion.calls) {
        if (call.name != "define" || call.args.empty() || call.where.file != expansion.mc ||
            call.where.span.begin >= include->where.span.begin)
            continue;
        const std::string& name = call.args[0];
        if (!std::binary_search(overridden.begin(), overridden.end(), name)) continue;
        // A later define of the name after the include sets it anyway: this one is only dead.
        bool set_again = std::any_of(
            expansion.calls.begin(), expansion.calls.end(), [&](const m4::MacroCall& other) {
                return other.where.span.begin > include->where.span.begin && defines(other, name);
            });
        if (set_again) continue;
        Diagnostic& d = out.report(call.where,
                                   "this define of " + name +
                                       " has no effect: cfhead.m4 defines it again when cf.m4 "
                                       "is included later, so its default is used",
                                   "overridden by cfhead.m4");
        d.notes.push_back(Label{include->where, "cf.m4 (and cfhead.m4) read here"});
    }
}

extern const Rule kSM_C004 = {"SM-C004",
                              "define-before-cf-m4",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "a define() before the cf.m4 include that cfhead.m4 then overrides",
                              "move the define after the cf.m4 include",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
