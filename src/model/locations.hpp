// Visits every Location the effective configuration holds, so a configuration built from an .mc's
// expansion can have its places moved from the generated text back to the .mc (or dropped to
// "cf default" when the text came from sendmail's cf tree itself).
#pragma once

#include "model/config.hpp"

#include <functional>

namespace smaudit::model {

void for_each_location(Config& config, const std::function<void(Location&)>& visit);

} // namespace smaudit::model
