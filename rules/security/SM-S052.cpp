// SM-S052 unsafe-dont-blame-sendmail: every DontBlameSendmail flag turns off one of sendmail's
// file-safety checks; how bad that is depends on the flag, so findings are tiered (KB SEC-052).
#include "rules/rule_support.hpp"

#include <array>
#include <utility>

namespace smaudit::rules {

namespace {

// Lower-case flag names by the harm of the check they switch off (KB SEC-052): writable files
// and links that let a local user take over deliveries or sendmail itself are critical, group
// access and unsafe directory paths high, narrower checks medium, log or chown assumptions low.
constexpr std::array<std::pair<std::string_view, Severity>, 43> kTiers = {{
    {"worldwritablealiasfile", Severity::Critical},
    {"worldwritableforwardfile", Severity::Critical},
    {"worldwritableincludefile", Severity::Critical},
    {"forwardfileinunsafedirpathsafe", Severity::Critical},
    {"includefileinunsafedirpathsafe", Severity::Critical},
    {"filedeliverytosymlink", Severity::Critical},
    {"filedeliverytohardlink", Severity::Critical},
    {"runwritableprogram", Severity::Critical},
    {"insufficiententropy", Severity::Critical},
    {"groupwritablealiasfile", Severity::High},
    {"groupwritableforwardfilesafe", Severity::High},
    {"groupwritableincludefilesafe", Severity::High},
    {"groupwritableforwardfile", Severity::High},
    {"groupwritableincludefile", Severity::High},
    {"forwardfileinunsafedirpath", Severity::High},
    {"includefileinunsafedirpath", Severity::High},
    {"mapinunsafedirpath", Severity::High},
    {"linkedaliasfileinwritabledir", Severity::High},
    {"linkedmapinwritabledir", Severity::High},
    {"writemaptosymlink", Severity::High},
    {"writemaptohardlink", Severity::High},
    {"groupwritablesasldbfile", Severity::High},
    {"groupreadablekeyfile", Severity::High},
    {"nonrootsafeaddr", Severity::High},
    {"groupwritabledirpathsafe", Severity::High},
    {"forwardfileingroupwritabledirpath", Severity::Medium},
    {"includefileingroupwritabledirpath", Severity::Medium},
    {"classfileinunsafedirpath", Severity::Medium},
    {"linkedclassfileinwritabledir", Severity::Medium},
    {"linkedforwardfileinwritabledir", Severity::Medium},
    {"linkedincludefileinwritabledir", Severity::Medium},
    {"linkedserviceswitchfileinwritabledir", Severity::Medium},
    {"errorheaderinunsafedirpath", Severity::Medium},
    {"helpfileinunsafedirpath", Severity::Medium},
    {"writestatstosymlink", Severity::Medium},
    {"writestatstohardlink", Severity::Medium},
    {"groupreadablesasldbfile", Severity::Medium},
    {"groupreadabledefaultauthinfofile", Severity::Medium},
    {"runprograminunsafedirpath", Severity::Medium},
    {"certowner", Severity::Medium},
    {"truststickybit", Severity::Medium},
    {"assumesafechown", Severity::Low},
    {"dontwarnforwardfileinunsafedirpath", Severity::Low},
}};

// Unknown words are a configuration error for another rule, not a relaxation.
std::optional<Severity> tier(std::string_view flag) {
    for (const auto& [name, severity] : kTiers)
        if (name == flag) return severity;
    return std::nullopt;
}

struct ActiveFlag {
    FlagWord word;
    const model::OptionSetting* setting;
};

void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("DontBlameSendmail");
    if (is_unset(option)) return; // default: safe, every check on
    // Flags add up over the lines in order; the word `safe` clears everything before it.
    std::vector<ActiveFlag> active;
    for (const model::OptionSetting& setting : option->settings)
        for (FlagWord& word :
             split_flags(context.sources, setting, FlagSeparators::BlanksAndCommas)) {
            if (word.text == "safe")
                active.clear();
            else if (tier(word.text))
                active.push_back({std::move(word), &setting});
        }
    for (const ActiveFlag& flag : active) {
        Diagnostic& d = out.report(flag.word.where,
                                   "DontBlameSendmail " + flag.word.written +
                                       " turns off one of sendmail's file-safety checks",
                                   "DontBlameSendmail flag set here");
        d.severity = *tier(flag.word.text);
        if (flag.word.exact)
            // The word and the one separator after it: fixes for several words never overlap,
            // and what is left (`a,,c`, a trailing comma) still reads the same to sendmail.
            d.fix = Fix{"remove " + flag.word.written + " from DontBlameSendmail",
                        false,
                        {Edit{Location{flag.word.where.file, Span{flag.word.where.span.begin,
                                                                  flag.word.next_separator_end}},
                              ""}}};
    }
}

} // namespace

extern const Rule kSM_S052 = {"SM-S052",
                              "unsafe-dont-blame-sendmail",
                              Pack::Security,
                              Severity::High,
                              10,
                              "DontBlameSendmail switches off sendmail's file-safety checks",
                              "remove the flag from DontBlameSendmail",
                              &check};

} // namespace smaudit::rules
