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
    ast::MapEntry entry{};
    void start_line() { entry = {}; }
};

inline constexpr size_t kMakemapPiece = 1023;

// Parses every piece with Line/Action; the action's state receives the entries and is told
// start_line() before each line.
template <typename Line, template <typename> class Action, typename State>
void scan_makemap(const SourceFile& source, FileId file, State& state, std::vector<Span>& comments,
                  SyntaxSink& out) {
    namespace pegtl = tao::pegtl;
    const std::string& text = source.text();
    const char* base = text.data();
    const size_t size = text.size();
    const bool any_nul = has_nul(text);
    size_t pos = 0;
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
        try {
            pegtl::parse<Line, Action, grammar::makemap::control>(in, state);
        } catch (const pegtl::parse_error& e) {
            const std::string message(e.message());
            const bool leading_blank =
                message == grammar::makemap::error_message<grammar::makemap::no_leading_blank>;
            report(out, leading_blank ? kMapLeadingBlank : kMapNoValue, file,
                   {static_cast<uint32_t>(begin), static_cast<uint32_t>(visible_end)}, message);
        }
    }
}

// Marks entries whose stored key repeats an earlier one: makemap keeps the first and warns
// "duplicate key" (exit code 65).
template <typename MapFile>
void mark_duplicates(MapFile& map, const SourceFile& source, SyntaxSink& out) {
    DuplicateFinder finder(map.entries.size());
    const auto n = static_cast<uint32_t>(map.entries.size());
    auto hash_of = [&](uint32_t i) { return hash_folded(map.key(map.entries[i])); };
    // Hashes of the next kAhead entries, whose slots are being prefetched.
    constexpr uint32_t kAhead = 16;
    uint64_t ahead[kAhead];
    for (uint32_t i = 0; i < std::min(n, kAhead); ++i)
        finder.prefetch(ahead[i] = hash_of(i));
    for (uint32_t i = 0; i < n; ++i) {
        const uint64_t hash = ahead[i % kAhead];
        if (i + kAhead < n) finder.prefetch(ahead[i % kAhead] = hash_of(i + kAhead));
        const std::string_view key = map.key(map.entries[i]);
        uint32_t& kept = finder.insert(i, hash, [&](uint32_t other) {
            return equal_folded(map.key(map.entries[other]), key);
        });
        if (kept == i) continue;
        map.entries[i].flags |= ast::MapEntry::kDuplicate;
        map.duplicates.push_back({i, kept});
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

// A makemap source read as `makemap hash X < X` reads it: every line by Line/Action, then the
// duplicates (the first entry of a key wins). MapFile is ast::KeyValueMap or ast::AccessFile.
template <typename Line, template <typename> class Action, typename MapFile>
MapFile parse_makemap(const SourceSet& sources, FileId file, std::vector<Diagnostic>& diagnostics) {
    const SourceFile& source = sources.get(file);
    MapFile map;
    map.file = file;
    map.text = source.text();
    map.entries.reserve(source.line_count()); // the line index is already there
    MakemapLineState state{source.text().data(), map.entries};
    SyntaxSink sink(diagnostics);
    scan_makemap<Line, Action>(source, file, state, map.comments, sink);
    mark_duplicates(map, source, sink);
    sink.finish();
    return map;
}

} // namespace smaudit::maps_detail
