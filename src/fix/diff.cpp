#include "fix/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace smaudit {

namespace {

// The lines of a text, each with its terminator (the last one may have none).
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(start, end - start));
        start = end;
    }
    return lines;
}

enum class Op : uint8_t { Equal, Delete, Insert };

struct Step {
    Op op;
    size_t a, b; // line indices in before and after (the one the op does not touch: where it is)
};

// Myers' O(ND) shortest edit script. Fixes change a few lines of files that may be long, so D is
// small; past kMaxD changed lines the whole file is one replacement (still a correct diff).
std::vector<Step> edit_script(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
    const int64_t n = static_cast<int64_t>(a.size()), m = static_cast<int64_t>(b.size());
    constexpr int64_t kMaxD = 20000;
    const int64_t max = std::min(n + m, kMaxD);
    const int64_t offset = max + 1;
    std::vector<int64_t> v(static_cast<size_t>(2 * max + 3), 0);
    std::vector<std::vector<int64_t>> trace; // v[-d-1 .. d+1] before step d
    int64_t found = -1;
    for (int64_t d = 0; d <= max && found < 0; ++d) {
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int64_t k = -d; k <= d; k += 2) {
            int64_t x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                            ? v[offset + k + 1]
                            : v[offset + k - 1] + 1;
            int64_t y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[offset + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    std::vector<Step> steps;
    if (found < 0) { // too many changes: delete everything, insert everything
        for (size_t i = 0; i < a.size(); ++i)
            steps.push_back({Op::Delete, i, 0});
        for (size_t j = 0; j < b.size(); ++j)
            steps.push_back({Op::Insert, a.size(), j});
        return steps;
    }
    int64_t x = n, y = m;
    for (int64_t d = found; d >= 0; --d) {
        const std::vector<int64_t>& before = trace[static_cast<size_t>(d)];
        auto at = [&](int64_t k) { return before[static_cast<size_t>(k + d + 1)]; };
        const int64_t k = x - y;
        const int64_t prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        const int64_t prev_x = d == 0 ? 0 : at(prev_k), prev_y = d == 0 ? 0 : prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            --x;
            --y;
            steps.push_back({Op::Equal, static_cast<size_t>(x), static_cast<size_t>(y)});
        }
        if (d == 0) break;
        if (x == prev_x)
            steps.push_back({Op::Insert, static_cast<size_t>(x), static_cast<size_t>(prev_y)});
        else
            steps.push_back({Op::Delete, static_cast<size_t>(prev_x), static_cast<size_t>(y)});
        x = prev_x;
        y = prev_y;
    }
    std::reverse(steps.begin(), steps.end());
    return steps;
}

// "start,count" of a hunk side as diff prints it: ",1" is left out, and an empty side starts at
// the line before it.
std::string range(size_t first, size_t count) {
    if (count == 1) return std::to_string(first + 1);
    return std::to_string(count == 0 ? first : first + 1) + "," + std::to_string(count);
}

void append_line(std::string& out, char sign, std::string_view line) {
    out += sign;
    out += line;
    if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after,
                         int context) {
    if (before == after) return {};
    const std::vector<std::string_view> a = split_lines(before), b = split_lines(after);
    const std::vector<Step> steps = edit_script(a, b);
    const size_t ctx = static_cast<size_t>(std::max(context, 0));
    std::string out = "diff --git a/" + std::string(path) + " b/" + std::string(path) + "\n--- a/" +
                      std::string(path) + "\n+++ b/" + std::string(path) + "\n";
    size_t i = 0, previous_end = 0;
    while (i < steps.size()) {
        // The next change, and the hunk around it: changes at most 2*ctx equal lines apart join.
        while (i < steps.size() && steps[i].op == Op::Equal)
            ++i;
        if (i == steps.size()) break;
        const size_t begin = std::max(i >= ctx ? i - ctx : 0, previous_end);
        size_t end = i, equal_run = 0;
        for (; end < steps.size(); ++end) {
            if (steps[end].op != Op::Equal)
                equal_run = 0;
            else if (++equal_run > 2 * ctx)
                break;
        }
        // The equal lines the scan ended on, cut to the trailing context.
        size_t trailing = 0;
        while (trailing < end - i && steps[end - 1 - trailing].op == Op::Equal)
            ++trailing;
        if (trailing > ctx) end -= trailing - ctx;
        size_t a_first = steps[begin].a, b_first = steps[begin].b, a_count = 0, b_count = 0;
        std::string body;
        for (size_t k = begin; k < end; ++k) {
            const Step& s = steps[k];
            switch (s.op) {
            case Op::Equal:
                append_line(body, ' ', a[s.a]);
                ++a_count;
                ++b_count;
                break;
            case Op::Delete:
                append_line(body, '-', a[s.a]);
                ++a_count;
                break;
            case Op::Insert:
                append_line(body, '+', b[s.b]);
                ++b_count;
                break;
            }
        }
        out += "@@ -" + range(a_first, a_count) + " +" + range(b_first, b_count) + " @@\n" + body;
        i = previous_end = end;
    }
    return out;
}

} // namespace smaudit
