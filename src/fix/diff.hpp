// Unified diffs of fixed files, as `smaudit audit --diff` prints them: git-style headers
// (`diff --git a/P b/P`, `--- a/P`, `+++ b/P`), hunks with three lines of context, and
// `\ No newline at end of file` where a side ends without one, so `git apply` and `patch -p1`
// take the output as it is.
#pragma once

#include <string>
#include <string_view>

namespace smaudit {

// The diff of one file from `before` to `after`, named `path` on both sides (without the a/ and
// b/ prefixes, which this adds); empty when the texts are equal.
std::string unified_diff(std::string_view path, std::string_view before, std::string_view after,
                         int context = 3);

} // namespace smaudit
