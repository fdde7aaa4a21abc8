#include "rules/mc_support.hpp"
#include "source/file_reader.hpp"

#include "model/relay_features.hpp"
#include "rules/rule_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace smaudit::rules {

namespace fs = std::filesystem;

std::string_view text_before_on_line(const SourceSet& sources, Location where) {
    const SourceFile* file = sources.find(where.file);
    if (file == nullptr) return {};
    uint32_t start = file->line_start(file->position(where.span.begin).line);
    return file->slice(Span{start, where.span.begin});
}

std::optional<uint32_t> hash_before(const SourceSet& sources, Location call) {
    std::string_view before = text_before_on_line(sources, call);
    while (!before.empty() && (before.front() == ' ' || before.front() == '\t'))
        before.remove_prefix(1);
    if (!before.starts_with('#')) return std::nullopt;
    return call.span.begin - static_cast<uint32_t>(before.size());
}

const m4::MacroCall* cf_m4_include(const m4::Expansion& expansion) {
    for (const m4::MacroCall& call : expansion.calls) {
        if (call.name != "include" && call.name != "sinclude") continue;
        if (!call.args.empty() && call.args[0].ends_with("cf.m4")) return &call;
    }
    return nullptr;
}

std::optional<UnquotedList> unquoted_list(const SourceSet& sources, const m4::Expansion& expansion,
                                          const m4::MacroCall& call) {
    if (call.name != "define" || call.args.size() <= 2 || call.where.file != expansion.mc ||
        call.arg_locations.size() != call.args.size())
        return std::nullopt;
    const Location first = call.arg_locations[1], last = call.arg_locations.back();
    const Location paren{call.where.file, {call.where.span.end - 1, call.where.span.end}};
    for (Location at : {first, last})
        if (!at.valid() || at.file != expansion.mc) return std::nullopt;
    if (call.where.span.empty() || last.span.end < first.span.begin ||
        paren.span.begin < last.span.end)
        return std::nullopt;
    const SourceFile& file = sources.get(expansion.mc);
    const Location items{expansion.mc, {first.span.begin, last.span.end}};
    // Items quoted one by one (`a', `b') would need their quotes taken out first.
    if (file.slice(paren.span) != ")" ||
        file.slice(items.span).find_first_of("`'") != std::string_view::npos)
        return std::nullopt;
    UnquotedList list{Edit{{expansion.mc, {first.span.begin, first.span.begin}}, "``"},
                      Edit{paren, "'')"},
                      items,
                      {call.args.begin() + 2, call.args.end()}};
    return list;
}

std::optional<Edit> insert_before_mailers(const RuleContext& context, std::string_view line) {
    if (context.expansion == nullptr) return std::nullopt;
    const m4::Expansion& expansion = *context.expansion;
    const SourceFile* file = context.sources.find(expansion.mc);
    if (file == nullptr) return std::nullopt;
    const m4::MacroCall *first = nullptr, *last = nullptr;
    for (const m4::MacroCall& call : expansion.calls) {
        if (call.where.file != expansion.mc) continue;
        last = &call;
        // FEATURE(`nullclient') and FEATURE(`msp') call MAILER() themselves.
        const bool defines_mailers =
            call.name == "MAILER" || (call.name == "FEATURE" && !call.args.empty() &&
                                      (call.args[0] == "nullclient" || call.args[0] == "msp"));
        if (defines_mailers && first == nullptr) first = &call;
    }
    const bool crlf = file->text().find("\r\n") != std::string::npos;
    const std::string text = std::string(line) + (crlf ? "\r\n" : "\n");
    if (first != nullptr) {
        uint32_t start = file->line_start(file->position(first->where.span.begin).line);
        return Edit{Location{expansion.mc, Span{start, start}}, text};
    }
    const std::string& all = file->text();
    uint32_t after = last ? last->where.span.end : static_cast<uint32_t>(all.size());
    size_t newline = all.find('\n', after);
    if (newline == std::string::npos) {
        // As rule_support's new lines at the end of a file: "\nLINE", so that several compose.
        auto end = static_cast<uint32_t>(all.size());
        return Edit{Location{expansion.mc, Span{end, end}}, "\n" + std::string(line)};
    }
    auto at = static_cast<uint32_t>(newline + 1);
    return Edit{Location{expansion.mc, Span{at, at}}, text};
}

const m4::MacroCall* defining_call(const m4::Expansion& expansion, Location value_where) {
    if (!value_where.valid() || value_where.file != expansion.mc) return nullptr;
    const m4::MacroCall* found = nullptr;
    for (const m4::MacroCall& call : expansion.calls)
        if (call.name == "define" && call.arg_locations.size() >= 2 &&
            call.arg_locations[1] == value_where)
            found = &call;
    return found;
}

namespace {

bool is_name_byte(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Files in the tree are small (cfhead.m4 is the largest, ~12 KB); a file larger than this is
// not part of a sendmail cf tree and is skipped.
constexpr uintmax_t kMaxTreeFile = 1u << 20;

std::string read_small_file(const fs::path& path) {
    FileRead read = read_regular_file(path.string(), kMaxTreeFile);
    return read.ok() ? std::move(read.text) : std::string();
}

std::vector<fs::path> m4_files(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error))
        if (it->path().extension() == ".m4") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    return files;
}

void collect_conf_names(std::string_view text, std::set<std::string>& names) {
    for (size_t at = text.find("conf"); at != std::string_view::npos;
         at = text.find("conf", at + 4)) {
        // The word must start here: `confLOG_LEVEL`, not `_confX` or `noconfX`.
        if (at > 0 && (is_name_byte(text[at - 1]) || (text[at - 1] >= 'a' && text[at - 1] <= 'z')))
            continue;
        size_t end = at + 4;
        while (end < text.size() && is_name_byte(text[end]))
            ++end;
        if (end > at + 4) names.insert(std::string(text.substr(at, end - at)));
    }
}

CfTreeNames read_tree(const std::string& cf_dir) {
    CfTreeNames names;
    if (cf_dir.empty()) return names;
    std::set<std::string> conf;
    for (std::string_view sub : {"m4", "feature", "ostype", "domain", "mailer", "hack"})
        for (const fs::path& path : m4_files(fs::path(cf_dir) / sub)) {
            collect_conf_names(read_small_file(path), conf);
            if (sub == "feature") names.features.push_back(path.stem().string());
        }
    names.conf_names.assign(conf.begin(), conf.end());
    std::sort(names.features.begin(), names.features.end());

    std::set<std::string> cfhead;
    std::istringstream lines(read_small_file(fs::path(cf_dir) / "m4" / "cfhead.m4"));
    constexpr std::string_view kDefine = "define(`";
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(kDefine)) continue;
        size_t end = line.find('\'', kDefine.size());
        if (end != std::string::npos && end > kDefine.size())
            cfhead.insert(line.substr(kDefine.size(), end - kDefine.size()));
    }
    names.cfhead_defines.assign(cfhead.begin(), cfhead.end());
    return names;
}

} // namespace

const CfTreeNames& cf_tree_names(const std::string& cf_dir) {
    static std::mutex lock;
    static std::map<std::string, CfTreeNames> cache;
    std::lock_guard guard(lock);
    auto found = cache.find(cf_dir);
    if (found == cache.end()) found = cache.emplace(cf_dir, read_tree(cf_dir)).first;
    return found->second;
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string nearest_name(std::string_view name, const std::vector<std::string>& known,
                         size_t shared_prefix) {
    // A shared prefix (`conf`) says nothing about how alike two names are: `confCC` is not a
    // misspelt `confCRL`.
    size_t own = name.size() > shared_prefix ? name.size() - shared_prefix : 0;
    size_t limit = std::clamp<size_t>(own / 3, 1, 3);
    std::string best;
    size_t best_distance = limit + 1;
    for (const std::string& candidate : known) {
        // Lengths further apart than the limit cannot be within it.
        size_t gap = candidate.size() > name.size() ? candidate.size() - name.size()
                                                    : name.size() - candidate.size();
        if (gap > limit) continue;
        size_t distance = edit_distance(name, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

std::vector<const m4::MacroCall*> feature_calls(const m4::Expansion& expansion,
                                                std::string_view name) {
    std::vector<const m4::MacroCall*> calls;
    for (const m4::MacroCall& call : expansion.calls)
        if (call.name == "FEATURE" && !call.args.empty() && call.args[0] == name &&
            call.where.file == expansion.mc)
            calls.push_back(&call);
    return calls;
}

std::vector<Edit> remove_feature_lines(const RuleContext& context, std::string_view name,
                                       std::string_view replacement) {
    if (context.expansion == nullptr) return {};
    std::vector<Edit> edits;
    for (const m4::MacroCall* call : feature_calls(*context.expansion, name)) {
        if (hash_before(context.sources, call->where)) return {};
        std::optional<Edit> edit =
            replace_lines(context.sources, call->where, edits.empty() ? replacement : "", true);
        if (!edit) return {};
        edits.push_back(std::move(*edit));
    }
    return edits;
}

namespace {

// The fix of a relay FEATURE finding at `where`: the .mc's FEATURE lines, when `where` is one of
// them; the FEATURE's rules of a .cf.
std::optional<Fix> relay_feature_fix(const RuleContext& context, const RelayFeatureCheck& check,
                                     Location where) {
    const std::string feature = "FEATURE(`" + std::string(check.feature) + "')";
    if (context.expansion != nullptr) {
        std::vector<const m4::MacroCall*> calls = feature_calls(*context.expansion, check.feature);
        if (std::none_of(calls.begin(), calls.end(),
                         [&](const m4::MacroCall* call) { return call->where == where; }))
            return std::nullopt; // the FEATURE comes from an OSTYPE/DOMAIN file
        std::string title = "remove " + feature, line;
        if (check.mc_replacement) {
            auto replacement = check.mc_replacement(context);
            if (!replacement) return std::nullopt;
            line = replacement->first;
            title = replacement->second;
        }
        std::vector<Edit> edits = remove_feature_lines(context, check.feature, line);
        if (edits.empty()) return std::nullopt;
        return Fix{std::move(title), false, std::move(edits)};
    }
    std::vector<Edit> edits;
    for (const model::LineChange& change :
         model::changes_without_feature(context.config, check.feature)) {
        std::optional<Edit> edit = replace_lines(context.sources, change.where, change.replacement);
        if (!edit) return std::nullopt;
        edits.push_back(std::move(*edit));
    }
    if (edits.empty()) return std::nullopt;
    return Fix{"undo " + feature + " in the .cf: its rules as m4 writes them without it", false,
               std::move(edits)};
}

} // namespace

void check_relay_feature(const RuleContext& context, Emitter& out, const RelayFeatureCheck& check) {
    std::set<std::pair<FileId, uint32_t>> seen; // one finding per place
    auto report = [&](Location where, std::string label) {
        std::string message = "FEATURE(`" + std::string(check.feature) +
                              "') is active: " + std::string(check.consequence);
        std::optional<Fix> fix = relay_feature_fix(context, check, where);
        if (!fix && context.expansion == nullptr)
            message += "; " + std::string(check.cf_not_fixable);
        Diagnostic& d = out.report(where, std::move(message), std::move(label));
        d.fix = std::move(fix);
    };
    for (const model::Feature& feature : context.config.features) {
        if (feature.name != check.feature) continue;
        if (!seen.insert({feature.where.file, feature.where.span.begin}).second) continue;
        // In an .mc the rules stand for the call that read the feature's file (mc_config).
        report(feature.where,
               context.expansion ? "this FEATURE call" : std::string(check.evidence));
    }
    // Without a cf tree nothing was generated, so no rules: the .mc's own calls tell.
    if (context.expansion == nullptr || !context.expansion->cf_dir.empty()) return;
    for (const m4::MacroCall& call : context.expansion->calls) {
        if (call.name != "FEATURE" || call.args.empty() || call.args[0] != check.feature) continue;
        if (!seen.insert({call.where.file, call.where.span.begin}).second) continue;
        report(call.where, "this FEATURE call");
    }
}

} // namespace smaudit::rules
