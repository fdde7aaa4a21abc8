// The check catalog of the knowledge base (../shared/knowledge/sendmail-audit-kb.md, Appendix E:
// CFG-, SEC- and PERF- entries) and where smaudit stands on each: the rules that implement it,
// or why none does (yet). One table, rules/catalog.cpp; docs/rules/index.md and `smaudit rules`
// are made from it and the registry. Pack, severity and fix of an implemented entry are its
// rules' own (engine/rule.hpp), never repeated here.
#pragma once

#include "diag/diagnostic.hpp"

#include <string_view>
#include <vector>

namespace smaudit {

enum class CatalogStatus {
    Implemented,   // `rules` implement it (`note`: what part they leave out, if any)
    Planned,       // decidable from the files, but no rule yet
    NeedsLiveTree, // needs owner/mode/stat data of the live files: comes with the live-server work
    Undecidable,   // cannot be decided from the files at all; `note` says why
};
// "implemented", "planned", "needs-live-tree", "undecidable" (the JSON spelling).
std::string_view to_string(CatalogStatus status);

struct CatalogEntry {
    std::string_view id;          // "SEC-041"
    std::string_view title;       // as Appendix E words it
    std::string_view kb_severity; // Appendix E's severity ("high/critical"): shown until a rule
                                  // exists, whose registered severity then counts
    CatalogStatus status;
    std::vector<std::string_view> rules; // IDs of the rules that implement it, in ID order
    std::string_view note;               // why it is not implemented, or what a rule leaves out
};

// Every entry, in Appendix E's order: CFG, SEC, PERF, each by number.
const std::vector<CatalogEntry>& catalog();
// The pack an entry belongs to, from its prefix (CFG: consistency).
Pack catalog_pack(std::string_view catalog_id);
// The entries a rule implements (SM-S058: SEC-058 and PERF-031); empty for smaudit's own checks.
std::vector<const CatalogEntry*> catalog_entries_of(std::string_view rule_id);

} // namespace smaudit
