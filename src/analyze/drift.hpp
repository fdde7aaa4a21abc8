// Drift: how the .cf that sendmail loads departs from the .cf text its .mc generates (sendmail.cf
// beside sendmail.mc, edited by hand or left stale after the .mc changed).
#pragma once

#include "source/source.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::analyze {

// Only what sendmail reads is compared: comment lines (with the indented lines that continue
// them) and blank lines are left out, and lines are compared as compared_line() has them. The
// build-info lines cfhead.m4 writes with syscmd (`##### built by root@host on <date>`) and
// Debian's copy of the .mc appended to the .cf as comments therefore never count, nor does
// `R$* <TAB>$@ $1` against `R$*<TAB>$@ $1` (older cf trees wrote a blank before the tab).
// One difference between the .cf's model and the model of the .mc's output, setting by setting:
// an option, a macro, a class, a map, a mailer, a ruleset's rules, a header, ... (`model` and
// `name` say which). A line is one statement as sendmail reads it, its continuation lines
// joined (compared_line() each, joined by '\n'). Differences in the order of settings that
// sendmail reads the same in any order (options, macros, maps, mailers, rulesets) are not
// differences; inside a ruleset, a class or a header the order counts.
struct ModelDifference {
    std::string model; // "option", "macro", "class", "class file", "map", "mailer", "ruleset",
                       // "rules of <ruleset>", "header", "version", "trusted users", ...
    std::string name;  // "MaxMessageSize", "w", "access", "check_rcpt", "From", ...
    // The .cf's statement; absent when the .cf lacks what the .mc generates.
    std::optional<std::string> cf_line;
    Span cf_span; // cf_line's place; else the .cf statement the missing one would stand before
                  // (the last one when it would end the .cf; empty span: the .cf has none)
    // The generated statement (span in the generated text); absent when only the .cf has it.
    std::optional<std::string> generated_line;
    Span generated_span;
};

struct CfDrift {
    FileId cf = kNoFile;
    size_t only_in_cf = 0;     // lines of the .cf the generated text does not have
    size_t only_generated = 0; // generated lines the .cf does not have
    bool differs = false;      // the lines differ, in content or in order
    // The lines sendmail reads are byte for byte the same (not only as compared_line() has
    // them, and blank lines that continue a statement included): only comments and empty lines
    // differ, so everything that reads the two texts as sendmail does finds the same.
    bool same_bytes = false;
    Span first_difference;       // the .cf line where the two first part (see generated_there)
    std::string generated_there; // the generated line at that point; empty where it has none
    bool cf_ends_early = false;  // the .cf stops there while the generated text goes on
    size_t cf_lines = 0;         // lines of the .cf that sendmail reads
    // Model by model, in the .cf's order (cf_span), each difference once.
    std::vector<ModelDifference> differences;
    // In a live or --root audit, the modification times of the .mc and the .cf (seconds since
    // the epoch); absent when the audit did not look at the file system.
    std::optional<int64_t> mc_mtime, cf_mtime;
};

// A .cf line as sendmail's reading makes it: blanks and a CR at its end dropped, a run of
// blanks that holds a tab made one tab (what separates a rule's LHS, RHS and comment), any
// other run of blanks one space (what separates tokens).
std::string compared_line(std::string_view line);

// Compares the .cf `cf` of `sources` with the text its .mc generates.
CfDrift compare_with_generated(const SourceSet& sources, FileId cf, std::string_view generated);

} // namespace smaudit::analyze
