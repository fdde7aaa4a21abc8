// Text that knows, byte range by byte range, which source bytes produced it (see expand.hpp).
#pragma once

#include "source/source.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::m4 {

// No cause: the text is not there because of a file an .mc call read (see Seg::cause).
inline constexpr uint32_t kNoCause = UINT32_MAX;

// text[at, next segment's at) came from `file`. Linear: byte at+k is source byte begin+k.
// Otherwise all of it came from the span [begin, end) as a whole (a builtin's call).
// `cause`: the index in Expansion::included_by of the file whose define made an ifdef pick this
// text (proto.m4's rules under ifdef(`_ACCESS_TABLE_', ...) -> feature/access_db.m4), else
// kNoCause. It travels with the bytes, as their origin does.
struct Seg {
    uint32_t at;
    FileId file;
    uint32_t begin;
    uint32_t end;
    bool linear;
    uint32_t cause = kNoCause;
};

struct Traced {
    std::string text;
    std::vector<Seg> segs;

    bool empty() const { return text.empty(); }
    size_t size() const { return text.size(); }
    void clear() {
        text.clear();
        segs.clear();
    }

    // Source bytes [src, src + s.size()) of `file`, copied through.
    void append_linear(std::string_view s, FileId file, uint32_t src, uint32_t cause = kNoCause) {
        if (s.empty()) return;
        const auto at = static_cast<uint32_t>(text.size());
        if (!segs.empty()) {
            Seg& last = segs.back();
            if (last.linear && last.file == file && last.begin + (at - last.at) == src &&
                last.cause == cause) {
                last.end = src + static_cast<uint32_t>(s.size());
                text.append(s);
                return;
            }
        }
        segs.push_back({at, file, src, src + static_cast<uint32_t>(s.size()), true, cause});
        text.append(s);
    }

    // Text made at `where` as a whole (or nowhere: an invalid location).
    void append_fixed(std::string_view s, Location where, uint32_t cause = kNoCause) {
        if (s.empty()) return;
        const auto at = static_cast<uint32_t>(text.size());
        if (segs.empty() || segs.back().linear || segs.back().file != where.file ||
            segs.back().begin != where.span.begin || segs.back().end != where.span.end ||
            segs.back().cause != cause)
            segs.push_back({at, where.file, where.span.begin, where.span.end, false, cause});
        text.append(s);
    }

    // Bytes [b, e) of `other`, with their origins.
    void append(const Traced& other, size_t b, size_t e) {
        size_t hint = 0;
        append(other, b, e, hint);
    }

    // The same; `hint` is the index of the segment used last in `other` (reading a text front to
    // back, the next piece is almost always in that segment or the one after), updated here.
    void append(const Traced& other, size_t b, size_t e, size_t& hint) {
        if (b >= e) return;
        auto it = other.segs.begin();
        const size_t n = other.segs.size();
        if (hint < n && other.segs[hint].at <= b && (hint + 1 == n || b < other.segs[hint + 1].at))
            it += static_cast<std::ptrdiff_t>(hint);
        else if (hint + 1 < n && other.segs[hint + 1].at <= b &&
                 (hint + 2 == n || b < other.segs[hint + 2].at))
            it += static_cast<std::ptrdiff_t>(hint + 1);
        else {
            it = std::upper_bound(other.segs.begin(), other.segs.end(), b,
                                  [](size_t off, const Seg& s) { return off < s.at; });
            if (it != other.segs.begin()) --it;
        }
        size_t pos = b;
        while (pos < e && it != other.segs.end()) {
            const size_t seg_end = (it + 1 == other.segs.end()) ? other.text.size() : (it + 1)->at;
            const size_t piece_end = std::min(seg_end, e);
            const std::string_view piece(other.text.data() + pos, piece_end - pos);
            if (it->linear)
                append_linear(piece, it->file, it->begin + static_cast<uint32_t>(pos - it->at),
                              it->cause);
            else
                append_fixed(piece, Location{it->file, {it->begin, it->end}}, it->cause);
            pos = piece_end;
            hint = static_cast<size_t>(it - other.segs.begin());
            ++it;
        }
        if (pos < e) append_fixed(std::string_view(other.text.data() + pos, e - pos), {});
    }
    void append(const Traced& other) { append(other, 0, other.text.size()); }

    // Gives the pieces from segment `first` on that have no cause, or the cause `from`, the
    // cause `to`; pieces with another cause keep theirs. Neighbours that become alike stay
    // separate pieces.
    void recause(size_t first, uint32_t from, uint32_t to) {
        for (size_t i = first; i < segs.size(); ++i)
            if (segs[i].cause == from || segs[i].cause == kNoCause) segs[i].cause = to;
    }

    // Location of the byte at `off` (a single byte for linear pieces, else the whole span).
    Location origin_at(size_t off) const {
        auto it = std::upper_bound(segs.begin(), segs.end(), off,
                                   [](size_t o, const Seg& s) { return o < s.at; });
        if (it == segs.begin()) return {};
        --it;
        if (it->linear) {
            const uint32_t p = it->begin + static_cast<uint32_t>(off - it->at);
            return Location{it->file, {p, p + 1}};
        }
        return Location{it->file, {it->begin, it->end}};
    }
};

} // namespace smaudit::m4
