// Rule documentation pages (docs/rules/<ID>.md), embedded in the binary at build time by
// cmake/embed_docs.cmake: the one source for `smaudit explain`, the reports and SARIF help.
#pragma once

#include <string_view>
#include <vector>

namespace smaudit {

struct RuleDocPage {
    std::string_view id;
    std::string_view markdown;
};

const std::vector<RuleDocPage>& rule_doc_pages();
// The page of a rule ID, empty when there is none.
std::string_view rule_doc(std::string_view id);

// A fenced block under a heading of the page: `## Bad example` / `## Good example` hold the
// examples that are also tests. Returns the block's text, empty when absent.
std::string_view doc_code_block(std::string_view markdown, std::string_view heading);

} // namespace smaudit
