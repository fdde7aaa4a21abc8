#include "analyze/drift.hpp"

#include "model/option_table.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <unordered_map>
#include <vector>

namespace smaudit::analyze {

namespace {

// Calls `read(line, span, blank)` for each physical line sendmail reads, in order: neither a
// comment line nor one that continues a comment, nor an empty line. `blank`: the line holds only
// blanks (sendmail appends it to the statement before it; the comparison leaves it out).
template <typename Read> void for_each_read_line(std::string_view text, Read&& read) {
    bool in_comment = false;
    for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        const Span span{static_cast<uint32_t>(pos), static_cast<uint32_t>(end)};
        pos = end + 1;
        const size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) {
            if (!line.empty() && !in_comment) read(line, span, true);
            continue;
        }
        const bool continuation = first > 0;
        if (line[0] == '#' || (continuation && in_comment)) {
            in_comment = true;
            continue;
        }
        in_comment = false;
        read(line, span, false);
    }
}

struct ReadLine {
    std::string text; // compared_line()
    Span span;        // the whole physical line, without its newline
};

// The lines sendmail reads (see CfDrift), in order, blank ones left out. `bytes`, when given,
// gets every line sendmail reads as it is, blank ones included (CfDrift::same_bytes), from the
// same walk.
std::vector<ReadLine> read_lines(std::string_view text,
                                 std::vector<std::string_view>* bytes = nullptr) {
    std::vector<ReadLine> lines;
    for_each_read_line(text, [&](std::string_view line, Span span, bool blank) {
        if (bytes) bytes->push_back(line);
        if (!blank) lines.push_back({compared_line(line), span});
    });
    return lines;
}

// A statement as sendmail reads it: a line with the indented lines that continue it.
struct Statement {
    std::string text; // compared_line() of each physical line, joined by '\n'
    Span span;        // from its first byte to the end of its last line
    std::string model, name;
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A macro or class name after its letter: `{name}` or one character.
std::string one_name(std::string_view rest) {
    if (rest.starts_with('{')) {
        const size_t close = rest.find('}');
        return std::string(
            rest.substr(0, close == std::string_view::npos ? rest.size() : close + 1));
    }
    return std::string(rest.substr(0, 1));
}

// The word up to the first of `stops` (blanks trimmed).
std::string word_until(std::string_view rest, std::string_view stops) {
    rest = rest.substr(0, std::min(rest.find_first_of(stops), rest.size()));
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
        rest.remove_prefix(1);
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
        rest.remove_suffix(1);
    return std::string(rest);
}

// How a statement's name is read from the text after its line letter.
enum class NameIs {
    Nothing,
    MacroOrClass,   // `{name}` or one character
    WordUntil,      // up to the first of the kind's stops
    Option,         // ` Name=` or an old-style one-letter option
    Header,         // up to `:`, after a `?flags?` condition
    CurrentRuleset, // none of its own: the rules are the S line's in effect
};

// The setting kinds of a .cf (readcf.c's line letters); any other letter is a "line" named by it.
struct LineKind {
    char letter;
    const char* model;
    NameIs name;
    std::string_view stops = {}; // NameIs::WordUntil
};
constexpr LineKind kLineKinds[] = {
    {'O', "option", NameIs::Option},
    {'D', "macro", NameIs::MacroOrClass},
    {'C', "class", NameIs::MacroOrClass},
    {'F', "class file", NameIs::MacroOrClass},
    {'K', "map", NameIs::WordUntil, " \t"},
    {'M', "mailer", NameIs::WordUntil, ", \t"},
    {'S', "ruleset", NameIs::WordUntil, "="},
    {'R', "rules of ruleset", NameIs::CurrentRuleset},
    {'H', "header", NameIs::Header},
    {'P', "precedence", NameIs::WordUntil, "="},
    {'Q', "queue group", NameIs::WordUntil, ", \t"},
    {'X', "milter", NameIs::WordUntil, ", \t"},
    {'E', "environment", NameIs::WordUntil, "="},
    {'T', "trusted users", NameIs::Nothing},
    {'V', "version", NameIs::Nothing},
};

// What setting a statement is. `ruleset`: the S line in effect, whose rules the R lines are.
void classify(Statement& statement, std::string& ruleset) {
    const std::string_view text = statement.text;
    const std::string_view rest = text.substr(1);
    const auto* kind = std::find_if(std::begin(kLineKinds), std::end(kLineKinds),
                                    [&](const LineKind& k) { return k.letter == text[0]; });
    if (kind == std::end(kLineKinds)) {
        statement.model = "line", statement.name = text.substr(0, 1);
        return;
    }
    statement.model = kind->model;
    switch (kind->name) {
    case NameIs::Nothing:
        break;
    case NameIs::MacroOrClass:
        statement.name = one_name(rest);
        break;
    case NameIs::WordUntil:
        statement.name = word_until(rest, kind->stops);
        break;
    case NameIs::Option:
        if (rest.empty() || rest[0] == ' ') {
            statement.name = word_until(rest, "=");
        } else if (const model::OptionInfo* option = model::option_by_letter(rest[0])) {
            statement.name = std::string(option->name); // old-style one-letter option
        } else {
            statement.name = rest.substr(0, 1);
        }
        break;
    case NameIs::Header: {
        std::string_view header = rest;
        if (header.starts_with('?')) {
            const size_t close = header.find('?', 1);
            header = close == std::string_view::npos ? header : header.substr(close + 1);
        }
        statement.name = word_until(header, ":");
        break;
    }
    case NameIs::CurrentRuleset:
        statement.name = ruleset;
        break;
    }
    if (kind->letter == 'S') ruleset = statement.name;
}

// The statements of a .cf text (see ModelDifference), each classified.
std::vector<Statement> statements_of(std::string_view text) {
    std::vector<Statement> out;
    std::string ruleset;
    bool continuable = false; // the last line read was a statement's (not a comment's)
    for (const ReadLine& line : read_lines(text)) {
        const bool continuation = text[line.span.begin] == ' ' || text[line.span.begin] == '\t';
        if (continuation && continuable && !out.empty()) {
            out.back().text += '\n' + line.text;
            out.back().span.end = line.span.end;
            continue;
        }
        Statement statement{line.text, line.span, {}, {}};
        if (continuation) statement.text.erase(0, statement.text.find_first_not_of(" \t"));
        if (statement.text.empty()) continue;
        classify(statement, ruleset);
        out.push_back(std::move(statement));
        continuable = true;
    }
    return out;
}

// Options, macros, ... are named case-insensitively where sendmail does (options, mailers).
std::string key_of(const Statement& statement) {
    const bool folded = statement.model == "option" || statement.model == "mailer";
    return statement.model + '\n' + (folded ? lower(statement.name) : statement.name);
}

// The longest common subsequence of two short sequences of texts, as pairs of indices.
// Sequences whose product exceeds `kMaxCells` are matched greedily (a .cf that is something
// else altogether must not cost quadratic memory).
std::vector<std::pair<size_t, size_t>> common_lines(const std::vector<const Statement*>& a,
                                                    const std::vector<const Statement*>& b) {
    constexpr size_t kMaxCells = 4u << 20;
    std::vector<std::pair<size_t, size_t>> pairs;
    if (a.empty() || b.empty()) return pairs;
    if (a.size() * b.size() > kMaxCells) {
        for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
            if (a[i]->text == b[j]->text)
                pairs.emplace_back(i++, j++);
            else
                ++i;
        }
        return pairs;
    }
    const size_t width = b.size() + 1;
    std::vector<uint32_t> length((a.size() + 1) * width, 0);
    for (size_t i = a.size(); i-- > 0;)
        for (size_t j = b.size(); j-- > 0;)
            length[i * width + j] = a[i]->text == b[j]->text ? length[(i + 1) * width + j + 1] + 1
                                                             : std::max(length[(i + 1) * width + j],
                                                                        length[i * width + j + 1]);
    for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i]->text == b[j]->text)
            pairs.emplace_back(i++, j++);
        else if (length[(i + 1) * width + j] >= length[i * width + j + 1])
            ++i;
        else
            ++j;
    }
    return pairs;
}

// The .cf statement a generated one missing from the .cf would stand before: the .cf's copy of
// the first generated statement after it that the .cf has (the same text, else the same
// setting); the .cf's last statement when none.
Span anchor_for(const std::vector<Statement>& made, size_t index,
                const std::unordered_map<std::string_view, size_t>& cf_by_text,
                const std::unordered_map<std::string, size_t>& cf_by_key,
                const std::vector<Statement>& loaded) {
    for (size_t next = index + 1; next < made.size(); ++next) {
        if (auto it = cf_by_text.find(made[next].text); it != cf_by_text.end())
            return loaded[it->second].span;
        if (auto it = cf_by_key.find(key_of(made[next])); it != cf_by_key.end())
            return loaded[it->second].span;
    }
    return loaded.empty() ? Span{} : loaded.back().span;
}

std::vector<ModelDifference> model_differences(std::string_view cf_text,
                                               std::string_view generated) {
    const std::vector<Statement> loaded = statements_of(cf_text);
    const std::vector<Statement> made = statements_of(generated);
    std::unordered_map<std::string_view, size_t> cf_by_text;
    std::unordered_map<std::string, size_t> cf_by_key;
    for (size_t i = loaded.size(); i-- > 0;) {
        cf_by_text[loaded[i].text] = i;
        cf_by_key[key_of(loaded[i])] = i;
    }
    // Each side's statements by setting, in order; the settings in first-seen order.
    std::map<std::string, std::pair<std::vector<const Statement*>, std::vector<const Statement*>>>
        by_key;
    std::unordered_map<const Statement*, size_t> made_index;
    for (const Statement& s : loaded)
        by_key[key_of(s)].first.push_back(&s);
    for (size_t i = 0; i < made.size(); ++i) {
        by_key[key_of(made[i])].second.push_back(&made[i]);
        made_index[&made[i]] = i;
    }
    std::vector<ModelDifference> out;
    for (const auto& [key, sides] : by_key) {
        const auto& [in_cf, in_made] = sides;
        const auto common = common_lines(in_cf, in_made);
        // Between two common statements (and before the first, after the last), what only one
        // side has: paired one to one as changed, the rest added or dropped.
        size_t i = 0, j = 0;
        for (size_t k = 0; k <= common.size(); ++k) {
            const size_t i_end = k < common.size() ? common[k].first : in_cf.size();
            const size_t j_end = k < common.size() ? common[k].second : in_made.size();
            for (; i < i_end || j < j_end; ++i, ++j) {
                const Statement* ours = i < i_end ? in_cf[i] : nullptr;
                const Statement* theirs = j < j_end ? in_made[j] : nullptr;
                ModelDifference d;
                const Statement& any = ours ? *ours : *theirs;
                d.model = any.model;
                d.name = any.name;
                if (d.model == "rules of ruleset") d.model = "rules of " + d.name, d.name.clear();
                if (ours) d.cf_line = ours->text, d.cf_span = ours->span;
                if (theirs) {
                    d.generated_line = theirs->text;
                    d.generated_span = theirs->span;
                    if (!ours)
                        d.cf_span =
                            anchor_for(made, made_index[theirs], cf_by_text, cf_by_key, loaded);
                }
                out.push_back(std::move(d));
            }
            i = i_end + 1;
            j = j_end + 1;
        }
    }
    // In the .cf's order; what the .cf lacks before the line it would stand before.
    std::stable_sort(out.begin(), out.end(),
                     [](const ModelDifference& a, const ModelDifference& b) {
                         return std::pair(a.cf_span.begin, a.cf_line.has_value()) <
                                std::pair(b.cf_span.begin, b.cf_line.has_value());
                     });
    return out;
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
    std::vector<std::string_view> loaded_bytes, made_bytes;
    const std::vector<ReadLine> loaded = read_lines(sources.get(cf).text(), &loaded_bytes);
    const std::vector<ReadLine> made = read_lines(generated, &made_bytes);
    CfDrift drift;
    drift.cf = cf;
    drift.cf_lines = loaded.size();
    size_t i = 0;
    while (i < loaded.size() && i < made.size() && loaded[i].text == made[i].text)
        ++i;
    if (i == loaded.size() && i == made.size()) {
        drift.same_bytes = loaded_bytes == made_bytes;
        return drift;
    }
    drift.differs = true;
    drift.differences = model_differences(sources.get(cf).text(), generated);
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
