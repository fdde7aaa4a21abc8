#include "parse/maps_common.hpp"
#include "parse/maps.hpp"

#include <algorithm>
#include <cstring>

namespace smaudit::maps_detail {

Diagnostic& report(SyntaxSink& out, const SyntaxCode& rule, FileId file, Span span,
                   std::string message, std::string label) {
    return out.add(rule, Location{file, span}, std::move(message), std::move(label));
}

bool has_nul(std::string_view text) {
    return std::memchr(text.data(), '\0', text.size());
}

// ASCII A-Z of eight bytes at once folded to lower case (bytes >= 0x80 untouched).
static uint64_t fold8(uint64_t w) {
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    const uint64_t low7 = w & (0x7f * kOnes);
    const uint64_t above_z = low7 + (0x80 - 'Z' - 1) * kOnes; // high bit set where > 'Z'
    const uint64_t from_a = low7 + (0x80 - 'A') * kOnes;      // high bit set where >= 'A'
    const uint64_t upper = (from_a ^ above_z) & ~w & (0x80 * kOnes);
    return w | (upper >> 2);
}

static uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

uint64_t hash_folded(std::string_view raw) {
    // Eight bytes a step: large maps hash a million keys.
    uint64_t h = raw.size() * 0x9e3779b97f4a7c15ull;
    size_t i = 0;
    for (; i + 8 <= raw.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, raw.data() + i, 8);
        h = (h ^ fold8(w)) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    // The last 1 to 7 bytes: from a load of the key's last eight bytes when it has them (a
    // memcpy of a variable length is a call, and a million keys end here), else byte by byte.
    uint64_t tail = 0;
    const size_t left = raw.size() - i;
    if (left > 0 && raw.size() >= 8) {
        std::memcpy(&tail, raw.data() + raw.size() - 8, 8);
        tail >>= 8 * (8 - left); // a function of the key's bytes either way: all the hash needs
    } else {
        for (size_t k = 0; k < left; ++k)
            tail |= uint64_t{static_cast<unsigned char>(raw[i + k])} << (8 * k);
    }
    h = (h ^ fold8(tail)) * 0x9e3779b97f4a7c15ull;
    return mix(h);
}

bool equal_folded(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

DuplicateFinder::DuplicateFinder(size_t entries) {
    // Two thirds full at most: a few probes per insert, 12 bytes per entry.
    table_.assign(std::max<size_t>(16, entries + entries / 2), Slot{kEmpty, 0});
}

} // namespace smaudit::maps_detail

namespace smaudit {

std::span<const SyntaxCode> map_syntax_codes() {
    using namespace maps_detail;
    static const SyntaxCode codes[] = {
        kMapLeadingBlank,     kMapNoValue,        kMapLineTooLong,    kMapNulByte,
        kMapDuplicateKey,     kAliasMissingColon, kAliasLeadingBlank, kAliasNoValue,
        kAliasIllegalName,    kAliasNonLocal,     kAliasDuplicate,    kAliasNulByte,
        kAliasUnbalancedName, kClassNulByte,
    };
    return codes;
}

size_t FoldedKeyHash::operator()(std::string_view key) const {
    return static_cast<size_t>(maps_detail::hash_folded(key));
}

bool FoldedKeyEqual::operator()(std::string_view a, std::string_view b) const {
    return maps_detail::equal_folded(a, b);
}

} // namespace smaudit
