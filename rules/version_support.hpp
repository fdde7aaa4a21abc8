// Whether text that sendmail expands and shows to others (the greeting, a header, a line of the
// help file) tells the sendmail version: `$v`, `$Z` when the .cf's DZ line holds a release
// number, a macro whose value does, or a release number written out. Shared by SM-S020
// (greeting), SM-S021 (HELP) and SM-S030 (headers).
#pragma once

#include "model/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::rules {

// One macro reference that expands to text: `$v`, `${v}`, `$&v`, `${Banner}`. `$?x` (a
// conditional) only tests x and is not one.
struct MacroRef {
    std::string name;
    uint32_t begin = 0, end = 0; // bytes in the text
};
std::vector<MacroRef> macro_refs(std::string_view text);

// A release number written out: at least three dot-separated numbers ("8.17.1").
bool has_literal_version(std::string_view text);

// Why the text shows the version ("$v, sendmail's version", "$Z, the configuration's version
// (8.17.1.9)", "${Banner}, whose value shows $v, sendmail's version", "a release number written
// out"), or nothing.
std::optional<std::string> text_reveals(const model::Config& config, std::string_view text);
// The same for one macro, by name ("v", "Z", "Banner"); an undefined macro expands to nothing.
std::optional<std::string> macro_reveals(const model::Config& config, const std::string& name);

// The text without the version references written directly in it (`$v`, `${v}`, `$Z` with a
// versioned DZ): each reference, the `/` between two of them, parentheses left empty around
// them, and the blank before when no letter or digit follows ("$j Sendmail $v/$Z; $b" ->
// "$j Sendmail; $b", "by $j ($v/$Z)$?r" -> "by $j$?r"). None when the version comes another way
// (another macro, a release number written out) or nothing would be left.
std::optional<std::string> without_version(const model::Config& config, std::string_view text);

} // namespace smaudit::rules
