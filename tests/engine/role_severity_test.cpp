// The role × severity matrix (rules/role_severity.cpp): its invariants, how the engine applies a
// row to a finding, and docs/roles.md showing exactly the table the engine uses.
#include "engine/role_severity.hpp"
#include "engine/rule.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace smaudit;
using model::Role;

constexpr Severity I = Severity::Info, M = Severity::Medium;

namespace {
model::HostRole host(Role role, bool exposed = false) {
    model::HostRole h;
    h.role = h.detected = role;
    h.exposed = exposed;
    return h;
}
} // namespace

TEST_CASE("every row names a registered rule with a check, sorted by ID, once") {
    std::span<const RoleSeverityRow> table = role_severity_table();
    REQUIRE_FALSE(table.empty());
    for (size_t i = 0; i < table.size(); ++i) {
        const Rule* rule = find_rule(table[i].rule_id);
        CHECK_MESSAGE(rule != nullptr, table[i].rule_id, " is not a registered rule");
        // Syntax codes (no check) say what sendmail refuses to read, whatever the host.
        if (rule)
            CHECK_MESSAGE(static_cast<bool>(rule->check), table[i].rule_id, " is a syntax code");
        if (rule) CHECK(rule->id == table[i].rule_id); // the ID itself, not a name
        if (i > 0) CHECK_MESSAGE(table[i - 1].rule_id < table[i].rule_id, table[i].rule_id);
    }
}

TEST_CASE("a row is a finding's severity by role; other severities move with it") {
    const Rule& expn = *find_rule("SM-S022"); // medium by default; low client-only; none msp
    Diagnostic d;
    d.severity = expn.severity;
    d.message = "EXPN is enabled";
    Diagnostic on_mx = d;
    CHECK(apply_role_severity(expn, host(Role::Mx), on_mx));
    CHECK(on_mx.severity == Severity::Medium);
    CHECK(on_mx.message == "EXPN is enabled"); // unchanged: no note
    Diagnostic on_client = d;
    CHECK(apply_role_severity(expn, host(Role::ClientOnly), on_client));
    CHECK(on_client.severity == Severity::Low);
    CHECK(on_client.message == "EXPN is enabled (low on a client-only host)");
    Diagnostic on_msp = d;
    CHECK_FALSE(apply_role_severity(expn, host(Role::Msp), on_msp));

    // SM-S007 tiers its findings (high, medium, low); client-only lowers medium to low, so high
    // becomes medium and low becomes info. The note goes on the first line of the message.
    const Rule& from_relay = *find_rule("SM-S007");
    REQUIRE(from_relay.severity == Severity::Medium);
    REQUIRE(find_role_severity("SM-S007")->on(Role::ClientOnly) == Severity::Low);
    Diagnostic high;
    high.severity = Severity::High;
    high.message = "first line\nsecond line";
    CHECK(apply_role_severity(from_relay, host(Role::ClientOnly), high));
    CHECK(high.severity == Severity::Medium);
    CHECK(high.message == "first line (medium on a client-only host)\nsecond line");
    Diagnostic low;
    low.severity = Severity::Low;
    CHECK(apply_role_severity(from_relay, host(Role::ClientOnly), low));
    CHECK(low.severity == Severity::Info);

    // A rule without a row keeps its findings as they are on every role.
    const Rule& dont_blame = *find_rule("SM-S052");
    REQUIRE(find_role_severity("SM-S052") == nullptr);
    for (Role role : model::kRoles) {
        Diagnostic kept;
        kept.severity = Severity::Low;
        CHECK(apply_role_severity(dont_blame, host(role), kept));
        CHECK(kept.severity == Severity::Low);
    }
}

TEST_CASE("a client-only host with a reachable daemon gets the stricter of client-only and mx") {
    const RoleSeverityRow& expn = *find_role_severity("SM-S022"); // M M M L none
    CHECK(severity_on(expn, host(Role::ClientOnly)) == Severity::Low);
    CHECK(severity_on(expn, host(Role::ClientOnly, true)) == Severity::Medium);
    const RoleSeverityRow& throttle = *find_role_severity("SM-P004"); // L L L none none
    CHECK(severity_on(throttle, host(Role::ClientOnly)) == std::nullopt);
    CHECK(severity_on(throttle, host(Role::ClientOnly, true)) == Severity::Low);
    // A cell above mx's stays (a check of a daemon listening where a client should not).
    RoleSeverityRow exposure{"SM-X", {I, I, I, M, std::nullopt}};
    CHECK(severity_on(exposure, host(Role::ClientOnly, true)) == Severity::Medium);
    // Other roles: their own cell, exposed or not (--role mx on a loopback host is an MX).
    CHECK(severity_on(expn, host(Role::Mx, false)) == Severity::Medium);
    CHECK(severity_on(expn, host(Role::Msp, true)) == std::nullopt);

    Diagnostic d;
    d.message = "m";
    const Rule& rule = *find_rule("SM-S020"); // L L L I none: low by default
    d.severity = Severity::Low;
    model::HostRole reachable = host(Role::ClientOnly, true);
    CHECK(apply_role_severity(rule, reachable, d));
    CHECK(d.severity == Severity::Low);
    CHECK(d.message == "m");
}

TEST_CASE("the mx column is each rule's default: the default is what an MX gets") {
    // Rules default to the Internet-facing case (the KB's first "Sev:" value); a row that
    // disagrees would make the same finding differ between a run with and without a role.
    for (const RoleSeverityRow& row : role_severity_table()) {
        const Rule* rule = find_rule(row.rule_id);
        if (rule) CHECK_MESSAGE(row.on(Role::Mx) == rule->severity, row.rule_id);
    }
}

TEST_CASE("docs/roles.md shows the table the engine uses") {
    std::ifstream in(std::string(SMAUDIT_SOURCE_DIR) + "/docs/roles.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string expected = role_severity_markdown();
    CHECK_MESSAGE(text.str().find(expected) != std::string::npos,
                  "docs/roles.md is stale: replace its matrix with\n", expected);
}

TEST_CASE("a project's severity override takes the place of the role's cell") {
    const Rule& expn = *find_rule("SM-S022"); // medium by default; low client-only; none msp
    const SeverityOverrides overrides = {{"SM-S022", Severity::High}};
    Diagnostic d;
    d.severity = expn.severity;
    d.message = "EXPN is enabled\nsecond line";
    for (Role role : {Role::Mx, Role::ClientOnly}) {
        Diagnostic on_role = d;
        const model::HostRole on = host(role);
        CHECK(apply_severity(expn, &on, &overrides, on_role));
        CHECK(on_role.severity == Severity::High);
        CHECK(on_role.message ==
              "EXPN is enabled (high, set by the project configuration)\nsecond line");
    }
    // Not a finding on the role: an override does not bring it back.
    Diagnostic on_msp = d;
    const model::HostRole msp = host(Role::Msp), mx = host(Role::Mx);
    CHECK_FALSE(apply_severity(expn, &msp, &overrides, on_msp));
    // Without a role (maps alone), the override alone.
    Diagnostic no_role = d;
    CHECK(apply_severity(expn, nullptr, &overrides, no_role));
    CHECK(no_role.severity == Severity::High);
    // A tiered finding (one level below the default) moves with it; critical is the ceiling.
    Diagnostic low = d;
    low.severity = Severity::Low;
    CHECK(apply_severity(expn, nullptr, &overrides, low));
    CHECK(low.severity == Severity::Medium);
    const SeverityOverrides to_critical = {{"SM-S022", Severity::Critical}};
    Diagnostic above = d;
    above.severity = Severity::High;
    CHECK(apply_severity(expn, nullptr, &to_critical, above));
    CHECK(above.severity == Severity::Critical);
    // Another rule's override changes nothing.
    Diagnostic other = d;
    const SeverityOverrides elsewhere = {{"SM-S023", Severity::Info}};
    CHECK(apply_severity(expn, &mx, &elsewhere, other));
    CHECK(other.severity == Severity::Medium);
    CHECK(other.message == d.message);
}
