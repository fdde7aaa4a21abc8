// JSON strings as smaudit writes them in every JSON text (reports, `show`'s maps): one escaper,
// below the parsers and the reporters, which both write JSON.
#pragma once

#include "source/source.hpp"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace smaudit {

namespace json_string_detail {

inline bool needs_care(unsigned char byte) {
    return byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\';
}

// How many bytes at the start of S need no care, eight at a time: a report of tens of thousands
// of findings escapes megabytes of messages. A byte that needs care sets its high bit in the
// mask (tests from the "bit twiddling hacks": the lowest marked byte, the first in memory on
// little-endian machines, is always a true one).
inline size_t plain_run(std::string_view s) {
    size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        constexpr uint64_t kOnes = 0x0101010101010101ull;
        constexpr uint64_t kHigh = 0x8080808080808080ull;
        for (; i + 8 <= s.size(); i += 8) {
            uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            const uint64_t quote = w ^ ('"' * kOnes), backslash = w ^ ('\\' * kOnes);
            const uint64_t care = (w | ((w - 0x20 * kOnes) & ~w) | ((quote - kOnes) & ~quote) |
                                   ((backslash - kOnes) & ~backslash)) &
                                  kHigh;
            if (care != 0) return i + static_cast<size_t>(std::countr_zero(care) >> 3);
        }
    }
    while (i < s.size() && !needs_care(static_cast<unsigned char>(s[i])))
        ++i;
    return i;
}

} // namespace json_string_detail

// Appends S as a JSON string, quoted and escaped as nlohmann's dump prints it without
// ensure_ascii and with error_handler_t::replace: valid UTF-8 as it is, control characters,
// `"` and `\` escaped, and a string with invalid UTF-8 as dump replaces it (U+FFFD). Every JSON
// text smaudit writes its strings with (reports, `show`'s maps).
inline void append_json_string(std::string& text, std::string_view s) {
    const size_t start = text.size();
    text += '"';
    for (size_t i = 0; i < s.size();) {
        // The run of bytes that need no escape, appended at once.
        const size_t plain = i + json_string_detail::plain_run(s.substr(i));
        text.append(s.data() + i, plain - i);
        if (plain == s.size()) break;
        i = plain;
        const auto byte = static_cast<unsigned char>(s[i]);
        if (byte >= 0x80) {
            if (const size_t n = utf8_valid_length(s, i); n > 0) {
                text.append(s.data() + i, n);
                i += n;
                continue;
            }
            text.resize(start);
            text += nlohmann::json(std::string(s))
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            return;
        }
        switch (byte) {
        case '"':
            text += "\\\"";
            break;
        case '\\':
            text += "\\\\";
            break;
        case '\b':
            text += "\\b";
            break;
        case '\f':
            text += "\\f";
            break;
        case '\n':
            text += "\\n";
            break;
        case '\r':
            text += "\\r";
            break;
        case '\t':
            text += "\\t";
            break;
        default: { // the other control characters
            static constexpr char kHex[] = "0123456789abcdef";
            text += "\\u00";
            text += kHex[byte >> 4];
            text += kHex[byte & 0xF];
        }
        }
        ++i;
    }
    text += '"';
}

} // namespace smaudit
