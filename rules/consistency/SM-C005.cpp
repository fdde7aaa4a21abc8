// SM-C005 unknown-mc-name: a define of a conf... name or a FEATURE that no file of the cf tree
// uses does nothing (a FEATURE without a file is also an m4 error, SM-E102). The known names are
// read from the installed cf tree, so they follow its version; the nearest is suggested.
#include "rules/mc_support.hpp"

#include <algorithm>
#include <cctype>

namespace smaudit::rules {

static bool is_conf_name(std::string_view name) {
    if (!name.starts_with("conf") || name.size() == 4) return false;
    return std::all_of(name.begin() + 4, name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

static bool is_name_byte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Whether `name` occurs as a whole m4 name in `text` outside `skip` (sorted spans of `text`) and
// outside `dnl` comments: there the .mc reads it (defn, ifdef, a call of the macro, ...).
static bool reads_name(std::string_view text, std::string_view name,
                       const std::vector<Span>& skip) {
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        size_t end = at + name.size();
        if ((at > 0 && is_name_byte(text[at - 1])) ||
            (end < text.size() && is_name_byte(text[end])))
            continue;
        if (std::any_of(skip.begin(), skip.end(),
                        [&](Span span) { return span.begin <= at && end <= span.end; }))
            continue;
        size_t line = text.rfind('\n', at);
        line = line == std::string_view::npos ? 0 : line + 1;
        std::string_view before = text.substr(line, at - line);
        bool commented = false;
        for (size_t d = before.find("dnl"); d != std::string_view::npos && !commented;
             d = before.find("dnl", d + 1))
            commented = (d == 0 || !is_name_byte(before[d - 1])) &&
                        (d + 3 == before.size() || !is_name_byte(before[d + 3]));
        if (!commented) return true;
    }
    return false;
}

// A name the .mc defines is in use when the .mc itself reads it, or a file it includes does
// (a local include such as Debian's /etc/mail/m4/dialup.m4): define(`confPRIVACY_FLAGS',
// defn(`confMY_FLAGS')) makes confMY_FLAGS matter although no file of the cf tree names it.
static bool read_by_mc(const RuleContext& context, std::string_view name) {
    const m4::Expansion& expansion = *context.expansion;
    // The name's own define/undefine calls only write it.
    std::vector<Span> written;
    for (const m4::MacroCall& call : expansion.calls)
        if ((call.name == "define" || call.name == "undefine") && !call.args.empty() &&
            call.args[0] == name && !call.arg_locations.empty() &&
            call.arg_locations[0].file == expansion.mc)
            written.push_back(call.arg_locations[0].span);
    if (reads_name(context.sources.get(expansion.mc).text(), name, written)) return true;
    return std::any_of(expansion.included_by.begin(), expansion.included_by.end(),
                       [&](const m4::Expansion::IncludedFile& included) {
                           return reads_name(context.sources.get(included.file).text(), name, {});
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
        if (known == &names.conf_names && read_by_mc(context, name)) continue;
        std::string suggestion = nearest_name(name, *known, known == &names.conf_names ? 4 : 0);
        Location arg = call.arg_locations.empty() ? Location{} : call.arg_locations[0];
        bool exact = arg.file == expansion.mc && context.sources.text_at(arg) == name;
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
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
