// SM-S052 unsafe-dont-blame-sendmail: every DontBlameSendmail flag turns off one of sendmail's
// file-safety checks; how bad that is depends on the flag, so findings are tiered (KB SEC-052).
#include "rules/rule_support.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

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

// One line's words, and which of them are reported (in effect at the end).
struct LineWords {
    const model::OptionSetting* setting;
    std::vector<FlagWord> words;
    std::vector<bool> reported;
};

struct ActiveFlag {
    size_t line;  // index into the lines
    size_t index; // the word's index in its line
};

// What sendmail skips between DontBlameSendmail words: blanks (a continuation line's line break
// and indent too) and commas.
bool only_separators(std::string_view bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](char c) {
        return c == ',' || std::isspace(static_cast<unsigned char>(c)) != 0;
    });
}

// Whether exact words A and B (A first) stand next to each other with only separators between.
bool adjacent(const SourceSet& sources, const FlagWord& a, const FlagWord& b) {
    if (!a.exact || !b.exact || a.where.file != b.where.file ||
        a.where.span.end > b.where.span.begin)
        return false;
    const SourceFile& file = sources.get(a.where.file);
    return only_separators(file.slice(Span{a.where.span.end, b.where.span.begin}));
}

// The bytes that take the reported word INDEX out of its line, leaving a well-formed value
// (sendmail reads the rest as before, less the flag): with the separators after it when a word
// follows; else with those before it, when the word before stays (is not reported); else the
// word alone (the fix of the word before takes the separators between). The fixes of one line's
// words never overlap, and all of them applied leave `O DontBlameSendmail=`, which sendmail
// reads as no flag (checked with 8.17.1.9: `O DontBlameSendmail=`, `=,` and no line all refuse
// a group-writable alias file).
std::optional<Edit> removal(const SourceSet& sources, const LineWords& line, size_t index) {
    const FlagWord& word = line.words[index];
    if (!word.exact) return std::nullopt;
    const FileId file = word.where.file;
    const Span span = word.where.span;
    if (index + 1 < line.words.size() && adjacent(sources, word, line.words[index + 1]))
        return Edit{Location{file, Span{span.begin, line.words[index + 1].where.span.begin}}, ""};
    if (index > 0 && adjacent(sources, line.words[index - 1], word))
        return Edit{
            Location{file, Span{line.reported[index - 1] ? span.begin
                                                         : line.words[index - 1].where.span.end,
                                span.end}},
            ""};
    // Alone in the value: with the separators around it there, so that nothing is left
    // (`AssumeSafeChown,,` was left `,`); the line itself stays, with the fixes of other rules
    // that edit it (an abbreviated name). Alone among the bytes of its piece (an .mc's `,Flag'
    // added with defn()): with the separators just before it.
    const std::string& text = sources.get(file).text();
    const Location value = line.setting->value_where;
    const bool in_value = value.file == file && value.span.begin <= span.begin &&
                          span.end <= value.span.end && line.setting->value_pieces.empty();
    const uint32_t floor = in_value ? value.span.begin : 0;
    uint32_t begin = span.begin, end = span.end;
    while (
        begin > floor && only_separators(std::string_view(&text[begin - 1], 1)) &&
        (in_value || text[begin - 1] == ',' || text[begin - 1] == ' ' || text[begin - 1] == '\t'))
        --begin;
    while (in_value && end < value.span.end && only_separators(std::string_view(&text[end], 1)))
        ++end;
    return Edit{Location{file, Span{begin, end}}, ""};
}

void check(const RuleContext& context, Emitter& out) {
    const model::OptionValue* option = context.config.option("DontBlameSendmail");
    if (is_unset(option)) return; // default: safe, every check on
    // Flags add up over the lines in order; the word `safe` clears everything before it.
    std::vector<LineWords> lines;
    std::vector<ActiveFlag> active;
    for (const model::OptionSetting& setting : option->settings) {
        LineWords& line = lines.emplace_back(LineWords{
            &setting, split_flags(context.sources, setting, FlagSeparators::BlanksAndCommas), {}});
        line.reported.assign(line.words.size(), false);
        for (size_t i = 0; i < line.words.size(); ++i) {
            if (line.words[i].text == "safe")
                active.clear();
            else if (tier(line.words[i].text))
                active.push_back({lines.size() - 1, i});
        }
    }
    for (const ActiveFlag& flag : active)
        lines[flag.line].reported[flag.index] = true;
    for (const ActiveFlag& flag : active) {
        const LineWords& line = lines[flag.line];
        const FlagWord& word = line.words[flag.index];
        const FlagTier& entry = *tier(word.text);
        Diagnostic& d = out.report(word.where,
                                   "DontBlameSendmail " + word.written +
                                       " turns off a file-safety check: sendmail accepts " +
                                       std::string(entry.what),
                                   "DontBlameSendmail flag set here");
        d.severity = entry.severity;
        const std::string title = "remove " + word.written + " from DontBlameSendmail";
        if (auto edit =
                remove_flag_by_define(context, *line.setting, "DontBlameSendmail", word.written))
            d.fix = Fix{title, false, {*edit}};
        else if (auto removed = removal(context.sources, line, flag.index))
            d.fix = Fix{title, false, {*removed}};
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
