// SM-S065 relay-proven-open and host roles: run_rules skips the rule (and so its probes) where
// the role matrix drops its findings (the msp), and runs it on every other role.
#include "rule_test_support.hpp"

#include "../support/read_text.hpp"

using namespace smaudit;

namespace {

// SM-S065's findings on `text` for `role`, run as the audit runs it (run_rules).
std::vector<Diagnostic> check_as(std::string text, model::Role role) {
    SourceSet sources;
    std::vector<Diagnostic> parse_diagnostics;
    const FileId file = sources.add("test.cf", std::move(text), FileKind::Cf);
    ast::CfFile cf = parse_cf(sources, file, parse_diagnostics);
    model::Config config = model::build_config(sources, cf, parse_diagnostics);
    const Rule* rule = find_rule("SM-S065");
    REQUIRE(rule != nullptr);
    model::HostRole host;
    host.role = role;
    RuleContext context{sources, config};
    context.role = &host;
    std::vector<Diagnostic> findings;
    run_rules({rule}, context, findings);
    return findings;
}

} // namespace

TEST_CASE("SM-S065 runs no probes for the submission program, and probes on the other roles") {
    // A check_rcpt that accepts everything (sendmail -bt: check_rcpt returns $# OK).
    const std::string open_relay = read_whole_file(std::filesystem::path(SMAUDIT_SOURCE_DIR) /
                                                   "fixtures/rules/SM-S065/bad-hand-written.cf");
    CHECK(check_as(open_relay, model::Role::Msp).empty());
    for (model::Role role : {model::Role::Mx, model::Role::RelayHub, model::Role::Submission,
                             model::Role::ClientOnly}) {
        CAPTURE(model::to_string(role));
        const std::vector<Diagnostic> findings = check_as(open_relay, role);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].rule_id == "SM-S065");
    }
}
