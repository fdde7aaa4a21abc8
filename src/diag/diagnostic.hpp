// Diagnostics: what every parser, analyzer and rule produces and every reporter consumes.
// Reporters and the fixer depend on this header only, never on rules.
#pragma once

#include "source/source.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

enum class Severity { Info, Low, Medium, High, Critical };
std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

enum class Pack { Security, Performance, Consistency, Syntax };
std::string_view to_string(Pack pack);

// For an insertion that several fixes make at one place, each with its own item of one list (a
// new PrivacyOptions line with each fix's flag): the item's bytes in the replacement, which is
// frame-before + item + frame-after. Insertions at one offset with the same frame and separator
// are applied as one: the frame once, the items joined by `separator` (src/fix/apply.hpp).
struct ListItem {
    uint32_t begin = 0, end = 0;
    std::string separator;
};

// One replacement of a span by new text; a fix is a set of them, possibly in several files.
struct Edit {
    Location where;
    std::string replacement;
    std::optional<ListItem> list_item = std::nullopt; // an insertion that joins others of its list
};

struct Fix {
    std::string title;
    bool safe = false; // safe fixes keep behaviour apart from the flagged pattern
    std::vector<Edit> edits;
};

// A secondary place worth showing ("PrivacyOptions is set here").
struct Label {
    Location where;
    std::string text;
};

struct Diagnostic {
    std::string rule_id;   // "SM-S023", "SM-E001"
    std::string rule_name; // "vrfy-enabled"
    Pack pack = Pack::Security;
    Severity severity = Severity::Medium;
    std::string message;
    Location where;           // invalid: no line to point at (see about_default)
    std::string label;        // text under the caret of `where`
    std::vector<Label> notes; // further places
    std::optional<Fix> fix;
    // For a finding without a place (invalid `where`): the configuration file it is about, which
    // reporters print as the finding's path. Ignored when `where` is valid.
    FileId config_file = kNoFile;
    // The finding is about a default: a value no line of the configuration sets (sendmail's
    // built-in one, or one sendmail's cf files write for an .mc). A finding without a place that
    // is not about a default has text no line of the audited file stands for (an .mc finding in
    // what sendmail's cf files wrote); reporters say which.
    bool about_default = false;
};

// Deterministic report order: path, offset, rule (design.md).
bool report_order_less(const Diagnostic& a, const Diagnostic& b, const SourceSet& sources);
void sort_diagnostics(std::vector<Diagnostic>& diagnostics, const SourceSet& sources);
// The same order as a view, for reporters: thirty thousand findings are not copied to be sorted.
std::vector<const Diagnostic*> sorted_diagnostics(const std::vector<Diagnostic>& diagnostics,
                                                  const SourceSet& sources);

} // namespace smaudit
