#include "report/fingerprint.hpp"

#include "report/display.hpp"

#include <cstdint>
#include <cstdio>

namespace smaudit::report {

namespace {

uint64_t fnv1a(uint64_t hash, std::string_view bytes) {
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

} // namespace

std::string normalise_blanks(std::string_view text) {
    std::string out;
    bool blank = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            blank = !out.empty();
            continue;
        }
        if (blank) out += ' ';
        blank = false;
        out += c;
    }
    return out;
}

std::string fingerprint_hash(std::string_view rule_id, std::string_view uri,
                             std::string_view line_text) {
    uint64_t hash = 0xcbf29ce484222325ULL;
    hash = fnv1a(hash, rule_id);
    hash = fnv1a(hash, std::string_view("\0", 1));
    hash = fnv1a(hash, uri);
    hash = fnv1a(hash, std::string_view("\0", 1));
    hash = fnv1a(hash, normalise_blanks(line_text));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::string fingerprint_text(const SourceSet& sources, const Diagnostic& d) {
    const SourceFile* file = sources.find(d.where.file);
    if (file == nullptr) return d.message;
    Position begin = locate(*file, d.where.span.begin);
    if (begin.line > file->line_count()) return {};
    // Its first kFingerprintLineBytes: hundreds of findings on a map line of a million
    // characters hash bounded text each.
    return std::string(file->line_text(begin.line).substr(0, kFingerprintLineBytes));
}

} // namespace smaudit::report
