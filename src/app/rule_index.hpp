// The rule index: every catalog entry with the rule that implements it or its status, then
// smaudit's own checks (registered rules no catalog entry names). Made from the registry and the
// catalog (rules/catalog.hpp); `smaudit rules` prints it, and its Markdown form is
// docs/rules/index.md, which a test keeps identical to what this code makes.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace smaudit {

struct RuleIndexOptions {
    // Only what smaudit checks today: implemented catalog entries and the own checks.
    bool implemented_only = false;
};

// docs/rules/index.md, byte for byte, with the default options.
std::string rule_index_markdown(const RuleIndexOptions& options = {});
// The compact terminal table of `smaudit rules`.
void write_rule_index_terminal(std::ostream& out, const RuleIndexOptions& options);
// `smaudit rules --format json` (docs/schema/rules-v1.schema.json).
nlohmann::ordered_json rule_index_json(const RuleIndexOptions& options);

// The command that rewrites docs/rules/index.md, for messages.
inline constexpr std::string_view kRuleIndexCommand =
    "smaudit rules --format markdown -o docs/rules/index.md";

} // namespace smaudit
