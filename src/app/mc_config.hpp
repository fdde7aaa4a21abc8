// An .mc audited like a .cf: expanded by the safe m4 engine into the .cf text m4 would write,
// that text parsed and modelled as any .cf, then every place moved back to the .mc — the bytes a
// value came from when the .mc wrote them, the OSTYPE/DOMAIN/FEATURE call that read the file it
// came from, or "cf default" (no place) for text of sendmail's cf tree itself.
#pragma once

#include "m4/expand.hpp"
#include "model/config.hpp"

#include <string>
#include <vector>

namespace smaudit {

struct McConfig {
    m4::Expansion expansion;
    FileId generated = kNoFile; // the expanded .cf text, a file of its own in the SourceSet
    model::Config config;       // places already moved to the .mc
    // The syntax diagnostics of the generated text, places left in it (in `diagnostics` they
    // are moved to the .mc): what a .cf beside the .mc is compared with.
    std::vector<Diagnostic> generated_syntax;
    // .mc places that stand for text the .mc did not write itself (an OSTYPE or FEATURE call
    // standing for what its file set): shown to the user, never edited by a fix.
    std::vector<Location> indirect;
};

// `include_dirs`: --include-dir (m4::ExpandOptions::include_dirs).
McConfig build_mc_config(SourceSet& sources, FileId mc, const std::string& cf_dir,
                         std::vector<Diagnostic>& diagnostics,
                         const std::vector<std::string>& include_dirs = {});

// Drops the fixes of diagnostics[first...] that would edit anything but bytes the .mc itself
// wrote: the cf tree, another file, or an OSTYPE/FEATURE call standing for its file's text.
// `also_editable`: other files a fix may edit (the help file the configuration names).
void drop_indirect_fixes(const McConfig& mc, std::vector<Diagnostic>& diagnostics, size_t first,
                         const std::vector<FileId>& also_editable = {});

} // namespace smaudit
