// Positions in texts that are no SourceFile: the JSON smaudit reads its own settings from (the
// project configuration, policy files, a baseline), whose syntax errors nlohmann places by byte.
#pragma once

#include "source/source.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace smaudit {

// The line and column of byte OFFSET of TEXT (clamped to it), counted as SourceFile::position
// counts them: columns in code points, an invalid UTF-8 byte one column, as every reporter's.
Position text_position(std::string_view text, size_t offset);

// "PATH:LINE:COLUMN: not valid JSON: syntax error ..." for nlohmann's parse_error on TEXT: BYTE
// is its `byte` (one past the byte the parser stopped at; 0 for none), WHAT its what(), whose
// own "line L, column C" counts bytes and is left out.
std::string json_syntax_error(std::string_view path, std::string_view text, size_t byte,
                              std::string_view what);

} // namespace smaudit
