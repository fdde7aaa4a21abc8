// The engine's state after cf.m4 (FrozenCache, declared in expand.hpp): what a snapshot holds,
// its key, the numbering of its files, and the checks that it still holds. engine.cpp records a
// snapshot while cf.m4 is read and replays one (Engine::start_recording, finish_recording,
// resume_frozen, thaw) with these. Internal to src/m4.
#pragma once

#include "m4/engine_defs.hpp"
#include "m4/expand.hpp"
#include "m4/traced.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace smaudit::m4 {

// A Location of the .mc's cf.m4 include call in a FrozenState (where messages of the cf tree
// read by it point): the include is at another place in each .mc.
inline constexpr FileId kIncludeCall = kNoFile - 1;

// The engine's state right after an .mc's `include(.../cf.m4)` has been read (FrozenCache).
// Files in it are numbered: 0 the .mc, 1 cf.m4, 2.. `files[1..]` (read while reading cf.m4);
// kIncludeCall the include call. Two parts: what the reading depended on (to tell whether the
// snapshot holds for another .mc or a changed tree), and what it changed (applied on resume).
struct FrozenState {
    // Depended on. files[0] is cf.m4, read before the snapshot starts.
    struct File {
        std::string path, text;
    };
    std::vector<File> files;
    std::vector<std::string> missing; // paths looked for and not there
    // Macro names looked up, tested or changed while reading (every name token read: a name
    // the .mc defined before the include would have been expanded).
    std::unordered_set<std::string> touched;
    // Of those, the ones the .mc had changed before the include, with their definitions then;
    // the others were GNU m4's initial ones.
    std::unordered_map<std::string, std::vector<DefPtr>> changed_before;
    // A relative name was looked for: found where work_dir and include_path say.
    bool relative_lookups = false;
    std::string work_dir;
    std::vector<std::string> include_path;
    // The .mc places in changed_before are absolute: then the include must be where it was.
    bool include_must_match = false;
    bool prepended = false; // cf.m4 read before the .mc: no include call
    Span include_span;
    // Work done, charged to the resumed run's limits.
    size_t expansions = 0, output_bytes = 0;
    uint64_t regex_work = 0;

    // Changed: the definitions of names changed while reading (empty: undefined).
    std::vector<std::pair<std::string, std::vector<DefPtr>>> written;
    std::vector<std::pair<long, Traced>> diverted; // text added to each diversion
    long diversion = 0;
    std::string lquote, rquote, bcomm, ecomm;
    struct Wrap {
        Traced text;
        Place place;
    };
    std::vector<Wrap> wraps;
    std::vector<std::string> names; // __file__ names added (after "" and the .mc's)
    std::vector<std::string> maketemp_names;
    std::vector<std::string> regex_patterns; // compiled and cached
    std::vector<uint32_t> included_files;
    std::vector<Expansion::IncludedFile> included_by;
    std::vector<Diagnostic> diagnostics;
    std::vector<ErrprintMessage> errprints;
    std::vector<Location> unsafe_builtin_calls;
    Location last_close;
};

// The key of snapshots for an include of cf.m4 (`cf_m4_path`, __file__ `display`): what else
// decides how it is read. `prepended`: cf.m4 read before the .mc, at the start of the run;
// `delims`: the quote and comment delimiters; `diversion`: the current one.
std::string snapshot_key(bool prepended, const std::string& cf_dir, const std::string& display,
                         const std::string& cf_m4_path,
                         const std::array<std::string_view, 4>& delims, long diversion,
                         const ExpandOptions& options);

// A run's files -> the snapshot's numbers (FrozenState): the .mc 0, the others by `numbers`.
using FileNumbers = std::unordered_map<FileId, FileId>;

// Puts a run's files, places, texts and definitions in a snapshot's numbering; each freeze is
// false for a file the snapshot cannot hold.
class SnapshotNumbering {
  public:
    SnapshotNumbering(FileId mc, const FileNumbers& numbers) : mc_(mc), numbers_(numbers) {}

    bool freeze(FileId& file) const;
    // `include`: the include call's span, which becomes kIncludeCall (null: none does).
    bool freeze(Location& where, const Span* include) const;
    bool freeze(Traced& text) const;
    // `include` as for a Location: a definition made while reading a file an .mc call read
    // has that call as its .mc place.
    bool freeze(const std::vector<DefPtr>& stack, std::vector<DefPtr>& out,
                const Span* include = nullptr) const;
    // Whether the live definitions of a name (null: none) are the snapshot's `frozen` ones.
    bool same_definitions(const std::vector<DefPtr>* live, const std::vector<DefPtr>& frozen) const;

  private:
    FileId mc_;
    const FileNumbers& numbers_;
};

// The other way, on resume: snapshot number n is the run's file `ids[n]`, kIncludeCall this
// .mc's include call `include`.
struct ResumedNumbering {
    std::vector<FileId> ids;
    Location include;

    FileId file(FileId number) const;
    Location location(Location where) const;
    Traced traced(Traced text) const;
};

// Whether a frozen definition points into the .mc (file 0).
bool mentions_mc(const Def& def);

// GNU m4's initial definition of a name: its builtin, or none.
std::vector<DefPtr> initial_definitions(const std::string& name);

// Whether the files a snapshot's reading looked at are as they were: paths it did not find
// still absent, the files it read (after cf.m4) allowed (`refusal` of a path empty) and byte
// for byte the same. `texts`: those files, read again.
bool tree_files_unchanged(const FrozenState& state,
                          const std::function<std::string(const std::string&)>& refusal,
                          size_t max_text, std::vector<std::string>& texts);

} // namespace smaudit::m4
