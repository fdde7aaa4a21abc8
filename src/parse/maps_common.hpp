// Internal helpers shared by the map parsers (not part of the public interface).
#pragma once

#include "diag/diagnostic.hpp"
#include "diag/syntax_code.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::maps_detail {

// The syntax diagnostics of the map formats (docs/rules/SM-E2xx.md); map_syntax_codes() lists
// them for the registry.
inline constexpr SyntaxCode kMapLeadingBlank{
    "SM-E201", "map-line-leading-blank", Severity::Medium, {}};
inline constexpr SyntaxCode kMapNoValue{"SM-E202", "map-key-without-value", Severity::Medium, {}};
inline constexpr SyntaxCode kMapLineTooLong{"SM-E203", "map-line-too-long", Severity::Medium, {}};
inline constexpr SyntaxCode kMapNulByte{"SM-E204", "map-line-nul-byte", Severity::Medium, {}};
inline constexpr SyntaxCode kMapDuplicateKey{"SM-E205", "map-duplicate-key", Severity::Low, {}};
inline constexpr SyntaxCode kAliasMissingColon{
    "SM-E211", "alias-missing-colon", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasLeadingBlank{
    "SM-E212", "alias-line-leading-blank", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasNoValue{"SM-E213", "alias-missing-value", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasIllegalName{
    "SM-E214", "alias-illegal-name", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasNonLocal{"SM-E215", "alias-non-local-name", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasDuplicate{"SM-E216", "alias-duplicate-name", Severity::Low, {}};
inline constexpr SyntaxCode kAliasNulByte{"SM-E217", "alias-line-nul-byte", Severity::Medium, {}};
inline constexpr SyntaxCode kAliasUnbalancedName{
    "SM-E218", "alias-unbalanced-name", Severity::Low, {}};
inline constexpr SyntaxCode kClassNulByte{"SM-E221", "class-line-nul-byte", Severity::Low, {}};

Diagnostic& report(SyntaxSink& out, const SyntaxCode& rule, FileId file, Span span,
                   std::string message, std::string label = {});

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Whether the text has a NUL byte anywhere (then lines need a closer look).
bool has_nul(std::string_view text);

// Hash of a key as makemap stores it (ASCII A-Z folded), or of an already stored key.
uint64_t hash_folded(std::string_view raw);
bool equal_folded(std::string_view a, std::string_view b);
// 32 bits of hash_folded: what the duplicate check keeps beside each entry (4 bytes, not 8, of
// a million-entry map's peak memory).
inline uint32_t key_hash32(std::string_view raw) {
    const uint64_t h = hash_folded(raw);
    return static_cast<uint32_t>(h ^ (h >> 32));
}

// Finds entries with equal keys in linear time. A slot holds the entry index and 32 bits of its
// key's hash, so probing past other keys rarely has to read them (a million-entry map must not
// cost a cache miss into the text per probe, nor a hash map of strings).
class DuplicateFinder {
  public:
    explicit DuplicateFinder(size_t entries);
    // The index held for the first entry seen with this key: `index` itself when the key is
    // new. equal(other) says whether entry `other` has the same key. The caller may overwrite
    // the index (aliases: the last definition wins).
    template <typename Equal> uint32_t& insert(uint32_t index, uint64_t hash, Equal&& equal) {
        const auto tag = static_cast<uint32_t>(hash >> 32);
        size_t slot = slot_of(hash);
        while (table_[slot].index != kEmpty) {
            if (table_[slot].tag == tag && equal(table_[slot].index)) return table_[slot].index;
            if (++slot == table_.size()) slot = 0;
        }
        table_[slot] = {index, tag};
        return table_[slot].index;
    }

    // Asks the CPU to fetch the slot of a later insert: the table is too big for the cache, and
    // a miss per entry would dominate the parse of a large map.
    void prefetch(uint64_t hash) const { __builtin_prefetch(&table_[slot_of(hash)]); }

  private:
    static constexpr uint32_t kEmpty = UINT32_MAX;
    struct Slot {
        uint32_t index;
        uint32_t tag;
    };
    // The low 32 bits of the hash scaled to the table's size (the high ones are the tag): the
    // size need not be a power of two, which would double a million-entry map's table.
    size_t slot_of(uint64_t hash) const {
        return static_cast<size_t>(((hash & 0xFFFFFFFFu) * table_.size()) >> 32);
    }
    std::vector<Slot> table_;
};

} // namespace smaudit::maps_detail
