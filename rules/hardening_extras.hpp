// The hardening extras of the catalog's Appendix A (its reference hardened MX): the settings a
// configuration needs beyond "no finding above info" to earn A+ (docs/scoring.md).
#pragma once

#include <string_view>
#include <vector>

namespace smaudit {

struct HardeningExtra {
    std::string_view rule_id;  // the rule that reports the extra missing
    std::string_view appendix; // what Appendix A writes for it
};

// In rule ID order.
const std::vector<HardeningExtra>& hardening_extras();
// True when `rule_id` stands for one of them: even an info finding of it keeps a pack from A+.
bool is_hardening_extra(std::string_view rule_id);

} // namespace smaudit
