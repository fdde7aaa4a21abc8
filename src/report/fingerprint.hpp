// The fingerprint of a finding: what SARIF's partialFingerprints and the baseline file
// (docs/baselines.md) both record, so that a finding keeps its identity when lines are added or
// removed above it. One function serves both.
#pragma once

#include "diag/diagnostic.hpp"
#include "source/source.hpp"

#include <map>
#include <string>
#include <string_view>

namespace smaudit::report {

// TEXT with runs of blanks (space, tab, CR, FF, VT) as one space and none at either end.
std::string normalise_blanks(std::string_view text);

// A hash (16 hex digits, 64-bit FNV-1a) of the rule ID, the file's path or URI and the flagged
// line's text with its blanks normalised; not the line number, so a finding keeps its
// fingerprint when lines above it are added or removed.
std::string fingerprint_hash(std::string_view rule_id, std::string_view uri,
                             std::string_view line_text);

// The most bytes of a flagged line a fingerprint hashes (docs/baselines.md).
inline constexpr size_t kFingerprintLineBytes = 4096;

// The text a finding's fingerprint hashes: the line its place begins on (its first
// kFingerprintLineBytes), or its message when it has no place (a finding about a default).
std::string fingerprint_text(const SourceSet& sources, const Diagnostic& d);

// Tells apart findings whose hash is the same (one rule, twice on one line's text): next(HASH)
// is "HASH:N", N counting that hash's findings so far in report order (from 1). SARIF's partial
// fingerprint and GitLab's fingerprint both take this form.
class FingerprintOccurrences {
  public:
    std::string next(const std::string& hash) { return hash + ":" + std::to_string(++seen_[hash]); }

  private:
    std::map<std::string, int> seen_;
};

} // namespace smaudit::report
