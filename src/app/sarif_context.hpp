// What the SARIF reporter needs from outside the findings (report/sarif.hpp): the rules'
// metadata from the registry, their doc pages and catalog entries; the root; the files that
// could not be read.
#pragma once

#include "app/audit.hpp"
#include "report/sarif.hpp"

namespace smaudit {

// Every registered rule as SARIF describes it: summary, the doc page's first paragraph as the
// full description, the page itself as help, and tags (the pack, "security" for the security
// pack, and the catalog entries it implements, SEC-023 ...).
std::vector<report::SarifRule> sarif_rules();

// The directory the CI reports (SARIF's %SRCROOT%, --format github and gitlab) give paths
// relative to: the working directory, which a CI job runs in the repository's root ("/" when
// it cannot be known).
std::string report_root();

// The context of one run: sarif_rules(), the working directory as %SRCROOT%, the run's
// discovery and read errors, the files its .mc calls read.
// RULES: sarif_rules() made once for many runs (a fleet's hosts), shared instead of made again.
report::SarifContext sarif_context(const AuditRun& run,
                                   const std::vector<report::SarifRule>* rules = nullptr);

} // namespace smaudit
