#include "parse/maps_show.hpp"

#include "source/block_writer.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

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

// Length of the UTF-8 sequence at s[i] (s[i] >= 0x80) as nlohmann::json's dump accepts it
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), 0 when invalid.
size_t strict_utf8_length(std::string_view s, size_t i) {
    const auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = at(0);
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    }
    if (n == 0 || i + n > s.size()) return 0;
    if (at(1) < lo || at(1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (at(k) < 0x80 || at(k) > 0xBF) return 0;
    return n;
}

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

void append_indent(std::string& out, unsigned depth) {
    out.append(2 * size_t{depth}, ' ');
}

// Raw map bytes as a JSON string: latin-1 bytes shown as UTF-8, then escaped.
void append_json_bytes(std::string& out, std::string_view bytes) {
    if (is_ascii(bytes))
        append_json_string(out, bytes);
    else
        append_json_string(out, bytes_to_utf8(bytes));
}

void append_utf8_bytes(std::string& out, std::string_view bytes) {
    if (is_ascii(bytes))
        out.append(bytes);
    else
        out.append(bytes_to_utf8(bytes));
}

template <class Map>
void write_json(std::ostream& stream, const SourceSet& sources, const Map& map, unsigned depth) {
    std::string path;
    append_json_string(path, sources.get(map.file).path());
    BlockWriter writer(stream);
    std::string& out = writer.text();
    bool first = true;
    for_each_shown_entry(sources, map, [&](const ShownEntry& entry) {
        out += first ? "[\n" : ",\n";
        first = false;
        append_indent(out, depth + 1);
        out += "{\n";
        append_indent(out, depth + 2);
        out += "\"key\": ";
        append_json_bytes(out, entry.key);
        out += ",\n";
        append_indent(out, depth + 2);
        out += "\"line\": ";
        char digits[16];
        out.append(digits, std::to_chars(digits, digits + sizeof digits, entry.line).ptr);
        out += ",\n";
        append_indent(out, depth + 2);
        out += "\"path\": ";
        out += path;
        out += ",\n";
        append_indent(out, depth + 2);
        out += "\"value\": ";
        if (entry.value)
            append_json_bytes(out, *entry.value);
        else
            out += "null";
        out += '\n';
        append_indent(out, depth + 1);
        out += '}';
        writer.maybe_flush();
    });
    if (first) {
        out += "[]";
        return;
    }
    out += '\n';
    append_indent(out, depth);
    out += ']';
}

template <class Map>
void write_terminal(std::ostream& stream, const SourceSet& sources, const Map& map) {
    BlockWriter writer(stream);
    std::string& out = writer.text();
    for_each_shown_entry(sources, map, [&](const ShownEntry& entry) {
        append_utf8_bytes(out, entry.key);
        if (entry.value) {
            out += '\t';
            append_utf8_bytes(out, *entry.value);
        }
        out += '\n';
        writer.maybe_flush();
    });
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

void append_json_string(std::string& out, std::string_view text) {
    const size_t start = out.size();
    out += '"';
    size_t run = 0; // first byte not yet copied
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const size_t n = strict_utf8_length(text, i);
            if (n == 0) {
                // Invalid UTF-8: nlohmann's own replacement rules, byte for byte.
                out.resize(start);
                out += nlohmann::json(std::string(text))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            i += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(text.substr(run, i - run));
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        }
        run = ++i;
    }
    out.append(text.substr(run));
    out += '"';
}

void for_each_shown_entry(const SourceSet& sources, const ast::KeyValueMap& map,
                          const ShownEntryVisitor& visit) {
    const SourceFile& source = sources.get(map.file);
    for (const ast::MapEntry& e : map.entries) {
        if (e.duplicate()) continue; // makemap keeps the first
        const std::string key = map.stored_key(e);
        visit({key, map.value(e), source.position(e.begin).line});
    }
}

void for_each_shown_entry(const SourceSet& sources, const ast::AliasesFile& aliases,
                          const ShownEntryVisitor& visit) {
    const SourceFile& source = sources.get(aliases.file);
    for (const ast::AliasEntry& e : aliases.entries) {
        if (e.overridden()) continue; // newaliases keeps the last
        const std::string key = aliases.key(e);
        const std::string value = aliases.value(e);
        visit({key, value, source.position(e.span.begin).line});
    }
}

void for_each_shown_entry(const SourceSet& sources, const ast::ClassFile& cls,
                          const ShownEntryVisitor& visit) {
    const SourceFile& source = sources.get(cls.file);
    for (const Span& w : cls.words)
        visit({cls.word(w), std::nullopt, source.position(w.begin).line});
}

void write_entries_json(std::ostream& out, const SourceSet& sources, const ast::KeyValueMap& map,
                        unsigned depth) {
    write_json(out, sources, map, depth);
}
void write_entries_json(std::ostream& out, const SourceSet& sources,
                        const ast::AliasesFile& aliases, unsigned depth) {
    write_json(out, sources, aliases, depth);
}
void write_entries_json(std::ostream& out, const SourceSet& sources, const ast::ClassFile& cls,
                        unsigned depth) {
    write_json(out, sources, cls, depth);
}

void write_entries_terminal(std::ostream& out, const SourceSet& sources,
                            const ast::KeyValueMap& map) {
    write_terminal(out, sources, map);
}
void write_entries_terminal(std::ostream& out, const SourceSet& sources,
                            const ast::AliasesFile& aliases) {
    write_terminal(out, sources, aliases);
}
void write_entries_terminal(std::ostream& out, const SourceSet& sources,
                            const ast::ClassFile& cls) {
    write_terminal(out, sources, cls);
}

} // namespace smaudit
