// SM-S052 unsafe-dont-blame-sendmail: every DontBlameSendmail flag turns off one of sendmail's
// file-safety checks; how bad that is depends on the flag, so findings are tiered (KB SEC-052).
#include "rules/rule_support.hpp"

#include <array>

namespace smaudit::rules {

namespace {

// Flags by the harm of the check they switch off (KB SEC-052): writable files and links that let
// a local user take over deliveries or sendmail itself are critical, group access and unsafe
// directory paths high, narrower checks medium, log or chown assumptions low. `what` says what
// sendmail then accepts; it follows the flag's name (op.me "Turning off security checks").
struct FlagTier {
    std::string_view name; // lower-case
    Severity severity;
    std::string_view what;
};

constexpr std::array<FlagTier, 43> kTiers = {{
    {"worldwritablealiasfile", Severity::Critical, "a world-writable alias file"},
    {"worldwritableforwardfile", Severity::Critical, "world-writable .forward files"},
    {"worldwritableincludefile", Severity::Critical, "world-writable :include: files"},
    {"forwardfileinunsafedirpathsafe", Severity::Critical,
     "program and file deliveries named by .forward files in unsafe directories"},
    {"includefileinunsafedirpathsafe", Severity::Critical,
     "program and file deliveries named by :include: files in unsafe directories"},
    {"filedeliverytosymlink", Severity::Critical, "deliveries to files through symbolic links"},
    {"filedeliverytohardlink", Severity::Critical, "deliveries to files with hard links"},
    {"runwritableprogram", Severity::Critical, "running programs that others can write"},
    {"insufficiententropy", Severity::Critical,
     "STARTTLS without a properly seeded random number generator"},
    {"groupwritablealiasfile", Severity::High, "a group-writable alias file"},
    {"groupwritableforwardfilesafe", Severity::High,
     "group-writable .forward files as safe, programs and files included"},
    {"groupwritableincludefilesafe", Severity::High,
     "group-writable :include: files as safe, programs and files included"},
    {"groupwritableforwardfile", Severity::High, "group-writable .forward files"},
    {"groupwritableincludefile", Severity::High, "group-writable :include: files"},
    {"forwardfileinunsafedirpath", Severity::High, ".forward files in unsafe directories"},
    {"includefileinunsafedirpath", Severity::High, ":include: files in unsafe directories"},
    {"mapinunsafedirpath", Severity::High, "maps (access, aliases, ...) in unsafe directories"},
    {"linkedaliasfileinwritabledir", Severity::High,
     "an alias file that is a link in a writable directory"},
    {"linkedmapinwritabledir", Severity::High, "maps that are links in writable directories"},
    {"writemaptosymlink", Severity::High, "writing maps through symbolic links"},
    {"writemaptohardlink", Severity::High, "writing maps with hard links"},
    {"groupwritablesasldbfile", Severity::High, "a group-writable SASL password database"},
    {"groupreadablekeyfile", Severity::High, "a group-readable TLS private key"},
    {"nonrootsafeaddr", Severity::High,
     "program and file addresses as safe when it does not run as root"},
    {"groupwritabledirpathsafe", Severity::High, "group-writable directories as safe"},
    {"forwardfileingroupwritabledirpath", Severity::Medium,
     ".forward files in group-writable directories"},
    {"includefileingroupwritabledirpath", Severity::Medium,
     ":include: files in group-writable directories"},
    {"classfileinunsafedirpath", Severity::Medium, "class files (F lines) in unsafe directories"},
    {"linkedclassfileinwritabledir", Severity::Medium,
     "class files that are links in writable directories"},
    {"linkedforwardfileinwritabledir", Severity::Medium,
     ".forward files that are links in writable directories"},
    {"linkedincludefileinwritabledir", Severity::Medium,
     ":include: files that are links in writable directories"},
    {"linkedserviceswitchfileinwritabledir", Severity::Medium,
     "a service switch file that is a link in a writable directory"},
    {"errorheaderinunsafedirpath", Severity::Medium, "an ErrorHeader file in an unsafe directory"},
    {"helpfileinunsafedirpath", Severity::Medium, "a help file in an unsafe directory"},
    {"writestatstosymlink", Severity::Medium, "writing the statistics file through symbolic links"},
    {"writestatstohardlink", Severity::Medium, "writing the statistics file with hard links"},
    {"groupreadablesasldbfile", Severity::Medium, "a group-readable SASL password database"},
    {"groupreadabledefaultauthinfofile", Severity::Medium,
     "a group-readable DefaultAuthInfo file (credentials for outgoing AUTH)"},
    {"runprograminunsafedirpath", Severity::Medium, "running programs from unsafe directories"},
    {"truststickybit", Severity::Medium, "sticky-bit directories as if only root could write them"},
    {"assumesafechown", Severity::Low, "file owners as trustworthy (only root can chown)"},
    {"dontwarnforwardfileinunsafedirpath", Severity::Low,
     ".forward files in unsafe directories without logging a warning"},
}};

// Unknown words are a configuration error for another rule, not a relaxation.
const FlagTier* tier(std::string_view flag) {
    for (const FlagTier& entry : kTiers)
        if (entry.name == flag) return &entry;
    return nullptr;
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
        const FlagTier& entry = *tier(flag.word.text);
        Diagnostic& d = out.report(flag.word.where,
                                   "DontBlameSendmail " + flag.word.written +
                                       " turns off a file-safety check: sendmail accepts " +
                                       std::string(entry.what),
                                   "DontBlameSendmail flag set here");
        d.severity = entry.severity;
        const std::string title = "remove " + flag.word.written + " from DontBlameSendmail";
        if (auto edit = remove_flag_by_define(context, *flag.setting, "DontBlameSendmail",
                                              flag.word.written))
            d.fix = Fix{title, false, {*edit}};
        else if (flag.word.exact)
            // The word and the one separator after it: fixes for several words never overlap,
            // and what is left (`a,,c`, a trailing comma) still reads the same to sendmail.
            d.fix = Fix{title,
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
                              FixKind::Unsafe,
                              &check};

} // namespace smaudit::rules
