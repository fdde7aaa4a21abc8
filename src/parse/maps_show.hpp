// `smaudit show FILE --format json` for a map: {"entries":[{"key","value","path","line"}]} in
// file order, keys and values as sendmail stores them (makemap's folded keys and first-wins
// duplicates; newaliases' lower-cased names, joined continuation lines and last-wins
// duplicates). Class files list their words with a null value. Bytes that are not UTF-8
// (latin-1 maps) are shown as the latin-1 characters they stand for, so the JSON stays valid.
#pragma once

#include "ast/maps.hpp"

#include <nlohmann/json.hpp>

namespace smaudit {

nlohmann::json map_show_json(const SourceSet& sources, const ast::KeyValueMap& map);
nlohmann::json map_show_json(const SourceSet& sources, const ast::AliasesFile& aliases);
nlohmann::json map_show_json(const SourceSet& sources, const ast::ClassFile& cls);

// Valid UTF-8 is kept, every other byte becomes the latin-1 character of its value.
std::string bytes_to_utf8(std::string_view bytes);

} // namespace smaudit
