// Internal: the access parser's hand-written reader of common line shapes beside the grammar
// (grammar/access/access.hpp, the reference), for the tests that hold the two equal.
#pragma once

#include "ast/maps.hpp"

#include <optional>
#include <string_view>

namespace smaudit {

// One line (a makemap piece without its newline) read by the hand-written path: the entry the
// grammar's actions make of it, or nullopt where it leaves the line to the grammar.
std::optional<ast::MapEntry> access_line_fast(std::string_view line);
// The same line read by the grammar alone: the entry, or nullopt for a comment or an error.
std::optional<ast::MapEntry> access_line_grammar(std::string_view line);

// Whether parse_access tries the hand-written path first (default on; tests compare both).
bool access_fast_path_enabled();
void set_access_fast_path(bool on);

} // namespace smaudit
