// m4's quote and comment delimiters of the moment (changequote/changecom change them), shared by
// the grammar and its callers without pulling in PEGTL.
#pragma once

#include <string_view>

namespace smaudit::m4::grammar {

struct Delimiters {
    std::string_view lquote = "`";
    std::string_view rquote = "'";
    std::string_view bcomm = "#"; // empty: comments are off (cfhead.m4 does changecom())
    std::string_view ecomm = "\n";
};

} // namespace smaudit::m4::grammar
