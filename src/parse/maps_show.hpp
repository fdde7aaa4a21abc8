// `smaudit show FILE --format json` for a map: {"entries":[{"key","value","path","line"}]} in
// file order, keys and values as sendmail stores them (makemap's folded keys and first-wins
// duplicates; newaliases' lower-cased names, joined continuation lines and last-wins
// duplicates). Class files list their words with a null value. Bytes that are not UTF-8
// (latin-1 maps) are shown as the latin-1 characters they stand for, so the JSON stays valid.
//
// A map can hold a million entries, so its show text is streamed entry by entry, never built
// as a JSON tree of every entry or as one string.
#pragma once

#include "ast/maps.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace smaudit {

// One entry as `show` lists it: key and value as sendmail stores them (raw bytes, before the
// latin-1 to UTF-8 step); no value for a class file's word. The views last for the call only.
struct ShownEntry {
    std::string_view key;
    std::optional<std::string_view> value;
    uint32_t line = 0;
};
using ShownEntryVisitor = std::function<void(const ShownEntry&)>;

// Calls `visit` with each entry the map stores, in file order: the one walk both the JSON and
// the terminal form of `show` use.
void for_each_shown_entry(const SourceSet& sources, const ast::KeyValueMap& map,
                          const ShownEntryVisitor& visit);
void for_each_shown_entry(const SourceSet& sources, const ast::AliasesFile& aliases,
                          const ShownEntryVisitor& visit);
void for_each_shown_entry(const SourceSet& sources, const ast::ClassFile& cls,
                          const ShownEntryVisitor& visit);

// Writes the map's entries array, [{"key","line","path","value"}, ...], byte for byte as
// nlohmann::json's dump(2, ' ', false, error_handler_t::replace) prints it when the `[` stands
// at nesting DEPTH (2 * DEPTH spaces indent its line).
void write_entries_json(std::ostream& out, const SourceSet& sources, const ast::KeyValueMap& map,
                        unsigned depth);
void write_entries_json(std::ostream& out, const SourceSet& sources,
                        const ast::AliasesFile& aliases, unsigned depth);
void write_entries_json(std::ostream& out, const SourceSet& sources, const ast::ClassFile& cls,
                        unsigned depth);

// Writes `key<TAB>value` (just `key` for a class file's word) and a newline per entry.
void write_entries_terminal(std::ostream& out, const SourceSet& sources,
                            const ast::KeyValueMap& map);
void write_entries_terminal(std::ostream& out, const SourceSet& sources,
                            const ast::AliasesFile& aliases);
void write_entries_terminal(std::ostream& out, const SourceSet& sources, const ast::ClassFile& cls);

} // namespace smaudit
