// Drift: how the .cf that sendmail loads departs from the .cf text its .mc generates (sendmail.cf
// beside sendmail.mc, edited by hand or left stale after the .mc changed).
#pragma once

#include "source/source.hpp"

#include <string>
#include <string_view>

namespace smaudit::analyze {

// Only what sendmail reads is compared: comment lines (with the indented lines that continue
// them) and blank lines are left out, and lines are compared as compared_line() has them. The
// build-info lines cfhead.m4 writes with syscmd (`##### built by root@host on <date>`) and
// Debian's copy of the .mc appended to the .cf as comments therefore never count, nor does
// `R$* <TAB>$@ $1` against `R$*<TAB>$@ $1` (older cf trees wrote a blank before the tab).
struct CfDrift {
    FileId cf = kNoFile;
    size_t only_in_cf = 0;       // lines of the .cf the generated text does not have
    size_t only_generated = 0;   // generated lines the .cf does not have
    bool differs = false;        // the lines differ, in content or in order
    Span first_difference;       // the .cf line where the two first part (see generated_there)
    std::string generated_there; // the generated line at that point; empty where it has none
    bool cf_ends_early = false;  // the .cf stops there while the generated text goes on
    size_t cf_lines = 0;         // lines of the .cf that sendmail reads
};

// A .cf line as sendmail's reading makes it: blanks and a CR at its end dropped, a run of
// blanks that holds a tab made one tab (what separates a rule's LHS, RHS and comment), any
// other run of blanks one space (what separates tokens).
std::string compared_line(std::string_view line);

// Compares the .cf `cf` of `sources` with the text its .mc generates.
CfDrift compare_with_generated(const SourceSet& sources, FileId cf, std::string_view generated);

} // namespace smaudit::analyze
