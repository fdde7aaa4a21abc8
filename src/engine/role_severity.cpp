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

std::optional<Severity> severity_on(const RoleSeverityRow& row, const model::HostRole& host) {
    std::optional<Severity> cell = row.on(host.role);
    if (host.role != model::Role::ClientOnly || !host.exposed) return cell;
    std::optional<Severity> mx = row.on(model::Role::Mx);
    if (!cell || (mx && *mx > *cell)) return mx;
    return cell;
}

bool apply_role_severity(const Rule& rule, const model::HostRole& host, Diagnostic& finding) {
    return apply_severity(rule, &host, nullptr, finding);
}

bool apply_severity(const Rule& rule, const model::HostRole* host,
                    const SeverityOverrides* overrides, Diagnostic& finding) {
    std::optional<Severity> cell = rule.severity;
    std::string why; // the note's reason, after the severity
    if (const RoleSeverityRow* row = host ? find_role_severity(rule.id) : nullptr) {
        cell = severity_on(*row, *host);
        if (!cell) return false;
        why =
            " on " + std::string(model::describe(host->role)) +
            (host->role == model::Role::ClientOnly && host->exposed ? " reachable from other hosts"
                                                                    : "");
    }
    if (overrides != nullptr)
        if (auto set = overrides->find(rule.id); set != overrides->end()) {
            cell = set->second;
            why = ", set by the project configuration";
        }
    int moved = static_cast<int>(finding.severity) + static_cast<int>(*cell) -
                static_cast<int>(rule.severity);
    Severity severity = static_cast<Severity>(
        std::clamp(moved, static_cast<int>(Severity::Info), static_cast<int>(Severity::Critical)));
    if (severity == finding.severity) return true;
    finding.severity = severity;
    // On the first line: reporters that show one line of a message show the note too.
    const std::string note = " (" + std::string(to_string(severity)) + why + ")";
    finding.message.insert(std::min(finding.message.find('\n'), finding.message.size()), note);
    return true;
}

std::string role_severity_markdown() {
    // The mx cell is the rule's default severity (a test checks), so it needs no column.
    std::string out = "| Rule |";
    for (model::Role role : model::kRoles)
        out += " " + std::string(to_string(role)) + (role == model::Role::Mx ? " (default)" : "") +
               " |";
    out += "\n|---|";
    for (size_t i = 0; i < model::kRoles.size(); ++i)
        out += "---|";
    out += "\n";
    for (const RoleSeverityRow& row : role_severity_table()) {
        const Rule* rule = find_rule(row.rule_id);
        out += "| " + std::string(row.rule_id) +
               (rule ? " " + std::string(rule->name) : std::string()) + " |";
        for (model::Role role : model::kRoles) {
            std::optional<Severity> s = row.on(role);
            out += " " + (s ? std::string(to_string(*s)) : std::string("—")) + " |";
        }
        out += "\n";
    }
    return out;
}

} // namespace smaudit
