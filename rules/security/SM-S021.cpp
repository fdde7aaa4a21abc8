// SM-S021 help-reveals-version: HELP tells the client the sendmail version when there is no help
// file to read (`502 5.3.0 Sendmail 8.17.1.9 -- HELP not implemented`), when the help file has no
// `#vers<TAB>2` line (sendmail then prints `214-2.0.0 This is Sendmail version 8.17.1.9` above
// the smtp topic), or when one of its lines shows $v or $Z (sendmail's own helpfile:
// `smtp	This is sendmail version $v`) (KB SEC-021, STIG GEN004540). The help file is read
// when the audit can read it predictably (app/named_files.hpp); otherwise the finding says it was
// not checked. What sendmail does is srvrsmtp.c help(), checked with sendmail 8.17.1.9 (`sendmail
// -bs`, docs/rules/SM-S021.md).
#include "rules/rule_support.hpp"
#include "rules/version_support.hpp"

#include <cctype>

namespace smaudit::rules {

namespace {

constexpr std::string_view kNoHelp =
    "HELP answers `502 5.3.0 Sendmail <version> -- HELP not implemented`, which tells every "
    "client the sendmail version";

// One line of the help file as help() reads it.
struct HelpLine {
    uint32_t number = 0;
    std::string_view text;  // without its line end
    uint32_t begin = 0;     // offset of the line
    bool reachable = false; // some HELP argument shows it: help() compares the lower-cased
                            // argument with the line's start, so a line that starts with a
                            // capital letter or a blank is never shown
    std::string_view shown; // what HELP prints of it: the text after its first blank or tab
    uint32_t shown_begin = 0;
};

// What help() makes of the file: the version of the first `#vers<TAB>n` line (HELPVSTR is
// "#vers\t"; sscanf("%d") reads the number), and the topic lines.
struct HelpFileReading {
    int version = -1;             // -1: no such line (foundvers)
    uint32_t version_line = 0;    // that line
    uint32_t near_miss_line = 0;  // the first `#vers` line sendmail does not read (`#vers 2`)
    std::vector<HelpLine> topics; // lines not starting with '#'
};

// sscanf("%d"): blanks, a sign, at least one digit.
std::optional<int> scanf_int(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
        ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    return static_cast<int>(std::clamp<long long>(leading_integer(text), -1000000, 1000000));
}

HelpFileReading read_help_file(const SourceFile& file) {
    constexpr std::string_view kVersionTag = "#vers\t";
    HelpFileReading reading;
    for (uint32_t n = 1; n <= file.line_count(); ++n) {
        const std::string_view text = file.line_text(n);
        if (text.empty()) continue;
        if (text[0] == '#') {
            if (reading.version >= 0 || !text.starts_with("#vers")) continue;
            if (text.starts_with(kVersionTag))
                if (std::optional<int> version = scanf_int(text.substr(kVersionTag.size()))) {
                    reading.version = *version;
                    reading.version_line = n;
                    continue;
                }
            if (reading.near_miss_line == 0) reading.near_miss_line = n;
            continue;
        }
        HelpLine line;
        line.number = n;
        line.text = text;
        line.begin = file.line_start(n);
        const unsigned char first = static_cast<unsigned char>(text[0]);
        line.reachable = !std::isupper(first) && first != ' ' && first != '\t';
        const size_t blank = text.find_first_of(" \t");
        if (blank != std::string_view::npos) {
            line.shown = text.substr(blank + 1);
            line.shown_begin = line.begin + static_cast<uint32_t>(blank + 1);
        }
        reading.topics.push_back(line);
    }
    return reading;
}

// The HELP command that shows a line: plain HELP for the smtp topic, `HELP <word>` otherwise.
std::string shown_by(const HelpLine& line) {
    if (line.text.starts_with("smtp")) return "HELP";
    std::string_view word = line.text.substr(0, line.text.find_first_of(" \t"));
    return "`HELP " + model::to_lower(word) + "`";
}

// Deletes a whole line of the help file.
Edit delete_help_line(const SourceFile& file, FileId id, uint32_t number) {
    const uint32_t end = number < file.line_count() ? file.line_start(number + 1)
                                                    : static_cast<uint32_t>(file.text().size());
    return Edit{Location{id, Span{file.line_start(number), end}}, ""};
}

// The bytes of the first version reference in what a line shows, else the whole shown text.
Location version_bytes(const model::Config& config, FileId id, const HelpLine& line,
                       bool macros_expand) {
    if (macros_expand)
        for (const MacroRef& ref : macro_refs(line.shown))
            if (macro_reveals(config, ref.name))
                return {id, {line.shown_begin + ref.begin, line.shown_begin + ref.end}};
    return {id, {line.shown_begin, line.shown_begin + static_cast<uint32_t>(line.shown.size())}};
}

// A line of the help file that shows the version: with `#vers 2` its macros are expanded,
// before that only a release number written out shows.
Diagnostic* report_line(const RuleContext& context, Emitter& out, FileId id, const HelpLine& line,
                        bool macros_expand) {
    const model::Config& config = context.config;
    const std::optional<std::string> why =
        macros_expand ? text_reveals(config, line.shown)
                      : (has_literal_version(line.shown)
                             ? std::optional<std::string>("a release number written out")
                             : std::nullopt);
    if (!why) return nullptr;
    const SourceFile& file = context.sources.get(id);
    Diagnostic& d =
        out.report(version_bytes(config, id, line, macros_expand),
                   shown_by(line) + " shows the sendmail version: this help line has " + *why,
                   "HELP shows this line");
    d.fix = Fix{"delete the help line that shows the version",
                true,
                {delete_help_line(file, id, line.number)}};
    return &d;
}

// A help file without a `#vers<TAB>2` line whose smtp topic HELP shows: sendmail prints its
// version above it.
Diagnostic* report_old_format(const RuleContext& context, Emitter& out, FileId id,
                              const HelpFileReading& reading) {
    const SourceFile& file = context.sources.get(id);
    const HelpLine* smtp = nullptr;
    for (const HelpLine& line : reading.topics)
        if (line.text.starts_with("smtp")) {
            smtp = &line;
            break;
        }
    if (smtp == nullptr) return nullptr; // HELP finds no topic: `214 2.0.0 End of HELP info`
    std::string message = "HELP shows `214-2.0.0 This is Sendmail version <version>` above the "
                          "help text: sendmail prints it when the help file has no `#vers<TAB>2` "
                          "line";
    uint32_t at = smtp->number;
    std::string label = "HELP shows this topic";
    if (reading.version >= 0) {
        message += " (its `#vers` line says " + std::to_string(reading.version) + ")";
        at = reading.version_line;
        label = "the help file's version";
    } else if (reading.near_miss_line != 0) {
        message += " (sendmail reads `#vers` only when a tab follows it, and this line has "
                   "something else)";
        at = reading.near_miss_line;
        label = "sendmail does not read this line";
    }
    const std::string_view text = file.line_text(at);
    Diagnostic& d = out.report(
        Location{id,
                 {file.line_start(at), file.line_start(at) + static_cast<uint32_t>(text.size())}},
        std::move(message), std::move(label));

    // The fix writes the version line; the lines that then show $v/$Z (expanded from version 2
    // on) go, and the fix is safe when no other line HELP shows has a `$` that would now expand.
    std::vector<Edit> edits;
    const uint32_t version_at =
        reading.version >= 0 ? reading.version_line : reading.near_miss_line;
    if (version_at != 0) {
        const std::string_view old = file.line_text(version_at);
        edits.push_back(
            Edit{Location{id,
                          {file.line_start(version_at),
                           file.line_start(version_at) + static_cast<uint32_t>(old.size())}},
                 "#vers\t2"});
    } else {
        const bool crlf = file.text().find("\r\n") != std::string::npos;
        edits.push_back(Edit{Location{id, {0, 0}}, crlf ? "#vers\t2\r\n" : "#vers\t2\n"});
    }
    bool safe = true;
    for (const HelpLine& line : reading.topics) {
        if (!line.reachable) continue;
        if (has_literal_version(line.shown)) continue; // reported and deleted on its own
        if (text_reveals(context.config, line.shown))
            edits.push_back(delete_help_line(file, id, line.number));
        else if (line.shown.find('$') != std::string_view::npos)
            safe = false;
    }
    d.fix = Fix{"mark the help file as version 2 (`#vers<TAB>2`), so that sendmail prints no "
                "version of its own",
                safe, std::move(edits)};
    return &d;
}

// Findings in the help file point back at the line that names it. (A Diagnostic& from the
// Emitter is valid until the next report.)
void note_named_here(Diagnostic* d, const model::OptionSetting& setting) {
    if (d != nullptr && setting.value_where.valid())
        d->notes.push_back(Label{setting.value_where, "HelpFile names the help file here"});
}

void check_help_text(const RuleContext& context, Emitter& out, FileId id,
                     const model::OptionSetting& setting) {
    const HelpFileReading reading = read_help_file(context.sources.get(id));
    const bool macros_expand = reading.version >= 2;
    if (!macros_expand) note_named_here(report_old_format(context, out, id, reading), setting);
    for (const HelpLine& line : reading.topics)
        if (line.reachable)
            note_named_here(report_line(context, out, id, line, macros_expand), setting);
}

void check(const RuleContext& context, Emitter& out) {
    using Found = model::NamedFile::Found;
    const model::OptionValue* option = context.config.option("HelpFile");
    if (is_unset(option)) {
        out.report_default("HelpFile not set, so " + std::string(kNoHelp));
        return;
    }
    const model::OptionSetting& setting = option->settings.back();
    const std::string here = set_here(context, setting, "HelpFile");
    if (setting.value.empty()) {
        out.report(setting.value_where, "HelpFile is empty, so " + std::string(kNoHelp), here);
        return;
    }
    const model::NamedFile* found =
        context.named_files ? context.named_files->find("HelpFile") : nullptr;
    // Run on text alone (a test), no file was looked up.
    const model::NamedFile not_looked_up{"HelpFile",
                                         setting.value,
                                         Found::NotChecked,
                                         setting.value,
                                         false,
                                         kNoFile,
                                         "no help file was read with this configuration"};
    const model::NamedFile* file = found ? found : &not_looked_up;
    const std::string named = "the help file " + setting.value;
    switch (file->found) {
    case Found::Read:
        check_help_text(context, out, file->file, setting);
        return;
    case Found::Missing:
        mark_if_default(out.report(setting.value_where,
                                   named + " does not exist, so " + std::string(kNoHelp), here),
                        setting);
        return;
    case Found::NotRegular:
        mark_if_default(out.report(setting.value_where,
                                   named +
                                       " is not a regular file, which sendmail does not open, "
                                       "so " +
                                       std::string(kNoHelp),
                                   here),
                        setting);
        return;
    case Found::UnsafeDirectory:
        mark_if_default(
            out.report(
                setting.value_where,
                "sendmail does not open " + named + ": " + file->why +
                    " and DontBlameSendmail does not allow it (HelpFileInUnsafeDirPath), so " +
                    std::string(kNoHelp),
                here),
            setting);
        return;
    case Found::NotChecked: {
        Diagnostic& d = out.report(
            setting.value_where,
            "HELP may tell clients the sendmail version: smaudit did not check " + named + " (" +
                file->why +
                "); sendmail's own help file shows it ($v in its smtp topic), and without one " +
                std::string(kNoHelp),
            here);
        d.severity = Severity::Info;
        mark_if_default(d, setting);
        return;
    }
    }
}

} // namespace

extern const Rule kSM_S021 = {"SM-S021",
                              "help-reveals-version",
                              Pack::Security,
                              Severity::Medium,
                              2,
                              "HELP tells every client the sendmail version",
                              "keep a help file that starts with `#vers<TAB>2` and shows no $v "
                              "or $Z",
                              FixKind::Mixed,
                              &check};

} // namespace smaudit::rules
