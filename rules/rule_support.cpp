#include "rules/rule_support.hpp"

#include "m4/option_table.hpp"
#include "model/values.hpp"
#include "rules/mc_support.hpp"

#include <algorithm>
#include <cctype>

namespace smaudit::rules {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_separator(char c, FlagSeparators separators) {
    if (is_blank(c)) return true;
    if (separators == FlagSeparators::BlanksAndCommas) return c == ',';
    return std::ispunct(static_cast<unsigned char>(c)) != 0;
}

// Word boundaries [begin, end) in `text`.
std::vector<std::pair<uint32_t, uint32_t>> word_bounds(std::string_view text,
                                                       FlagSeparators separators) {
    std::vector<std::pair<uint32_t, uint32_t>> words;
    uint32_t i = 0;
    const auto n = static_cast<uint32_t>(text.size());
    while (i < n) {
        while (i < n && is_separator(text[i], separators))
            ++i;
        uint32_t begin = i;
        while (i < n && !is_separator(text[i], separators))
            ++i;
        if (i > begin) words.emplace_back(begin, i);
    }
    return words;
}

// Where sendmail reads the next line after the line ending at or after `offset`: the start of
// the next physical line, with the file's own line ending for the text inserted there.
Edit insert_line_after(const SourceFile& file, FileId id, uint32_t offset, std::string_view line) {
    const std::string& text = file.text();
    offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
    if (offset > 0 && text[offset - 1] == '\n') {
        bool crlf = offset > 1 && text[offset - 2] == '\r';
        return Edit{Location{id, Span{offset, offset}}, std::string(line) + (crlf ? "\r\n" : "\n")};
    }
    size_t newline = text.find('\n', offset);
    if (newline == std::string::npos) {
        auto end = static_cast<uint32_t>(text.size());
        return Edit{Location{id, Span{end, end}}, "\n" + std::string(line)};
    }
    bool crlf = newline > 0 && text[newline - 1] == '\r';
    auto at = static_cast<uint32_t>(newline + 1);
    return Edit{Location{id, Span{at, at}}, std::string(line) + (crlf ? "\r\n" : "\n")};
}

const m4::M4Option* m4_option_named(std::string_view name) {
    for (const m4::M4Option& option : m4::m4_option_table())
        if (equals_ignore_case(option.option, name)) return &option;
    return nullptr;
}

// The .mc form of insert_option_line: `define(`confX', ARGUMENT)dnl`, ARGUMENT being m4 text
// (a quoted value, or an expression such as defn(...)), written before the .mc's first
// MAILER() (the conventional place for local defines: after OSTYPE, DOMAIN and the cf.m4
// include, so cfhead.m4 cannot override it), else after its last top-level call. proto.m4 reads
// the confX macros only at the end of input (cfhead.m4's m4wrap), so the last define wins: the
// line goes after `not_before` (the OSTYPE/DOMAIN/FEATURE call that set the value) if that
// comes later.
std::optional<Edit> insert_mc_define(const RuleContext& context, FileId id,
                                     std::string_view m4_name, std::string_view argument,
                                     std::optional<uint32_t> not_before = std::nullopt) {
    if (!context.expansion) return std::nullopt;
    const SourceFile& file = context.sources.get(id);
    std::string line = "define(`" + std::string(m4_name) + "', " + std::string(argument) + ")dnl";
    std::optional<uint32_t> before_mailer, after_last;
    for (const m4::MacroCall& call : context.expansion->calls) {
        if (call.where.file != id) continue;
        if (call.name == "MAILER" && !before_mailer) before_mailer = call.where.span.begin;
        after_last = std::max(after_last.value_or(0), call.where.span.end);
    }
    if (before_mailer && (!not_before || *not_before <= *before_mailer)) {
        uint32_t line_start = *before_mailer;
        while (line_start > 0 && file.text()[line_start - 1] != '\n')
            --line_start;
        bool crlf = file.text().find("\r\n") != std::string::npos;
        return Edit{Location{id, Span{line_start, line_start}}, line + (crlf ? "\r\n" : "\n")};
    }
    uint32_t after =
        not_before ? *not_before : after_last.value_or(static_cast<uint32_t>(file.text().size()));
    return insert_line_after(file, id, after, line);
}

// A value as one quoted m4 argument; none when its quote characters would end the quote.
std::optional<std::string> m4_quoted(std::string_view value) {
    if (value.find_first_of("`'") != std::string_view::npos) return std::nullopt;
    return "`" + std::string(value) + "'";
}

// `define(`confX', `value')dnl` for the option, at insert_mc_define's place; none when the
// option has no m4 name or the value cannot be quoted.
std::optional<Edit> define_value(const RuleContext& context, FileId mc, std::string_view option,
                                 std::string_view value,
                                 std::optional<uint32_t> not_before = std::nullopt) {
    const m4::M4Option* entry = m4_option_named(option);
    std::optional<std::string> argument = m4_quoted(value);
    if (!entry || !argument) return std::nullopt;
    return insert_mc_define(context, mc, entry->m4_name, *argument, not_before);
}

// Whether `where` is one of the .mc's own define() calls (the place of a value it set without
// writing it as one stretch: define(`confX', `') or one built with defn()).
bool is_mc_definition(const RuleContext& context, Location where) {
    if (!context.expansion) return false;
    const auto& definitions = context.expansion->definitions;
    return std::any_of(definitions.begin(), definitions.end(),
                       [&](const m4::McDefinition& d) { return d.where == where; });
}

// Whether a fix may edit the setting's value in place: its bytes are there and the
// configuration file wrote them itself. In an .mc, a value from the cf tree (no place) or from
// an OSTYPE/DOMAIN/FEATURE file (the place is that call) is changed by an overriding define.
bool value_editable(const RuleContext& context, const model::OptionSetting& setting) {
    const Location at = setting.value_where;
    if (!at.valid() || at.file >= context.sources.size()) return false;
    if (!context.expansion) return true;
    return context.sources.get(at.file).slice(at.span) == setting.value;
}

// Whether a fix edits the setting's value bytes, rather than adding a line: they are editable,
// and in an .mc its define() is not on a line that starts with `#`, which SM-C001's fix turns
// into a comment (an edit there would be lost with it; a line of its own works either way).
bool edit_in_place(const RuleContext& context, const model::OptionSetting& setting) {
    if (!value_editable(context, setting)) return false;
    if (!context.expansion) return true;
    const m4::MacroCall* call = defining_call(*context.expansion, setting.value_where);
    return call == nullptr || !hash_before(context.sources, call->where);
}

// For an .mc: the call that stands for the setting's file, which an overriding define must
// follow.
std::optional<uint32_t> setting_call_end(FileId mc, const model::OptionSetting& setting) {
    for (Location at : {setting.value_where, setting.where})
        if (at.valid() && at.file == mc) return at.span.end;
    return std::nullopt;
}

// An insertion whose bytes [begin, begin + item.size()) are an item of a comma list that
// insertions of other fixes at the same place may add to (Edit::list_item).
Edit as_list_item(Edit edit, size_t begin, std::string_view item) {
    if (begin > edit.replacement.size() || edit.replacement.compare(begin, item.size(), item) != 0)
        return edit;
    edit.list_item =
        ListItem{static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + item.size()), ","};
    return edit;
}

// An .mc line that appends `,flag` to the macro's value as it stands, as Debian's own
// debian-mta.m4 does: define(`confX', defn(`confX')`,flag')dnl. Several such lines add up, and
// a macro not yet defined reads as empty. None when there is nowhere to write.
std::optional<Edit> append_flag_line(const RuleContext& context, std::string_view option,
                                     std::string_view flag, std::optional<uint32_t> not_before) {
    const model::Config& config = context.config;
    if (!context.expansion || config.files.empty()) return std::nullopt;
    const m4::M4Option* entry = m4_option_named(option);
    if (!entry || flag.find_first_of("`'") != std::string_view::npos) return std::nullopt;
    std::string argument =
        "defn(`" + std::string(entry->m4_name) + "')`," + std::string(flag) + "'";
    std::optional<Edit> edit =
        insert_mc_define(context, config.files.front(), entry->m4_name, argument, not_before);
    // The flags of several such lines at one place go into one line (src/fix/apply.hpp).
    if (edit)
        edit = as_list_item(std::move(*edit),
                            edit->replacement.rfind(argument) + argument.size() - 1 - flag.size(),
                            flag);
    return edit;
}

// A new `O Name=value` line (or .mc define) whose value is an item of a list, so that the lines
// of several fixes at one place become one (PrivacyOptions).
std::optional<Edit> insert_option_list_line(const RuleContext& context, std::string_view option,
                                            std::string_view flags) {
    std::optional<Edit> edit = insert_option_line(context, option, flags);
    if (!edit) return edit;
    const size_t equals = edit->replacement.find('=');
    if (equals == std::string::npos ||
        edit->replacement.compare(equals + 1, flags.size(), flags) != 0)
        return edit;
    return as_list_item(std::move(*edit), equals + 1, flags);
}

// The .mc's define() behind a setting when its value is an unquoted comma list.
std::optional<UnquotedList> setting_unquoted_list(const RuleContext& context,
                                                  const model::OptionSetting& setting) {
    if (!context.expansion) return std::nullopt;
    const m4::MacroCall* call = defining_call(*context.expansion, setting.value_where);
    if (!call) return std::nullopt;
    return unquoted_list(context.sources, *context.expansion, *call);
}

// Whether the setting's value bytes in an .mc stand inside m4 quotes, `value'.
bool quoted_in_mc(const RuleContext& context, const model::OptionSetting& setting) {
    const Location at = setting.value_where;
    const std::string& text = context.sources.get(at.file).text();
    return at.span.begin > 0 && at.span.end < text.size() && text[at.span.begin - 1] == '`' &&
           text[at.span.end] == '\'';
}

} // namespace

bool equals_ignore_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

const analyze::HostFigures& host_figures(const RuleContext& context) {
    return context.host ? *context.host : analyze::assumed_host_figures();
}

bool is_unset(const model::OptionValue* option) {
    return option == nullptr || option->is_default || option->settings.empty();
}

long long leading_integer(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && is_blank(text[i]))
        ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    long long value = 0;
    constexpr long long kCap = 1'000'000'000'000'000LL; // far above any sendmail limit
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
        value = std::min(kCap, value * 10 + (text[i] - '0'));
    return negative ? -value : value;
}

std::optional<long long> number_behind_stray_characters(std::string_view text) {
    auto stray = [](char c) { return is_blank(c) || c == '\'' || c == '"' || c == '`'; };
    size_t begin = 0, end = text.size();
    while (begin < end && stray(text[begin]))
        ++begin;
    while (end > begin && stray(text[end - 1]))
        --end;
    std::string_view number = text.substr(begin, end - begin);
    if (number.size() == text.size() || !is_plain_integer(number)) return std::nullopt;
    if (begin > 0 && !std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(begin),
                                  [](char c) { return is_blank(c); }))
        return leading_integer(number);
    return std::nullopt; // only blanks before it: atoi() reads it already
}

std::optional<std::string> limit_behind_stray_characters(std::string_view text) {
    std::optional<long long> meant = number_behind_stray_characters(text);
    if (!meant || *meant <= 0) return std::nullopt;
    return std::to_string(*meant);
}

std::string describe_number(std::string_view name, std::string_view written, long long value,
                            std::string_view verb) {
    std::string out(name);
    if (is_plain_integer(written)) return out + std::string(verb) + std::string(written);
    if (written.empty()) return out + " has no value and reads as " + std::to_string(value);
    return out + " `" + std::string(written) + "` reads as " + std::to_string(value);
}

bool is_plain_integer(std::string_view text) {
    size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (i == text.size()) return false;
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::vector<std::string> split_flag_words(std::string_view value, FlagSeparators separators) {
    std::vector<std::string> words;
    for (auto [begin, end] : word_bounds(value, separators))
        words.push_back(model::to_lower(value.substr(begin, end - begin)));
    return words;
}

std::vector<FlagWord> split_flags(const SourceSet& sources, const model::OptionSetting& setting,
                                  FlagSeparators separators) {
    std::vector<FlagWord> words;
    const auto logical = word_bounds(setting.value, separators);
    const Location value_where = setting.value_where;
    if (!setting.value_pieces.empty()) {
        // A value pieced together from several places (an .mc define adding to an earlier one
        // with defn()): each word at the bytes of the piece that holds it.
        for (auto [begin, end] : logical) {
            std::string_view word = std::string_view(setting.value).substr(begin, end - begin);
            FlagWord flag{model::to_lower(word), std::string(word), value_where, false};
            for (const model::ValuePiece& piece : setting.value_pieces) {
                if (begin < piece.offset || end > piece.offset + piece.length) continue;
                if (piece.exact) {
                    const uint32_t base = piece.where.span.begin - piece.offset;
                    flag.where = Location{piece.where.file, Span{base + begin, base + end}};
                    flag.exact = true;
                } else if (piece.where.valid()) {
                    flag.where = piece.where;
                }
                break;
            }
            words.push_back(std::move(flag));
        }
        return words;
    }
    if (value_where.valid() && value_where.file < sources.size()) {
        const SourceFile& file = sources.get(value_where.file);
        std::string_view raw = file.slice(value_where.span);
        const auto physical = word_bounds(raw, separators);
        bool same = physical.size() == logical.size();
        for (size_t i = 0; same && i < logical.size(); ++i)
            same = raw.substr(physical[i].first, physical[i].second - physical[i].first) ==
                   std::string_view(setting.value)
                       .substr(logical[i].first, logical[i].second - logical[i].first);
        if (same) {
            for (auto [begin, end] : physical) {
                std::string_view word = raw.substr(begin, end - begin);
                uint32_t base = value_where.span.begin;
                words.push_back(FlagWord{model::to_lower(word), std::string(word),
                                         Location{value_where.file, Span{base + begin, base + end}},
                                         true});
            }
            return words;
        }
    }
    for (auto [begin, end] : logical) {
        std::string_view word = std::string_view(setting.value).substr(begin, end - begin);
        words.push_back(FlagWord{model::to_lower(word), std::string(word), value_where, false});
    }
    return words;
}

Edit replace_value(const SourceSet& sources, const model::OptionSetting& setting,
                   std::string replacement) {
    const Location at = setting.value_where;
    if (at.valid() && at.span.empty() && setting.written_name.size() > 1 &&
        at.file < sources.size()) {
        std::string_view before = sources.get(at.file).text();
        before = before.substr(0, std::min<size_t>(at.span.begin, before.size()));
        while (!before.empty() && (before.back() == ' ' || before.back() == '\t'))
            before.remove_suffix(1);
        if (before.empty() || before.back() != '=') replacement = "=" + replacement;
    }
    return Edit{at, std::move(replacement)};
}

std::optional<Edit> replace_lines(const SourceSet& sources, Location where,
                                  std::string_view replacement, bool dnl_comment) {
    const SourceFile* file = sources.find(where.file);
    if (file == nullptr || !where.valid()) return std::nullopt;
    const std::string& text = file->text();
    if (where.span.end > text.size()) return std::nullopt;
    uint32_t begin = where.span.begin;
    while (begin > 0 && text[begin - 1] != '\n') {
        if (text[begin - 1] != ' ' && text[begin - 1] != '\t') return std::nullopt;
        --begin;
    }
    size_t end = where.span.end;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t'))
        ++end;
    auto name_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (dnl_comment && text.compare(end, 3, "dnl") == 0 &&
        (end + 3 == text.size() || !name_byte(text[end + 3])))
        end = text.find('\n', end);
    if (end == std::string::npos) end = text.size();
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
        ++end;
    if (end < text.size() && text[end] != '\n') return std::nullopt; // more text on the line
    const bool crlf = end > 0 && end < text.size() && text[end - 1] == '\r';
    if (end < text.size()) ++end;
    std::string line;
    if (!replacement.empty()) line = std::string(replacement) + (crlf ? "\r\n" : "\n");
    return Edit{Location{where.file, Span{begin, static_cast<uint32_t>(end)}}, std::move(line)};
}

std::optional<Edit> insert_option_line(const RuleContext& context, std::string_view name,
                                       std::string_view value) {
    const model::Config& config = context.config;
    if (config.files.empty() || config.files.front() >= context.sources.size()) return std::nullopt;
    const FileId id = config.files.front();
    const SourceFile& file = context.sources.get(id);
    if (file.kind() == FileKind::Mc) return define_value(context, id, name, value);
    if (file.kind() == FileKind::M4) return std::nullopt;

    std::optional<uint32_t> after;
    for (const auto& [option_name, option] : config.options)
        for (const model::OptionSetting& setting : option.settings)
            if (setting.where.valid() && setting.where.file == id)
                after = std::max(after.value_or(0), setting.where.span.end);
    if (!after && config.version_where.valid() && config.version_where.file == id)
        after = config.version_where.span.end;

    std::string line = "O " + std::string(name) + "=" + std::string(value);
    if (!after) {
        bool crlf = file.text().find("\r\n") != std::string::npos;
        return Edit{Location{id, Span{0, 0}}, line + (crlf ? "\r\n" : "\n")};
    }
    return insert_line_after(file, id, *after, line);
}

bool names_root(std::string_view user_and_group) {
    std::string_view user = user_and_group.substr(0, user_and_group.find(':'));
    while (!user.empty() && is_blank(user.front()))
        user.remove_prefix(1);
    while (!user.empty() && is_blank(user.back()))
        user.remove_suffix(1);
    if (user == "root") return true;
    return !user.empty() && std::all_of(user.begin(), user.end(), [](char c) { return c == '0'; });
}

const model::OptionSetting* run_as_non_root(const model::Config& config) {
    const model::OptionValue* run_as = config.option("RunAsUser");
    if (is_unset(run_as)) return nullptr;
    const model::OptionSetting& setting = run_as->settings.back();
    return setting.value.empty() || names_root(setting.value) ? nullptr : &setting;
}

std::optional<Location> written_field(const RuleContext& context,
                                      const std::map<char, std::string>& fields,
                                      const std::map<char, Location>& field_where, char letter) {
    auto where = field_where.find(letter);
    auto value = fields.find(letter);
    if (where == field_where.end() || value == fields.end() || !where->second.valid() ||
        context.config.files.empty() || where->second.file != context.config.files.front())
        return std::nullopt;
    if (context.sources.get(where->second.file).slice(where->second.span) != value->second)
        return std::nullopt;
    return where->second;
}

std::optional<Edit> insert_mc_text_define(const RuleContext& context, std::string_view m4_name,
                                          std::string_view value) {
    const model::Config& config = context.config;
    if (!context.expansion || config.files.empty()) return std::nullopt;
    std::optional<std::string> quoted = m4_quoted(value);
    if (!quoted) return std::nullopt;
    return insert_mc_define(context, config.files.front(), m4_name, "`" + *quoted + "'");
}

std::string set_here(const RuleContext& context, const model::OptionSetting& setting,
                     std::string_view option) {
    if (!setting.value_where.valid())
        return std::string(option) +
               " is set by sendmail's cf tree (cfhead.m4, proto.m4), not by a line of the .mc";
    // A value the .mc pieced together, or one its define() set without writing it as one
    // stretch, is set at that define; other values an .mc did not write, by a file it reads.
    if (!value_editable(context, setting) && setting.value_pieces.empty() &&
        !is_mc_definition(context, setting.value_where))
        return std::string(option) + " is set by the file this call reads";
    return std::string(option) + " is set here";
}

std::vector<Edit> set_value(const RuleContext& context, const model::OptionSetting& setting,
                            std::string_view option, std::string_view replacement) {
    if (edit_in_place(context, setting)) {
        if (context.expansion) {
            // An unquoted comma list keeps only its first item: the new value replaces the
            // whole list, quoted as every fix on that list quotes it.
            if (auto list = setting_unquoted_list(context, setting))
                return {list->open, Edit{list->items, std::string(replacement)}, list->close};
            // An unquoted value (`'1000000'`, written with the wrong quote characters) gets m4
            // quotes.
            if (!quoted_in_mc(context, setting)) {
                std::optional<std::string> quoted = m4_quoted(replacement);
                if (!quoted) return {};
                return {Edit{setting.value_where, *quoted}};
            }
        }
        return {replace_value(context.sources, setting, std::string(replacement))};
    }
    const model::Config& config = context.config;
    if (!context.expansion || config.files.empty()) return {};
    const FileId mc = config.files.front();
    if (auto edit = define_value(context, mc, option, replacement, setting_call_end(mc, setting)))
        return {*edit};
    return {};
}

std::vector<Edit> add_flag(const RuleContext& context, const model::OptionSetting& setting,
                           std::string_view option, std::string_view flag) {
    if (!edit_in_place(context, setting)) {
        // An .mc whose value comes from the cf tree or an OSTYPE/DOMAIN file.
        const model::Config& config = context.config;
        if (config.files.empty()) return {};
        if (auto edit = append_flag_line(context, option, flag,
                                         setting_call_end(config.files.front(), setting)))
            return {*edit};
        return {};
    }
    const Location at = setting.value_where;
    if (auto list = setting_unquoted_list(context, setting)) {
        const uint32_t end = list->items.span.end;
        return {list->open, Edit{{at.file, {end, end}}, "," + std::string(flag)}, list->close};
    }
    if (at.span.empty() && setting.written_name.size() > 1) {
        std::string_view text = context.sources.get(at.file).text();
        std::string_view before = text.substr(0, std::min<size_t>(at.span.begin, text.size()));
        while (!before.empty() && (before.back() == ' ' || before.back() == '\t'))
            before.remove_suffix(1);
        // `O PrivacyOptions` without `=`: `=flag`, which the other fixes' flags join.
        if (before.empty() || before.back() != '=')
            return {as_list_item(Edit{at, "=" + std::string(flag)}, 1, flag)};
    }
    return {Edit{{at.file, {at.span.end, at.span.end}}, "," + std::string(flag)}};
}

std::optional<Edit> delete_line(const RuleContext& context, Location where) {
    const model::Config& config = context.config;
    if (!where.valid() || config.files.empty() || where.file != config.files.front())
        return std::nullopt;
    const SourceFile* file = context.sources.find(where.file);
    if (file == nullptr) return std::nullopt;
    const std::string& text = file->text();
    if (where.span.begin >= text.size() || where.span.end > text.size()) return std::nullopt;
    // The line must start where the place does (blanks aside): the whole line is the statement.
    uint32_t begin = where.span.begin;
    while (begin > 0 && text[begin - 1] != '\n') {
        if (text[begin - 1] != ' ' && text[begin - 1] != '\t') return std::nullopt;
        --begin;
    }
    // The line end at or after the place's last byte (a place may end with its newline).
    const size_t last = where.span.end > where.span.begin ? where.span.end - 1 : where.span.begin;
    const size_t newline = text.find('\n', last);
    const auto end =
        static_cast<uint32_t>(newline == std::string::npos ? text.size() : newline + 1);
    return Edit{Location{where.file, Span{begin, end}}, ""};
}

std::optional<Edit> remove_flag_by_define(const RuleContext& context,
                                          const model::OptionSetting& setting,
                                          std::string_view option, std::string_view flag) {
    if (edit_in_place(context, setting) || !context.expansion) return std::nullopt;
    const m4::Expansion& expansion = *context.expansion;
    const m4::M4Option* entry = m4_option_named(option);
    const model::Config& config = context.config;
    if (!entry || config.files.empty() || flag.empty() ||
        !std::all_of(flag.begin(), flag.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }))
        return std::nullopt;
    // The line quotes every byte of the value it copies; a quote character in the macro's
    // definition (a value the .mc quoted twice) would end those quotes early.
    for (const m4::MacroCall& call : expansion.calls)
        if (call.name == "define" && call.args.size() >= 2 && call.args[0] == entry->m4_name &&
            call.args[1].find_first_of("`'") != std::string::npos)
            return std::nullopt;
    // At expansion time: the macro's value with every whole word `flag` taken out, with the
    // comma before it (spelt as the finding read it: m4's regular expressions match case).
    // patsubst's result is read again, so each other byte comes out quoted
    // (``\1'') and the commas stay inside the one argument. Such lines remove one word each,
    // so several in a row compose.
    std::string name(entry->m4_name);
    std::string argument =
        "patsubst(defn(`" + name + "'), `,?\\<" + std::string(flag) + "\\>\\|\\(.\\)', ``\\1'')";
    const FileId mc = config.files.front();
    return insert_mc_define(context, mc, entry->m4_name, argument, setting_call_end(mc, setting));
}

void add_earlier_settings(Diagnostic& finding, const model::OptionValue& option,
                          std::string_view text) {
    for (size_t i = 0; i + 1 < option.settings.size(); ++i)
        if (option.settings[i].where.valid())
            finding.notes.push_back(Label{option.settings[i].value_where.valid()
                                              ? option.settings[i].value_where
                                              : option.settings[i].where,
                                          std::string(text)});
}

Diagnostic* check_unlimited(const RuleContext& context, Emitter& out, const UnlimitedCheck& check) {
    const model::OptionValue* option = context.config.option(check.option);
    std::string name(check.option);
    if (is_unset(option)) {
        Diagnostic& d =
            out.report_default(name + " not set: sendmail's default 0 (no limit) applies, so " +
                               std::string(check.consequence));
        if (auto edit = insert_option_line(context, check.option, check.recommended))
            d.fix = Fix{"set " + name + " to " + std::string(check.recommended),
                        check.fix_is_safe,
                        {*edit}};
        return &d;
    }
    const model::OptionSetting& setting = option->settings.back();
    long long value = leading_integer(setting.value);
    if (value > 0) return nullptr;
    std::string shown = describe_number(name, setting.value, value, " is ");
    Diagnostic& d =
        out.report(setting.value_where, shown + " (no limit), so " + std::string(check.consequence),
                   set_here(context, setting, name));
    // A number that atoi() does not reach because of stray characters around it ('1000000')
    // is what the line meant: the fix keeps it.
    std::optional<std::string> meant = limit_behind_stray_characters(setting.value);
    std::string number = meant.value_or(std::string(check.recommended));
    std::string title = meant ? "write " + name + " as the plain number " + number
                              : "set " + name + " to " + number;
    if (auto edits = set_value(context, setting, check.option, number); !edits.empty())
        d.fix = Fix{std::move(title), check.fix_is_safe, std::move(edits)};
    return &d;
}

Diagnostic* check_true_option(const RuleContext& context, Emitter& out, std::string_view option,
                              std::string_view consequence) {
    const model::OptionValue* value = context.config.option(option);
    if (is_unset(value)) return nullptr;
    const model::OptionSetting& setting = value->settings.back();
    if (!model::sendmail_bool(setting.value)) return nullptr;
    std::string name(option);
    std::string shown = setting.value.empty() ? name + " is set with no value (True)"
                                              : name + " is " + setting.value;
    Diagnostic& d =
        out.report(setting.value_where.valid() ? setting.value_where : setting.where,
                   shown + ": " + std::string(consequence), set_here(context, setting, option));
    if (auto edits = set_value(context, setting, option, "False"); !edits.empty())
        d.fix = Fix{"set " + name + " to False", false, std::move(edits)};
    return &d;
}

std::vector<PrivacyNeed> unmet_privacy_needs(const model::Config& config,
                                             const std::vector<PrivacyNeed>& needs) {
    std::vector<std::string> words;
    if (const model::OptionValue* option = config.option("PrivacyOptions"); !is_unset(option))
        for (const model::OptionSetting& setting : option->settings)
            for (std::string& word :
                 split_flag_words(setting.value, FlagSeparators::BlanksAndPunctuation))
                words.push_back(std::move(word));
    std::vector<PrivacyNeed> unmet;
    for (const PrivacyNeed& need : needs)
        if (std::none_of(need.met_by.begin(), need.met_by.end(), [&](std::string_view word) {
                return std::find(words.begin(), words.end(), word) != words.end();
            }))
            unmet.push_back(need);
    return unmet;
}

void mark_if_default(Diagnostic& d, const model::OptionSetting& setting) {
    if (!setting.value_where.valid()) d.about_default = true;
}

std::string word_list(const std::vector<std::string>& items, std::string_view last) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
        out += (i == 0                  ? ""
                : i + 1 == items.size() ? " " + std::string(last) + " "
                                        : ", ") +
               items[i];
    return out;
}

std::string lacks_beyond_goaway(const std::vector<std::string>& flags) {
    return "no " + word_list(flags, "or") +
           (flags.size() == 1 ? " (goaway does not include it)"
                              : " (goaway includes none of them)");
}

Diagnostic& report_privacy_gap(const RuleContext& context, Emitter& out,
                               const std::vector<PrivacyNeed>& unmet, const PrivacyGap& gap) {
    std::vector<std::string> flags;
    for (const PrivacyNeed& need : unmet)
        flags.emplace_back(need.flag);
    std::string added; // the words the fix writes, as sendmail reads a list: "a,b"
    for (const std::string& flag : flags)
        added += (added.empty() ? "" : ",") + flag;
    const std::string fix_title = "add " + word_list(flags) + " to PrivacyOptions";
    const model::OptionValue* option = context.config.option("PrivacyOptions");
    if (is_unset(option)) {
        Diagnostic& d = out.report_default("PrivacyOptions not set: sendmail's default `public` "
                                           "applies, so " +
                                           gap.state + " and " + gap.consequence);
        // In an .mc the flags of several fixes must add up, which overriding defines would not.
        std::optional<Edit> edit = context.expansion
                                       ? append_flag_line(context, "PrivacyOptions", added, {})
                                       : insert_option_list_line(context, "PrivacyOptions", added);
        if (edit) d.fix = Fix{fix_title, false, {*edit}};
        return d;
    }
    const model::OptionSetting& last = option->settings.back();
    std::string message =
        gap.state + ": PrivacyOptions has " + gap.lacks + ", so " + gap.consequence;
    // define(`confPRIVACY_FLAGS', authwarnings,noexpn): the .mc writes the word, m4 drops it.
    const m4::MacroCall* call =
        context.expansion ? defining_call(*context.expansion, last.value_where) : nullptr;
    std::vector<std::string> dropped;
    for (size_t i = 2; call && i < call->args.size(); ++i)
        for (std::string& word :
             split_flag_words(call->args[i], FlagSeparators::BlanksAndPunctuation))
            for (const PrivacyNeed& need : unmet)
                if (std::find(need.met_by.begin(), need.met_by.end(), word) != need.met_by.end() &&
                    std::find(dropped.begin(), dropped.end(), word) == dropped.end())
                    dropped.push_back(word);
    // What quoting the list does not give: the needs no dropped word meets.
    std::vector<std::string> still_missing;
    for (const PrivacyNeed& need : unmet)
        if (std::none_of(need.met_by.begin(), need.met_by.end(), [&](std::string_view word) {
                return std::find(dropped.begin(), dropped.end(), word) != dropped.end();
            }))
            still_missing.emplace_back(need.flag);
    if (!dropped.empty())
        message += "; `" + dropped.front() +
                   "` is written, but m4 drops it: the comma before it is not quoted, so the "
                   "define keeps only its first item";
    Diagnostic& d =
        out.report(last.value_where, std::move(message), set_here(context, last, "PrivacyOptions"));
    mark_if_default(d, last);
    add_earlier_settings(d, *option, "PrivacyOptions is also set here (the lines add up)");
    std::optional<UnquotedList> list = setting_unquoted_list(context, last);
    if (!dropped.empty() && list && still_missing.empty()) {
        d.fix = Fix{"quote the list so that m4 keeps " + word_list(dropped),
                    false,
                    {list->open, list->close}};
        return d;
    }
    // Quoting the list (add_flag quotes an unquoted one) brings the dropped words back.
    const std::vector<std::string>& to_add = list && !dropped.empty() ? still_missing : flags;
    std::string words;
    for (const std::string& flag : to_add)
        words += (words.empty() ? "" : ",") + flag;
    if (auto edits = add_flag(context, last, "PrivacyOptions", words); !edits.empty())
        d.fix = Fix{list ? "quote the list and add " + word_list(to_add) + " to PrivacyOptions"
                         : fix_title,
                    false, std::move(edits)};
    return d;
}

void check_privacy_flag(const RuleContext& context, Emitter& out, const PrivacyCheck& check) {
    const std::vector<PrivacyNeed> unmet =
        unmet_privacy_needs(context.config, {{check.flag, {check.flag, "goaway"}}});
    if (unmet.empty()) return;
    report_privacy_gap(context, out, unmet,
                       {std::string(check.command) + " is enabled",
                        "neither " + std::string(check.flag) + " nor goaway",
                        std::string(check.consequence)});
}

Location class_word_location(const model::ClassDef& cls, size_t i) {
    if (i < cls.word_where.size() && cls.word_where[i].valid()) return cls.word_where[i];
    return cls.where.empty() ? Location{} : cls.where.front();
}

std::optional<Edit> remove_class_word(const RuleContext& context, const model::ClassDef& cls,
                                      size_t i) {
    if (i >= cls.words.size() || i >= cls.word_where.size() || !cls.word_where[i].valid())
        return std::nullopt;
    const Location word = cls.word_where[i];
    const SourceFile* file = context.sources.find(word.file);
    if (file == nullptr || file->slice(word.span) != cls.words[i]) return std::nullopt;
    return Edit{word, ""};
}

} // namespace smaudit::rules
