#include "engine/role_severity.hpp"

#include "engine/rule.hpp"

#include <algorithm>

namespace smaudit {

const RoleSeverityRow* find_role_severity(std::string_view rule_id) {
    std::span<const RoleSeverityRow> table = role_severity_table();
    auto row = std::lower_bound(
        table.begin(), table.end(), rule_id,
        [](const RoleSeverityRow& r, std::string_view id) { return r.rule_id < id; });
    return row != table.end() && row->rule_id == rule_id ? &*row : nullptr;
}

bool apply_role_severity(const Rule& rule, model::Role role, Diagnostic& finding) {
    const RoleSeverityRow* row = find_role_severity(rule.id);
    if (row == nullptr) return true;
    std::optional<Severity> on_role = row->on(role);
    if (!on_role) return false;
    int moved = static_cast<int>(finding.severity) + static_cast<int>(*on_role) -
                static_cast<int>(rule.severity);
    Severity severity = static_cast<Severity>(
        std::clamp(moved, static_cast<int>(Severity::Info), static_cast<int>(Severity::Critical)));
    if (severity == finding.severity) return true;
    finding.severity = severity;
    // On the first line: reporters that show one line of a message show the note too.
    const std::string note = " (" + std::string(to_string(severity)) + " on " +
                             std::string(model::describe(role)) + ")";
    finding.message.insert(std::min(finding.message.find('\n'), finding.message.size()), note);
    return true;
}

std::string role_severity_markdown() {
    std::string out = "| Rule | Default |";
    for (model::Role role : model::kRoles)
        out += " " + std::string(to_string(role)) + " |";
    out += "\n|---|---|";
    for (size_t i = 0; i < model::kRoles.size(); ++i)
        out += "---|";
    out += "\n";
    for (const RoleSeverityRow& row : role_severity_table()) {
        const Rule* rule = find_rule(row.rule_id);
        out += "| " + std::string(row.rule_id) +
               (rule ? " " + std::string(rule->name) : std::string()) + " | " +
               (rule ? std::string(to_string(rule->severity)) : std::string("?")) + " |";
        for (model::Role role : model::kRoles) {
            std::optional<Severity> s = row.on(role);
            out += " " + (s ? std::string(to_string(*s)) : std::string("—")) + " |";
        }
        out += "\n";
    }
    return out;
}

} // namespace smaudit
