// The state after cf.m4 (frozen.hpp): snapshot keys, file numbering both ways, the checks that
// a snapshot still holds, and the process's FrozenCache.
#include "m4/frozen.hpp"

#include "source/file_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include <unistd.h>

namespace smaudit::m4 {

std::string snapshot_key(bool prepended, const std::string& cf_dir, const std::string& display,
                         const std::string& cf_m4_path,
                         const std::array<std::string_view, 4>& delims, long diversion,
                         const ExpandOptions& options) {
    std::string key;
    auto add = [&](std::string_view part) {
        key += std::to_string(part.size());
        key += ':';
        key += part;
    };
    add(prepended ? "read before the .mc" : "included by the .mc");
    // Not the .mc's directory, the include path or the allowed roots: they matter only to
    // relative names (FrozenState::relative_lookups) and refusals (never in a snapshot),
    // and the files read are checked against the roots on each use.
    add(cf_dir);
    add(display);
    add(cf_m4_path);
    for (std::string_view delim : delims)
        add(delim);
    add(std::to_string(diversion));
    for (size_t limit :
         {options.max_output, options.max_text, options.max_expansions, options.max_depth,
          options.max_input_depth, options.max_include_depth, options.max_regex_pattern})
        add(std::to_string(limit));
    add(std::to_string(options.max_regex_work));
    return key;
}

bool SnapshotNumbering::freeze(FileId& file) const {
    if (file == kNoFile) return true;
    if (file == mc_) {
        file = 0;
        return true;
    }
    auto it = numbers_.find(file);
    if (it == numbers_.end()) return false;
    file = it->second;
    return true;
}

bool SnapshotNumbering::freeze(Location& where, const Span* include) const {
    if (include != nullptr && where.file == mc_ && where.span == *include) {
        where = Location{kIncludeCall, {0, 0}};
        return true;
    }
    return freeze(where.file);
}

bool SnapshotNumbering::freeze(Traced& text) const {
    for (Seg& seg : text.segs)
        if (!freeze(seg.file)) return false;
    return true;
}

bool SnapshotNumbering::freeze(const std::vector<DefPtr>& stack, std::vector<DefPtr>& out,
                               const Span* include) const {
    out.clear();
    for (const DefPtr& def : stack) {
        auto copy = std::make_shared<Def>(*def);
        if (!freeze(copy->body) || !freeze(copy->mc_place, include)) return false;
        out.push_back(std::move(copy));
    }
    return true;
}

bool SnapshotNumbering::same_definitions(const std::vector<DefPtr>* live,
                                         const std::vector<DefPtr>& frozen) const {
    std::vector<DefPtr> mine;
    if (live != nullptr && !freeze(*live, mine)) return false;
    if (mine.size() != frozen.size()) return false;
    for (size_t i = 0; i < mine.size(); ++i) {
        const Def& a = *mine[i];
        const Def& b = *frozen[i];
        if (a.builtin != b.builtin || a.blind != b.blind || a.body.text != b.body.text ||
            a.cause != b.cause || a.mc_place.file != b.mc_place.file ||
            a.mc_place.span != b.mc_place.span || a.mc_definition != b.mc_definition ||
            a.body.segs.size() != b.body.segs.size())
            return false;
        for (size_t k = 0; k < a.body.segs.size(); ++k) {
            const Seg& x = a.body.segs[k];
            const Seg& y = b.body.segs[k];
            if (x.at != y.at || x.file != y.file || x.begin != y.begin || x.end != y.end ||
                x.linear != y.linear || x.cause != y.cause)
                return false;
        }
    }
    return true;
}

FileId ResumedNumbering::file(FileId number) const {
    return number == kNoFile ? kNoFile : ids[number];
}

Location ResumedNumbering::location(Location where) const {
    if (where.file == kIncludeCall) return include;
    where.file = file(where.file);
    return where;
}

Traced ResumedNumbering::traced(Traced text) const {
    for (Seg& seg : text.segs)
        seg.file = file(seg.file);
    return text;
}

bool mentions_mc(const Def& def) {
    return def.mc_place.file == 0 || std::any_of(def.body.segs.begin(), def.body.segs.end(),
                                                 [](const Seg& seg) { return seg.file == 0; });
}

std::vector<DefPtr> initial_definitions(const std::string& name) {
    if (const BuiltinInfo* info = builtin_named(name)) return {Def::of_builtin(info->id)};
    return {};
}

bool tree_files_unchanged(const FrozenState& state,
                          const std::function<std::string(const std::string&)>& refusal,
                          size_t max_text, std::vector<std::string>& texts) {
    for (const std::string& path : state.missing)
        if (::access(path.c_str(), F_OK) == 0) return false;
    for (size_t i = 1; i < state.files.size(); ++i) {
        const FrozenState::File& file = state.files[i];
        if (!refusal(file.path).empty()) return false;
        FileRead read = read_regular_file(file.path, max_text);
        if (!read.ok() || read.text != file.text) return false;
        texts.push_back(std::move(read.text));
    }
    return true;
}

std::vector<FrozenCache::Snapshot> FrozenCache::candidates(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = snapshots_.find(key);
    return it == snapshots_.end() ? std::vector<Snapshot>() : it->second;
}

void FrozenCache::add(const std::string& key, Snapshot snapshot) {
    std::lock_guard lock(mutex_);
    // A few keys per run (one per cf tree, .mc directory and option set): a bound, not a policy.
    if (snapshots_.size() >= 64 && snapshots_.count(key) == 0) return;
    auto& kept = snapshots_[key];
    // A tree that changed during the run leaves stale snapshots, an .mc that defined a name
    // cf.m4 reads one only such .mc files can use: those go first, then the oldest.
    if (kept.size() >= 8) {
        auto specific = std::find_if(kept.begin(), kept.end(), [](const Snapshot& kept_one) {
            return !kept_one->changed_before.empty();
        });
        kept.erase(specific != kept.end() ? specific : kept.begin());
    }
    kept.push_back(std::move(snapshot));
    ++stats_.recorded;
}

FrozenCache::Stats FrozenCache::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void FrozenCache::count_resumed() {
    std::lock_guard lock(mutex_);
    ++stats_.resumed;
}

void FrozenCache::count_stale() {
    std::lock_guard lock(mutex_);
    ++stats_.stale;
}

FrozenCache* process_frozen_cache() {
    static FrozenCache cache;
    static const bool off = [] {
        const char* setting = std::getenv("SMAUDIT_M4_FROZEN");
        return setting != nullptr && std::string_view(setting) == "0";
    }();
    return off ? nullptr : &cache;
}

} // namespace smaudit::m4
