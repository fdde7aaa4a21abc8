#include "analyze/drift.hpp"

#include <unordered_map>
#include <vector>

namespace smaudit::analyze {

namespace {

struct ReadLine {
    std::string text; // compared_line()
    Span span;        // the whole physical line, without its newline
};

// The lines sendmail reads (see CfDrift), in order.
std::vector<ReadLine> read_lines(std::string_view text) {
    std::vector<ReadLine> lines;
    bool in_comment = false;
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        const Span span{static_cast<uint32_t>(pos), static_cast<uint32_t>(end)};
        pos = end + 1;
        const size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue; // blank
        const bool continuation = first > 0;
        if (line[0] == '#' || (continuation && in_comment)) {
            in_comment = true;
            continue;
        }
        in_comment = false;
        lines.push_back({compared_line(line), span});
    }
    return lines;
}

} // namespace

std::string compared_line(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
    std::string out;
    out.reserve(line.size());
    for (size_t i = 0; i < line.size();) {
        if (line[i] != ' ' && line[i] != '\t') {
            out += line[i++];
            continue;
        }
        bool tab = false;
        for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
            tab |= line[i] == '\t';
        out += tab ? '\t' : ' ';
    }
    return out;
}

CfDrift compare_with_generated(const SourceSet& sources, FileId cf, std::string_view generated) {
    const std::vector<ReadLine> loaded = read_lines(sources.get(cf).text());
    const std::vector<ReadLine> made = read_lines(generated);
    CfDrift drift;
    drift.cf = cf;
    drift.cf_lines = loaded.size();
    size_t i = 0;
    while (i < loaded.size() && i < made.size() && loaded[i].text == made[i].text)
        ++i;
    if (i == loaded.size() && i == made.size()) return drift;
    drift.differs = true;
    if (i < loaded.size()) {
        drift.first_difference = loaded[i].span;
    } else {
        drift.cf_ends_early = true;
        if (!loaded.empty()) drift.first_difference = loaded.back().span;
    }
    if (i < made.size()) drift.generated_there = std::string(made[i].text);
    // How many lines each side has that the other has not, order aside.
    std::unordered_map<std::string_view, long> count;
    for (const ReadLine& line : made)
        ++count[line.text];
    for (const ReadLine& line : loaded)
        if (--count[line.text] < 0) ++drift.only_in_cf;
    for (const auto& [text, n] : count)
        if (n > 0) drift.only_generated += static_cast<size_t>(n);
    return drift;
}

} // namespace smaudit::analyze
