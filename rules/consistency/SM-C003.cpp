// SM-C003 unquoted-comma-list: m4 splits an unquoted value at its commas, so
// define(`confPRIVACY_FLAGS', goaway,noetrn) keeps only `goaway` (KB §1.1.3, checked with m4:
// "excess arguments to builtin `define' ignored").
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr) return;
    const m4::Expansion& expansion = *context.expansion;
    for (const m4::MacroCall& call : expansion.calls) {
        if (call.name != "define" || call.args.size() <= 2 || call.where.file != expansion.mc)
            continue;
        std::string lost;
        for (size_t i = 2; i < call.args.size(); ++i)
            lost += (i > 2 ? "," : "") + call.args[i];
        const bool located = call.arg_locations.size() == call.args.size();
        Location value = located ? call.arg_locations[1] : Location{};
        Location last = located ? call.arg_locations.back() : Location{};
        bool exact = value.valid() && value.file == expansion.mc && last.valid() &&
                     last.file == expansion.mc && last.span.end >= value.span.begin;
        Location where =
            exact ? Location{expansion.mc, {value.span.begin, last.span.end}} : call.where;
        Diagnostic& d =
            out.report(where,
                       "unquoted comma list: m4 splits it into arguments and " + call.args[0] +
                           " gets only `" + call.args[1] + "`; `" + lost + "` is dropped",
                       "only the first item is kept");
        // The same quoting edits as every other fix on this list, so they compose.
        if (auto list = unquoted_list(context.sources, expansion, call))
            d.fix = Fix{"quote the whole list twice", false, {list->open, list->close}};
    }
}

extern const Rule kSM_C003 = {"SM-C003",
                              "unquoted-comma-list",
                              Pack::Consistency,
                              Severity::Medium,
                              5,
                              "a define() value with unquoted commas: m4 keeps only the first item",
                              "quote the whole list twice",
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
