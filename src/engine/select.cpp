#include "engine/select.hpp"

#include <algorithm>
#include <cctype>

namespace smaudit {

namespace {
std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}
} // namespace

bool selector_matches(std::string_view selector, const Rule& rule) {
    std::string sel = upper(selector), id = upper(rule.id), name = upper(rule.name);
    return (!sel.empty() && id.compare(0, sel.size(), sel) == 0) || sel == name;
}

std::vector<std::string> unknown_selectors(const RuleSelection& selection) {
    std::vector<std::string> unknown;
    for (const auto* list : {&selection.select, &selection.ignore})
        for (const std::string& s : *list)
            if (std::none_of(all_rules().begin(), all_rules().end(),
                             [&](const Rule& r) { return selector_matches(s, r); }) &&
                std::none_of(loaded_rules().begin(), loaded_rules().end(),
                             [&](const Rule& r) { return selector_matches(s, r); }))
                unknown.push_back(s);
    for (const std::string& p : selection.packs)
        if (p != "security" && p != "performance" && p != "consistency" && p != "syntax")
            unknown.push_back(p);
    return unknown;
}

bool rule_selected(const RuleSelection& selection, const Rule& rule) {
    auto any = [&](const std::vector<std::string>& list) {
        return std::any_of(list.begin(), list.end(),
                           [&](const std::string& s) { return selector_matches(s, rule); });
    };
    if (!selection.packs.empty() && std::find(selection.packs.begin(), selection.packs.end(),
                                              to_string(rule.pack)) == selection.packs.end())
        return false;
    if (!selection.select.empty() && !any(selection.select)) return false;
    return !any(selection.ignore);
}

std::vector<const Rule*> selected_rules(const RuleSelection& selection) {
    std::vector<const Rule*> out;
    for (const auto* table : {&all_rules(), &loaded_rules()})
        for (const Rule& rule : *table)
            if (rule.check && rule_selected(selection, rule)) out.push_back(&rule);
    return out;
}

} // namespace smaudit
