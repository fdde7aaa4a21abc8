// The role × severity matrix: how much a rule's finding matters on each host role (KB §0.1,
// Appendix D item 5, the "Sev:" line of each check). The table itself is data in ONE place,
// rules/role_severity.cpp (its header comment tells rule authors how to add a row); the engine
// applies it after a rule emits, so rules report at their default severity and know nothing of
// roles. docs/roles.md shows the table (a test keeps it in step with the data).
#pragma once

#include "analyze/role.hpp"
#include "diag/diagnostic.hpp"
#include "engine/rule.hpp"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace smaudit {

struct Rule;

// One rule's severities, by role in model::kRoles order (mx, relay-hub, submission,
// client-only, msp). nullopt: not a finding on that role (the engine drops it).
struct RoleSeverityRow {
    std::string_view rule_id;
    std::array<std::optional<Severity>, model::kRoles.size()> by_role;
    std::optional<Severity> on(model::Role role) const {
        return by_role[static_cast<size_t>(role)];
    }
};

// Every row, sorted by rule ID (rules/role_severity.cpp).
std::span<const RoleSeverityRow> role_severity_table();
// The row of a rule; null when it has none (its findings keep their severity on every role).
const RoleSeverityRow* find_role_severity(std::string_view rule_id);

// The cell of `row` that applies to a host: its role's, except on a client-only host with a
// daemon reachable from other hosts (a null client listening on every address, or --role
// client-only on such a host), which gets the stricter of the client-only and mx cells: the
// daemon is as reachable as an MX's, and what matters on a client still matters
// (KB Appendix D item 5: role × exposure).
std::optional<Severity> severity_on(const RoleSeverityRow& row, const model::HostRole& host);

// Gives a finding of `rule` its severity on `host`. The cell (severity_on) says what a finding
// at the rule's default severity becomes; a finding the rule reported at another severity (its
// own tiers) moves by as many levels, within info..critical. When the severity changes, the
// message ends with a note ("(low on a client-only host)"). False: not a finding on that host.
bool apply_role_severity(const Rule& rule, const model::HostRole& host, Diagnostic& finding);

// apply_role_severity with the project's severity overrides: a rule named in `overrides` has
// that severity in place of its role's cell (a rule the role drops stays dropped), and a tiered
// finding moves by as many levels; the message notes it. `host` null: no role (maps alone), only
// the override applies.
bool apply_severity(const Rule& rule, const model::HostRole* host,
                    const SeverityOverrides* overrides, Diagnostic& finding);

// The table as docs/roles.md shows it: a Markdown table, one row per rule.
std::string role_severity_markdown();

} // namespace smaudit
