// Reading option values the way sendmail reads them, for rules that compare booleans: atobool()
// of sendmail/util.c. Durations (convtime()) are read by model/duration.hpp.
#pragma once

#include <string_view>

namespace smaudit::model {

// atobool(): empty, or starting with t/T/y/Y, is true; anything else false ("O SuperSafe" with
// no value is true).
bool sendmail_bool(std::string_view value);

} // namespace smaudit::model
