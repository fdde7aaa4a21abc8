// SM-C006 cf-differs-from-mc: the .cf that sendmail loads is not what the .mc beside it
// generates (KB CFG-003): edited by hand, or not rebuilt after the .mc changed. The .mc then
// does not describe the server, and the next rebuild silently undoes the difference.
#include "rules/map_support.hpp"

namespace smaudit::rules {

// A line for a message: long rules are cut.
static std::string excerpt(std::string_view line) {
    constexpr size_t kMax = 60;
    return "`" + std::string(line.substr(0, kMax)) + (line.size() > kMax ? "...`" : "`");
}

static std::string lines(size_t n) {
    return std::to_string(n) + (n == 1 ? " line" : " lines");
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.loaded_cf == nullptr || context.expansion == nullptr) return;
    const analyze::CfDrift& drift = *context.loaded_cf;
    if (!drift.differs) return;
    const std::string cf(base_name(context.sources.get(drift.cf).path()));
    const std::string mc(base_name(context.sources.get(context.expansion->mc).path()));
    std::string message =
        cf + " is not what " + mc + " generates with " + context.expansion->cf_dir + ": ";
    if (drift.only_in_cf > 0)
        message += lines(drift.only_in_cf) + " of it " + (drift.only_in_cf == 1 ? "is" : "are") +
                   " not in the .mc's output";
    if (drift.only_in_cf > 0 && drift.only_generated > 0) message += " and ";
    if (drift.only_generated > 0)
        message += lines(drift.only_generated) + " of that output " +
                   (drift.only_generated == 1 ? "is" : "are") + " missing from it";
    if (drift.only_in_cf + drift.only_generated == 0) message += "the same lines in another order";
    message += ". sendmail reads the .cf, so the .mc does not say what the server does, and "
               "rebuilding the .cf from it undoes the difference";
    std::string label;
    if (drift.cf_lines == 0)
        label = "no line sendmail reads; the .mc's output starts with " +
                excerpt(drift.generated_there);
    else if (drift.cf_ends_early)
        label = "the .mc's output goes on after this line with " + excerpt(drift.generated_there);
    else if (drift.generated_there.empty())
        label = "the .mc's output ends before this line";
    else
        label = "the .mc generates " + excerpt(drift.generated_there) + " here";
    out.report({drift.cf, drift.first_difference}, std::move(message), std::move(label));
}

extern const Rule kSM_C006 = {
    "SM-C006",
    "cf-differs-from-mc",
    Pack::Consistency,
    Severity::Medium,
    5,
    "the .cf sendmail loads is not what the .mc beside it generates",
    "rebuild the .cf from the .mc (make -C /etc/mail), after moving any hand edit into the .mc",
    FixKind::None,
    &check};

} // namespace smaudit::rules
