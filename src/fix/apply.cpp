#include "fix/apply.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

namespace smaudit {

namespace {

struct TakenEdit {
    const Edit* edit;
    size_t order; // report order of its fix, then its place in the fix
};

// Whether two edits of one file cannot both apply. Touching is fine: an insertion at either end
// of a replacement, two insertions at one offset.
bool overlaps(const Edit& a, const Edit& b) {
    if (a.where.file != b.where.file) return false;
    const Span x = a.where.span, y = b.where.span;
    if (x.empty() && y.empty()) return false;
    if (x.empty()) return y.begin < x.begin && x.begin < y.end;
    if (y.empty()) return x.begin < y.begin && y.begin < x.end;
    return x.begin < y.end && y.begin < x.end;
}

// Whether two insertions are items of one list at one place: same offset, frame and separator.
bool same_list(const Edit& a, const Edit& b) {
    if (!a.list_item || !b.list_item || a.where != b.where || !a.where.span.empty()) return false;
    const ListItem &x = *a.list_item, &y = *b.list_item;
    return x.separator == y.separator &&
           std::string_view(a.replacement).substr(0, x.begin) ==
               std::string_view(b.replacement).substr(0, y.begin) &&
           std::string_view(a.replacement).substr(x.end) ==
               std::string_view(b.replacement).substr(y.end);
}

// The edits taken so far, indexed so that a report with many fixes is checked in n log n.
class TakenSet {
  public:
    bool contains(const Edit& edit) const {
        return identities_.contains(
            {edit.where.file, edit.where.span.begin, edit.where.span.end, edit.replacement});
    }
    bool overlaps_any(const Edit& edit) const {
        const FileId file = edit.where.file;
        const Span span = edit.where.span;
        // Replacements do not overlap each other: only the last one starting before the edit's
        // end can reach into it.
        auto next = replacements_.lower_bound({file, span.empty() ? span.begin : span.end, 0});
        if (next != replacements_.begin()) {
            auto [f, begin, end] = *std::prev(next);
            if (f == file &&
                (span.empty() ? begin < span.begin && span.begin < end : span.begin < end))
                return true;
        }
        if (span.empty()) return false;
        auto inside = insertions_.upper_bound({file, span.begin});
        return inside != insertions_.end() && inside->first == file && inside->second < span.end;
    }
    void add(const Edit& edit) {
        const FileId file = edit.where.file;
        const Span span = edit.where.span;
        identities_.insert({file, span.begin, span.end, edit.replacement});
        if (span.empty())
            insertions_.insert({file, span.begin});
        else
            replacements_.insert({file, span.begin, span.end});
    }

  private:
    std::set<std::tuple<FileId, uint32_t, uint32_t, std::string>> identities_;
    std::set<std::tuple<FileId, uint32_t, uint32_t>> replacements_;
    std::set<std::pair<FileId, uint32_t>> insertions_;
};

} // namespace

FixApplication apply_fixes(const SourceSet& sources, const std::vector<const Diagnostic*>& findings,
                           bool safe_only) {
    FixApplication result;
    std::vector<TakenEdit> taken;
    TakenSet index;
    size_t order = 0;
    for (const Diagnostic* finding : findings) {
        if (!finding->fix || finding->fix->edits.empty() || (safe_only && !finding->fix->safe))
            continue;
        std::vector<const Edit*> fresh;
        bool conflict = false;
        for (const Edit& edit : finding->fix->edits) {
            if (!edit.where.valid() || edit.where.file >= sources.size() ||
                edit.where.span.end > sources.get(edit.where.file).text().size() ||
                edit.where.span.begin > edit.where.span.end ||
                (edit.list_item &&
                 (!edit.where.span.empty() || edit.list_item->begin > edit.list_item->end ||
                  edit.list_item->end > edit.replacement.size()))) {
                conflict = true;
                break;
            }
            if (index.contains(edit)) continue;
            bool clash = index.overlaps_any(edit) ||
                         std::any_of(fresh.begin(), fresh.end(),
                                     [&](const Edit* other) { return overlaps(*other, edit); });
            if (clash) {
                conflict = true;
                break;
            }
            fresh.push_back(&edit);
        }
        if (conflict) {
            result.conflicted.push_back(finding);
            continue;
        }
        for (const Edit* edit : fresh) {
            taken.push_back({edit, order++});
            index.add(*edit);
        }
        result.applied.push_back(finding);
    }
    // File, then offset; at one offset insertions before a replacement, then report order.
    std::sort(taken.begin(), taken.end(), [](const TakenEdit& a, const TakenEdit& b) {
        const Location x = a.edit->where, y = b.edit->where;
        if (x.file != y.file) return x.file < y.file;
        if (x.span.begin != y.span.begin) return x.span.begin < y.span.begin;
        if (x.span.empty() != y.span.empty()) return x.span.empty();
        return a.order < b.order;
    });
    for (size_t i = 0; i < taken.size();) {
        const FileId file = taken[i].edit->where.file;
        const std::string& original = sources.get(file).text();
        std::string out;
        out.reserve(original.size());
        uint32_t copied = 0;
        const size_t first = i;
        for (; i < taken.size() && taken[i].edit->where.file == file; ++i) {
            const Edit& edit = *taken[i].edit;
            out.append(original, copied, edit.where.span.begin - copied);
            if (edit.list_item) {
                // The first insertion of a list at this offset writes the list's frame with
                // every item; the others are written with it.
                const bool written = std::any_of(
                    taken.begin() + static_cast<std::ptrdiff_t>(first),
                    taken.begin() + static_cast<std::ptrdiff_t>(i),
                    [&](const TakenEdit& other) { return same_list(*other.edit, edit); });
                if (!written) {
                    const ListItem& item = *edit.list_item;
                    out.append(edit.replacement, 0, item.begin);
                    for (size_t j = i; j < taken.size() && taken[j].edit->where == edit.where;
                         ++j) {
                        const Edit& member = *taken[j].edit;
                        if (j != i && !same_list(member, edit)) continue;
                        if (j != i) out += item.separator;
                        out.append(member.replacement, member.list_item->begin,
                                   member.list_item->end - member.list_item->begin);
                    }
                    out.append(edit.replacement, item.end, std::string::npos);
                }
            } else {
                out += edit.replacement;
            }
            copied = edit.where.span.end;
        }
        out.append(original, copied, std::string::npos);
        result.texts.emplace(file, std::move(out));
    }
    return result;
}

} // namespace smaudit
