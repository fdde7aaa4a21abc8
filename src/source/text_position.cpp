#include "source/text_position.hpp"

#include <algorithm>

namespace smaudit {

Position text_position(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const size_t newline = before.rfind('\n');
    const size_t line_begin = newline == std::string_view::npos ? 0 : newline + 1;
    return {static_cast<uint32_t>(1 + std::count(before.begin(), before.end(), '\n')),
            1 + count_columns(before.substr(line_begin))};
}

std::string json_syntax_error(std::string_view path, std::string_view text, size_t byte,
                              std::string_view what) {
    const Position at = text_position(text, byte > 0 ? byte - 1 : 0);
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
    // parsing value - ...": what follows the place nlohmann counted.
    if (const size_t syntax = what.find(": syntax error"); syntax != std::string_view::npos)
        what.remove_prefix(syntax + 2);
    else if (const size_t tag = what.find("] "); tag != std::string_view::npos)
        what.remove_prefix(tag + 2);
    return std::string(path) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
           ": not valid JSON: " + std::string(what);
}

} // namespace smaudit
