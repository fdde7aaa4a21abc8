#include "parse/maps_show.hpp"

namespace smaudit {

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 when the byte does not start one.
size_t utf8_length(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return 0;
    if (n == 2 && c < 0xC2) return 0; // overlong
    return n;
}

nlohmann::json entry(const SourceFile& source, std::string_view key, nlohmann::json value,
                     uint32_t offset) {
    return {{"key", bytes_to_utf8(key)},
            {"value", std::move(value)},
            {"path", source.path()},
            {"line", source.position(offset).line}};
}

} // namespace

std::string bytes_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        if (size_t n = utf8_length(bytes, i)) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            const auto c = static_cast<unsigned char>(bytes[i++]);
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

nlohmann::json map_show_json(const SourceSet& sources, const ast::KeyValueMap& map) {
    const SourceFile& source = sources.get(map.file);
    nlohmann::json entries = nlohmann::json::array();
    for (const ast::MapEntry& e : map.entries) {
        if (e.duplicate()) continue; // makemap keeps the first
        entries.push_back(entry(source, map.stored_key(e), bytes_to_utf8(map.value(e)), e.begin));
    }
    return {{"entries", std::move(entries)}};
}

nlohmann::json map_show_json(const SourceSet& sources, const ast::AliasesFile& aliases) {
    const SourceFile& source = sources.get(aliases.file);
    nlohmann::json entries = nlohmann::json::array();
    for (const ast::AliasEntry& e : aliases.entries) {
        if (e.overridden()) continue; // newaliases keeps the last
        entries.push_back(
            entry(source, aliases.key(e), bytes_to_utf8(aliases.value(e)), e.span.begin));
    }
    return {{"entries", std::move(entries)}};
}

nlohmann::json map_show_json(const SourceSet& sources, const ast::ClassFile& cls) {
    const SourceFile& source = sources.get(cls.file);
    nlohmann::json entries = nlohmann::json::array();
    for (const Span& w : cls.words)
        entries.push_back(entry(source, cls.word(w), nullptr, w.begin));
    return {{"entries", std::move(entries)}};
}

} // namespace smaudit
