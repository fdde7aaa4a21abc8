// The one table of rules, sorted by ID (a test checks the order and the doc pages).
#include "rules/rules.hpp"

namespace smaudit {

const std::vector<Rule>& all_rules() {
    static const std::vector<Rule> rules = {
        rules::kSM_P003, rules::kSM_P004, rules::kSM_S003, rules::kSM_S020, rules::kSM_S022,
        rules::kSM_S023, rules::kSM_S052, rules::kSM_S057, rules::kSM_S058,
    };
    return rules;
}

} // namespace smaudit
