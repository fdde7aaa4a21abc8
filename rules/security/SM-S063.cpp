// SM-S063 mc-runs-commands: an .mc that calls syscmd, esyscmd, maketemp or mkstemp itself runs
// shell commands or makes files whenever m4 builds the .cf (as root, on most systems). smaudit's
// m4 engine never runs them; the ID is beyond the KB catalog. Calls made by the cf tree itself
// (cfhead.m4's build-info lines) are not the .mc's doing and are not reported.
#include "rules/mc_support.hpp"

namespace smaudit::rules {

static void check(const RuleContext& context, Emitter& out) {
    if (context.expansion == nullptr) return;
    const m4::Expansion& expansion = *context.expansion;
    for (Location call : expansion.unsafe_builtin_calls) {
        if (call.file != expansion.mc) continue;
        std::string_view text = context.sources.text_at(call);
        size_t name_end = text.find_first_of("( \t\r\n");
        std::string name(text.substr(0, name_end));
        out.report(call,
                   "the .mc calls " + name +
                       ": building the .cf runs a command or creates a file on the build host",
                   "runs when m4 builds the .cf");
    }
}

extern const Rule kSM_S063 = {"SM-S063",
                              "mc-runs-commands",
                              Pack::Security,
                              Severity::High,
                              10,
                              "the .mc calls syscmd, esyscmd, maketemp or mkstemp",
                              "remove the call",
                              FixKind::None,
                              &check};

} // namespace smaudit::rules
