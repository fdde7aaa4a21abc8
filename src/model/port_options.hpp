// DaemonPortOptions / ClientPortOptions values (daemon.c setsockaddroptions()): comma-separated
// `key=value` items where only the key's first character counts (KB §1.5).
#pragma once

#include "diag/diagnostic.hpp"
#include "model/config.hpp"

#include <string_view>
#include <vector>

namespace smaudit::model {

// The long name sendmail documents for a key's first character ('A'/'a' -> "Addr", 'R' ->
// "RcvBufSize", 'r' -> "refuseLA"), empty when sendmail rejects the key.
std::string_view port_option_key_name(char first);

// One `key=value` item of a value, as byte offsets into it: the key's first byte (the one that
// counts), and the value after '=' with the blanks around it left out. Items without '=' are not
// listed (sendmail skips them).
struct PortOptionItem {
    size_t key = 0;
    size_t key_end = 0; // the '='
    size_t value_begin = 0, value_end = 0;
};
std::vector<PortOptionItem> port_option_items(std::string_view value);

// Parses one value into normalised pairs. Items without '=' are skipped (sendmail skips them);
// an unknown key yields SM-E053. `value_where` locates `value` in its file: the exact bytes of a
// key are pointed at when the value is the file's text verbatim (no continuation lines),
// otherwise the whole value. `line` is the whole O line (PortOptions::where).
PortOptions parse_port_options(std::string_view value, Location value_where, Location line,
                               bool value_is_verbatim, std::vector<Diagnostic>& diagnostics);

} // namespace smaudit::model
