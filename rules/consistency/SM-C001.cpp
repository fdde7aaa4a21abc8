// SM-C001 hash-does-not-comment: once cf.m4 is read, cfhead.m4's changecom() turns m4 comments
// off, so `# FEATURE(...)` is a call like any other and `#` is just copied to the output
// (KB §1.1.1, CFG-001; checked with m4 1.4: the feature's rules are in the .cf).
#include "rules/mc_support.hpp"

#include <cctype>

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr) return;
    const m4::Expansion& expansion = *context.expansion;
    for (const m4::MacroCall& call : expansion.calls) {
        // `dnl` is what does comment a line out; a name without an argument list is usually a
        // word in a comment's prose, not a call meant to do something.
        if (call.name == "dnl" || call.where.file != expansion.mc) continue;
        std::string_view call_text = context.sources.get(call.where.file).slice(call.where.span);
        if (call_text.find('(') == std::string_view::npos) continue;
        std::optional<uint32_t> hash_at = hash_before(context.sources, call.where);
        if (!hash_at) continue;
        const uint32_t hash = *hash_at;
        Diagnostic& d =
            out.report(call.where,
                       "`#` does not comment out " + call.name +
                           "(...) here: cf.m4 turned m4 comments off, so this call is active",
                       "this call runs");
        d.notes.push_back(
            Label{{call.where.file, {hash, hash + 1}}, "`#` is only copied to the .cf"});
        Fix fix{"replace `#` with `dnl`", false, {}};
        // `#FEATURE(...)` must become `dnl FEATURE(...)`: `dnlFEATURE` would be one m4 name,
        // copied to the .cf as text instead of commenting the line out.
        std::string_view after = context.sources.get(call.where.file).slice({hash + 1, hash + 2});
        bool name_follows = !after.empty() &&
                            (std::isalnum(static_cast<unsigned char>(after[0])) || after[0] == '_');
        fix.edits.push_back(
            Edit{{call.where.file, {hash, hash + 1}}, name_follows ? "dnl " : "dnl"});
        d.fix = std::move(fix);
    }
}

extern const Rule kSM_C001 = {"SM-C001",
                              "hash-does-not-comment",
                              Pack::Consistency,
                              Severity::High,
                              10,
                              "a macro call after `#` in an .mc is active: `#` is no comment "
                              "once cf.m4 is read",
                              "replace `#` with `dnl`",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
