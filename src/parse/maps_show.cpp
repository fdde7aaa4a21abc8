#include "parse/maps_show.hpp"

#include "source/block_writer.hpp"
#include "source/json_string.hpp"

#include <charconv>

namespace smaudit {

namespace {

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
    append_json_string(path, bytes_to_utf8(sources.get(map.file).path()));
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

void for_each_shown_entry(const SourceSet& sources, const ast::KeyValueMap& map,
                          const ShownEntryVisitor& visit) {
    LineCounter lines(sources.get(map.file)); // entries are in file order
    for (const ast::MapEntry& e : map.entries) {
        if (e.duplicate()) continue; // makemap keeps the first
        const std::string key = map.stored_key(e);
        visit({key, map.value(e), lines.line_of(e.begin)});
    }
}

void for_each_shown_entry(const SourceSet& sources, const ast::AliasesFile& aliases,
                          const ShownEntryVisitor& visit) {
    LineCounter lines(sources.get(aliases.file));
    for (const ast::AliasEntry& e : aliases.entries) {
        if (e.overridden()) continue; // newaliases keeps the last
        const std::string key = aliases.key(e);
        const std::string value = aliases.value(e);
        visit({key, value, lines.line_of(e.span.begin)});
    }
}

void for_each_shown_entry(const SourceSet& sources, const ast::ClassFile& cls,
                          const ShownEntryVisitor& visit) {
    LineCounter lines(sources.get(cls.file));
    for (const Span& w : cls.words)
        visit({cls.word(w), std::nullopt, lines.line_of(w.begin)});
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
