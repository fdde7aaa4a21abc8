// --select / --ignore / --pack: which rules run. Selectors are ID prefixes ("SM-S", "SM-S02"),
// full IDs or rule names, as in ruff.
#pragma once

#include "engine/rule.hpp"

#include <optional>
#include <string>
#include <vector>

namespace smaudit {

struct RuleSelection {
    std::vector<std::string> select; // empty: every rule
    std::vector<std::string> ignore;
    std::vector<std::string> packs; // empty: every pack
};

// True when `selector` names the rule (prefix of its ID, or its name), case-insensitively.
bool selector_matches(std::string_view selector, const Rule& rule);
// Returns the selectors that match no rule at all (a typo the user should hear about).
std::vector<std::string> unknown_selectors(const RuleSelection& selection);
bool rule_selected(const RuleSelection& selection, const Rule& rule);
std::vector<const Rule*> selected_rules(const RuleSelection& selection);

} // namespace smaudit
