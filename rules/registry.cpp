// The one table of rules, sorted by ID (a test checks the order and the doc pages).
#include "rules/rules.hpp"

namespace smaudit {

const std::vector<Rule>& all_rules() {
    static const std::vector<Rule> rules = {
    };
    return rules;
}

} // namespace smaudit
