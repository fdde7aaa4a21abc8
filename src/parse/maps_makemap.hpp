// Internal: the line reader makemap uses, shared by the access and key/value map parsers.
// makemap reads with fgets into a 1024-byte buffer and finds the newline with strchr, so:
// - a piece is at most 1023 bytes; a longer line is "line too long" and its remainder is read
//   as the next line (it can even become an entry);
// - a NUL byte hides the newline: the line is "line too long" too, unless it is the last
//   piece of the file without newline, which is then used up to the NUL.
#pragma once

#include "grammar/maps/makemap.hpp"
#include "parse/maps_common.hpp"
#include "parse/maps_show.hpp"
#include "source/parallel.hpp"
#include "source/source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace smaudit::maps_detail {

// What the access and plain key/value parsers' actions fill in while reading one line.
struct MakemapLineState {
    const char* base;
    std::vector<ast::MapEntry>& entries;
    // Beside each entry, 32 bits of the hash of its folded key (key_hash32): hashed while the
    // line is in the cache, on the thread that read it, for the duplicate check.
    std::vector<uint32_t>& key_hashes;
    // A hand-written reader of the common shapes of a line, tried before the grammar: it fills
    // `entry` as the grammar's actions would and returns true, or returns false (then the
    // grammar, the reference, reads the line). Null: the grammar reads every line.
    bool (*fast_line)(const char* line, const char* end, const char* base,
                      ast::MapEntry& entry) = nullptr;
    ast::MapEntry entry{};
    void start_line() { entry = {}; }
};

inline constexpr size_t kMakemapPiece = 1023;

// Parses every piece of text[from, to) with Line/Action; the action's state receives the
// entries and is told start_line() before each line. `from` is the start of a line, and so of
// a piece: a newline always ends one. any_nul: whether the text has a NUL byte anywhere.
template <typename Line, template <typename> class Action, typename State>
void scan_makemap(std::string_view text, size_t from, size_t to, bool any_nul, FileId file,
                  State& state, std::vector<Span>& comments, SyntaxSink& out) {
    namespace pegtl = tao::pegtl;
    const char* base = text.data();
    const size_t size = to;
    size_t pos = from;
    while (pos < size) {
        const size_t limit = std::min(size, pos + kMakemapPiece);
        const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', limit - pos));
        const size_t piece_end = nl ? static_cast<size_t>(nl - base) + 1 : limit;
        const size_t content_end = nl ? static_cast<size_t>(nl - base) : limit;
        const char* nul =
            any_nul ? static_cast<const char*>(std::memchr(base + pos, '\0', content_end - pos))
                    : nullptr;
        const size_t begin = pos;
        pos = piece_end;
        const Span piece{static_cast<uint32_t>(begin), static_cast<uint32_t>(content_end)};
        size_t visible_end = content_end;
        if (nul) {
            if (nl || piece_end - begin == kMakemapPiece) {
                report(out, kMapNulByte, file, piece,
                       "line contains a NUL byte: makemap cannot see its end and skips it "
                       "(\"line too long\")",
                       "NUL byte in this line");
                continue;
            }
            visible_end = static_cast<size_t>(nul - base); // last piece at EOF: cut at the NUL
        } else if (!nl && piece_end - begin == kMakemapPiece) {
            report(out, kMapLineTooLong, file, piece,
                   "line longer than 1022 bytes: makemap skips its first 1023 bytes (\"line too "
                   "long\") and reads the rest as a new line",
                   "makemap reads only 1023 bytes of a line");
            continue;
        }
        if (visible_end == begin) continue; // empty line
        if (base[begin] == '#') {
            comments.push_back(piece);
            continue;
        }
        // A const char* source name: a std::string one would be copied (allocated) for every line.
        pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf, const char*> in(
            base + begin, base + visible_end, "");
        state.start_line();
        if (state.fast_line != nullptr &&
            state.fast_line(base + begin, base + visible_end, base, state.entry)) {
            state.entries.push_back(state.entry);
            state.key_hashes.push_back(key_hash32({base + begin, state.entry.key_len}));
            continue;
        }
        const size_t entries_before = state.entries.size();
        try {
            pegtl::parse<Line, Action, grammar::makemap::control>(in, state);
            if (state.entries.size() != entries_before) {
                const ast::MapEntry& added = state.entries.back();
                state.key_hashes.push_back(key_hash32({base + added.begin, added.key_len}));
            }
        } catch (const pegtl::parse_error& e) {
            const std::string message(e.message());
            const bool leading_blank =
                message == grammar::makemap::error_message<grammar::makemap::no_leading_blank>;
            report(out, leading_blank ? kMapLeadingBlank : kMapNoValue, file,
                   {static_cast<uint32_t>(begin), static_cast<uint32_t>(visible_end)}, message);
        }
    }
}

// What one thread read of a large map: a part's entries, comments and syntax diagnostics.
struct MakemapPart {
    std::vector<ast::MapEntry> entries;
    std::vector<uint32_t> key_hashes;
    std::vector<Span> comments;
    std::vector<Diagnostic> diagnostics;
    SyntaxSink sink{diagnostics};
};

// scan_makemap over the whole text into map and sink: in work_pieces() parts split at line
// starts (a makemap line means the same wherever the file is cut between lines), each read on a
// thread, then joined in file order, so the result is the one a single scan gives.
template <typename Line, template <typename> class Action, typename MapFile>
void scan_makemap_parts(const SourceFile& source, FileId file, MapFile& map,
                        std::vector<uint32_t>& key_hashes, SyntaxSink& sink,
                        decltype(MakemapLineState::fast_line) fast_line) {
    const std::string_view text = source.text();
    const bool any_nul = has_nul(text);
    const size_t count = work_pieces(parallel_parts(text.size()));
    if (count <= 1) {
        MakemapLineState state{text.data(), map.entries, key_hashes, fast_line};
        scan_makemap<Line, Action>(text, 0, text.size(), any_nul, file, state, map.comments, sink);
        return;
    }
    const std::vector<size_t> bounds = cut_at_lines(text, count);
    // The first part is read straight into the map; the others are appended to it after.
    std::vector<MakemapPart> parts(count - 1);
    run_parallel(count, [&](size_t k) {
        if (k == 0) {
            MakemapLineState state{text.data(), map.entries, key_hashes, fast_line};
            scan_makemap<Line, Action>(text, 0, bounds[1], any_nul, file, state, map.comments,
                                       sink);
            return;
        }
        MakemapPart& part = parts[k - 1];
        const uint32_t lines = source.position(static_cast<uint32_t>(bounds[k + 1])).line -
                               source.position(static_cast<uint32_t>(bounds[k])).line + 1;
        part.entries.reserve(lines);
        part.key_hashes.reserve(lines);
        MakemapLineState state{text.data(), part.entries, part.key_hashes, fast_line};
        scan_makemap<Line, Action>(text, bounds[k], bounds[k + 1], any_nul, file, state,
                                   part.comments, part.sink);
    });
    for (MakemapPart& part : parts) {
        map.entries.insert(map.entries.end(), part.entries.begin(), part.entries.end());
        std::vector<ast::MapEntry>().swap(part.entries); // freed before the duplicate check
        key_hashes.insert(key_hashes.end(), part.key_hashes.begin(), part.key_hashes.end());
        std::vector<uint32_t>().swap(part.key_hashes);
        map.comments.insert(map.comments.end(), part.comments.begin(), part.comments.end());
        sink.absorb(part.sink);
    }
}

// Marks entries whose stored key repeats an earlier one: makemap keeps the first and warns
// "duplicate key" (exit code 65).
// key_hashes: key_hash32 of each entry's key. On the work threads for a large map: each thread
// takes the keys whose hash is its share (hash % threads; equal keys have equal hashes, so a
// key's entries are all one thread's, in file order) into a finder of its own; their
// duplicates are then reported in entry order, as one pass reports them.
template <typename MapFile>
void mark_duplicates(MapFile& map, const std::vector<uint32_t>& key_hashes,
                     const SourceFile& source, SyntaxSink& out) {
    const auto n = static_cast<uint32_t>(map.entries.size());
    const size_t shares = std::max<size_t>(1, parallel_parts(source.text().size()));
    // The finder's slot and tag both from the 32 bits: a tag match is then a hash match.
    auto hash_of = [&](uint32_t i) { return uint64_t{key_hashes[i]} << 32 | key_hashes[i]; };
    std::vector<std::vector<ast::MapDuplicate>> found(shares);
    run_parallel(shares, [&](size_t share) {
        auto mine = [&](uint32_t i) { return key_hashes[i] % shares == share; };
        uint32_t count = 0;
        for (uint32_t i = 0; i < n; ++i)
            count += mine(i);
        DuplicateFinder finder(count);
        // The slots of this share's next kAhead entries are prefetched (the table is too big
        // for the cache): `ahead` holds them, `scan` is where the next one is looked for.
        constexpr uint32_t kAhead = 16;
        uint32_t ahead[kAhead];
        uint32_t queued = 0, first = 0, scan = 0;
        auto refill = [&] {
            while (queued < kAhead && scan < n) {
                if (mine(scan)) {
                    finder.prefetch(hash_of(scan));
                    ahead[(first + queued++) % kAhead] = scan;
                }
                ++scan;
            }
        };
        for (refill(); queued > 0; refill()) {
            const uint32_t i = ahead[first];
            first = (first + 1) % kAhead;
            --queued;
            const std::string_view key = map.key(map.entries[i]);
            const uint32_t kept = finder.insert(i, hash_of(i), [&](uint32_t other) {
                return equal_folded(map.key(map.entries[other]), key);
            });
            if (kept != i) found[share].push_back({i, kept});
        }
    });
    // The shares' duplicates, each list in entry order, merged.
    std::vector<size_t> next(shares);
    for (;;) {
        size_t pick = shares;
        for (size_t k = 0; k < shares; ++k)
            if (next[k] < found[k].size() &&
                (pick == shares || found[k][next[k]].entry < found[pick][next[pick]].entry))
                pick = k;
        if (pick == shares) break;
        const ast::MapDuplicate duplicate = found[pick][next[pick]++];
        const uint32_t i = duplicate.entry, kept = duplicate.kept;
        map.entries[i].flags |= ast::MapEntry::kDuplicate;
        map.duplicates.push_back(duplicate);
        const ast::MapEntry& first = map.entries[kept];
        Diagnostic& d =
            report(out, kMapDuplicateKey, map.file, map.entries[i].key_span(),
                   fmt::format("duplicate key '{}': makemap keeps the entry of line {} and "
                               "drops this one",
                               bytes_to_utf8(map.stored_key(map.entries[i])),
                               source.position(first.begin).line),
                   "ignored by makemap");
        d.notes.push_back({{map.file, first.key_span()}, "this entry is the one makemap keeps"});
    }
}

// A makemap source read as `makemap hash X < X` reads it: every line by Line/Action (after
// fast_line, if given), then the duplicates (the first entry of a key wins). MapFile is
// ast::KeyValueMap or ast::AccessFile.
template <typename Line, template <typename> class Action, typename MapFile>
MapFile parse_makemap(const SourceSet& sources, FileId file, std::vector<Diagnostic>& diagnostics,
                      decltype(MakemapLineState::fast_line) fast_line = nullptr) {
    const SourceFile& source = sources.get(file);
    MapFile map;
    map.file = file;
    map.text = source.text();
    map.entries.reserve(source.line_count()); // the line index is already there
    SyntaxSink sink(diagnostics);
    {
        std::vector<uint32_t> key_hashes;
        key_hashes.reserve(source.line_count());
        scan_makemap_parts<Line, Action>(source, file, map, key_hashes, sink, fast_line);
        mark_duplicates(map, key_hashes, source, sink);
    }
    sink.finish();
    return map;
}

} // namespace smaudit::maps_detail
