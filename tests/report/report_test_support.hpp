// What the reporter tests share: a span found by its text, and a finding built by hand.
#pragma once

#include "diag/diagnostic.hpp"
#include "source/source.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace smaudit {

// The span of the first occurrence of `needle` in file `f`.
inline Span span_of(const SourceSet& s, FileId f, std::string_view needle) {
    auto at = static_cast<uint32_t>(s.get(f).text().find(needle));
    REQUIRE(at != std::string::npos);
    return {at, at + static_cast<uint32_t>(needle.size())};
}

inline Diagnostic finding(std::string id, std::string name, Severity sev, std::string message,
                          Location where, std::string label = {}) {
    Diagnostic d;
    d.rule_id = std::move(id);
    d.rule_name = std::move(name);
    d.severity = sev;
    d.message = std::move(message);
    d.where = where;
    d.label = std::move(label);
    return d;
}

} // namespace smaudit
