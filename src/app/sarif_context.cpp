#include "app/sarif_context.hpp"

#include "engine/rule.hpp"
#include "engine/rule_docs.hpp"
#include "rules/catalog.hpp"

#include <filesystem>

namespace smaudit {

namespace {

// The paragraph under the page's `# ID name` title, its lines joined: what the rule finds.
std::string first_paragraph(std::string_view page) {
    std::string paragraph;
    bool in_paragraph = false;
    size_t at = 0;
    while (at < page.size()) {
        size_t end = page.find('\n', at);
        if (end == std::string_view::npos) end = page.size();
        std::string_view line = page.substr(at, end - at);
        at = end + 1;
        if (!in_paragraph) {
            if (line.empty() || line.starts_with("#")) continue;
            in_paragraph = true;
        } else if (line.empty() || line.starts_with("#")) {
            break;
        }
        if (!paragraph.empty()) paragraph += ' ';
        paragraph += line;
    }
    return paragraph;
}

} // namespace

std::vector<report::SarifRule> sarif_rules() {
    std::vector<report::SarifRule> rules;
    // Built-in rules, then the policies of --policy (their doc text is their page).
    for (const auto* table : {&all_rules(), &loaded_rules()})
        for (const Rule& rule : *table) {
            report::SarifRule r;
            r.id = rule.id;
            r.name = rule.name;
            r.pack = rule.pack;
            r.severity = rule.severity;
            r.summary = rule.summary;
            r.doc_page = rule_doc(rule.id);
            r.description = first_paragraph(r.doc_page);
            r.tags.emplace_back(to_string(rule.pack));
            if (rule.policy) r.tags.emplace_back("policy");
            for (const CatalogEntry* entry : catalog_entries_of(rule.id))
                r.tags.emplace_back(entry->id);
            rules.push_back(std::move(r));
        }
    return rules;
}

std::string report_root() {
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).string();
    return ec ? "/" : cwd;
}

report::SarifContext sarif_context(const AuditRun& run,
                                   const std::vector<report::SarifRule>* rules) {
    report::SarifContext context;
    if (rules)
        context.shared_rules = rules;
    else
        context.rules = sarif_rules();
    context.root = report_root();
    for (const DiscoveryError& error : run.errors)
        context.failures.push_back({error.path, error.message});
    for (const AuditedConfig& audited : run.configs)
        if (audited.mc)
            for (const m4::Expansion::IncludedFile& included : audited.mc->expansion.included_by)
                context.included.push_back({included.file, included.by_call});
    return context;
}

} // namespace smaudit
