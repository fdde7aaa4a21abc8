#include "parse/maps_common.hpp"

#include <cstring>

namespace smaudit::maps_detail {

Diagnostic& report(std::vector<Diagnostic>& out, const SyntaxRule& rule, FileId file, Span span,
                   std::string message, std::string label) {
    Diagnostic& d = out.emplace_back();
    d.rule_id = std::string(rule.id);
    d.rule_name = std::string(rule.name);
    d.pack = Pack::Syntax;
    d.severity = rule.severity;
    d.message = std::move(message);
    d.where = Location{file, span};
    d.label = std::move(label);
    return d;
}

size_t count_lines(std::string_view text) {
    size_t lines = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
        ++lines;
        if (!nl) break;
        p = static_cast<const char*>(nl) + 1;
    }
    return lines;
}

uint64_t hash_folded(std::string_view raw) {
    // FNV-1a over the folded bytes.
    uint64_t h = 1469598103934665603ull;
    for (char c : raw) {
        h ^= static_cast<unsigned char>(ascii_lower(c));
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

bool equal_folded(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

DuplicateFinder::DuplicateFinder(size_t entries) {
    size_t size = 16;
    while (size < entries + entries / 2)
        size *= 2;
    table_.assign(size, kEmpty);
    mask_ = size - 1;
}

} // namespace smaudit::maps_detail
