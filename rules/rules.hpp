// Every rule object, one per file under rules/<pack>/<ID>.cpp. Listed in rules/registry.cpp.
#pragma once

#include "engine/rule.hpp"

namespace smaudit::rules {

// keep sorted by ID
} // namespace smaudit::rules
