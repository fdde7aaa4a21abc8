// Aliases file parser. newaliases' reading of the file (checked with `sendmail -bi` on Debian's
// 8.17, see grammar/aliases/aliases.hpp) is emulated by read_logical(); the grammar then parses
// each joined logical line.
#include "grammar/aliases/aliases.hpp"
#include "parse/maps.hpp"
#include "parse/maps_common.hpp"
#include "parse/maps_show.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace smaudit {

namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar::aliases;
using namespace maps_detail;

// Visible bytes of one physical line that belong to a logical line.
struct Segment {
    uint32_t raw = 0;
    uint32_t len = 0;
};

struct Physical {
    uint32_t begin = 0;
    uint32_t visible_end = 0; // at the newline, or at a NUL byte (fgets gives a C string)
    uint32_t content_end = 0; // at the newline
    uint32_t next = 0;        // first byte of the next line
    bool nul = false;
    bool newline = false;
};

Physical physical(std::string_view text, uint32_t pos) {
    Physical p;
    p.begin = pos;
    const char* base = text.data();
    const auto* nl = static_cast<const char*>(std::memchr(base + pos, '\n', text.size() - pos));
    p.newline = nl != nullptr;
    p.content_end = nl ? static_cast<uint32_t>(nl - base) : static_cast<uint32_t>(text.size());
    p.next = nl ? p.content_end + 1 : p.content_end;
    const auto* nul = static_cast<const char*>(std::memchr(base + pos, '\0', p.content_end - pos));
    p.nul = nul != nullptr;
    p.visible_end = nul ? static_cast<uint32_t>(nul - base) : p.content_end;
    return p;
}

struct Logical {
    bool blank = false;
    uint32_t begin = 0;
    Physical last; // the last physical line read
    std::vector<Segment> segments;
};

// Reads the logical line at `pos` the way newaliases does: `\`-newline joins the next line, a
// following line starting with SPACE or TAB is appended (newline removed, blanks kept), an
// empty line stands alone.
void read_logical(std::string_view text, uint32_t pos, Logical& out) {
    out.segments.clear();
    out.begin = pos;
    Physical cur = physical(text, pos);
    out.blank = cur.visible_end == cur.begin && !cur.nul;
    out.last = cur;
    if (out.blank) return;
    out.segments.push_back({cur.begin, cur.visible_end - cur.begin});
    // The segment holding the last byte joined so far: newaliases looks at the byte before the
    // newline in its buffer, which after an empty joined line is the previous line's last byte.
    auto last_segment = [&]() -> Segment* {
        for (auto it = out.segments.rbegin(); it != out.segments.rend(); ++it)
            if (it->len > 0) return &*it;
        return nullptr;
    };
    for (;;) {
        Segment* last = last_segment();
        if (!cur.nul && cur.newline && last && text[last->raw + last->len - 1] == '\\') {
            last->len -= 1;
            if (cur.next >= text.size()) break;
        } else if (!(cur.next < text.size() && (text[cur.next] == ' ' || text[cur.next] == '\t'))) {
            break;
        }
        cur = physical(text, cur.next);
        out.segments.push_back({cur.begin, cur.visible_end - cur.begin});
    }
    out.last = cur;
}

// Raw spans of joined bytes of a logical line, each found by binary search: an alias with
// 200,000 targets on continuation lines maps each target's span in log time.
class JoinedToRaw {
  public:
    explicit JoinedToRaw(const std::vector<Segment>& segments) : segments_(segments) {
        ends_.reserve(segments.size());
        uint32_t at = 0;
        for (const Segment& s : segments)
            ends_.push_back(at += s.len);
    }
    // The raw span of joined bytes [offset, offset+length).
    Span operator()(uint32_t offset, uint32_t length) const {
        const uint32_t begin = raw_at(offset, false);
        const uint32_t end = length == 0 ? begin : raw_at(offset + length, true);
        return {begin, std::max(begin, end)};
    }

  private:
    // The first segment holding joined byte `joined` (or, for an end, ending at it).
    uint32_t raw_at(uint32_t joined, bool is_end) const {
        const auto it = is_end ? std::lower_bound(ends_.begin(), ends_.end(), joined)
                               : std::upper_bound(ends_.begin(), ends_.end(), joined);
        if (it == ends_.end())
            return segments_.empty() ? 0 : segments_.back().raw + segments_.back().len;
        const Segment& s = segments_[static_cast<size_t>(it - ends_.begin())];
        return s.raw + (joined - (*it - s.len));
    }
    const std::vector<Segment>& segments_;
    std::vector<uint32_t> ends_; // joined offset just past each segment
};

Span map_to_raw(const std::vector<Segment>& segments, uint32_t offset, uint32_t length) {
    return JoinedToRaw(segments)(offset, length);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Like trim, but a blank escaped by a backslash belongs to the name ("\ : x" names "\ ").
std::string_view trim_name(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()) && !(s.size() >= 2 && s[s.size() - 2] == '\\'))
        s.remove_suffix(1);
    return s;
}

// sendmail's OperatorChars (cfhead.m4: `.:%@!^/[]+`) and the always-special characters: a
// blank next to one of them vanishes, a blank between two words becomes BlankSub ('.').
bool is_special(char c) {
    return std::strchr(".:%@!^/[]+()<>,;\\\"", c) != nullptr && c != 0;
}

struct NameCheck {
    std::string key;
    bool illegal = false;
    bool non_local = false;
    char unbalanced = 0; // the quote, parenthesis or bracket newaliases warned about and fixed
};

// The key newaliases stores for a name and whether it is a legal local name, following what
// sendmail's address scanner does with it (checked with `sendmail -bi`): comments dropped, an
// unclosed comment runs to the end, a stray ')' or '>' is dropped, an unclosed quote is closed
// at the end (the caller then passes the whole line: the quote hid the ':'), a trailing '\'
// is dropped.
NameCheck check_name(std::string_view name) {
    NameCheck r;
    std::string cleaned; // comments removed
    int parens = 0;
    int angles = 0;
    bool quote = false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (quote) {
            cleaned += c;
            if (c == '\\' && i + 1 < name.size())
                cleaned += name[++i];
            else if (c == '"')
                quote = false;
        } else if (parens > 0) {
            if (c == '(')
                ++parens;
            else if (c == ')')
                --parens;
        } else if (c == '(') {
            ++parens;
        } else if (c == ')' || (c == '>' && angles == 0)) {
            r.unbalanced = c;
        } else if (c == '\\') {
            // A backslash keeps the character after it; a trailing one escapes nothing.
            if (i + 1 < name.size()) {
                cleaned += c;
                cleaned += name[++i];
            }
        } else {
            if (c == '"') quote = true;
            if (c == '<') ++angles;
            if (c == '>') --angles;
            cleaned += c;
        }
    }
    if (quote) {
        r.unbalanced = '"';
        cleaned += '"';
    }
    if (parens > 0) r.unbalanced = '(';
    std::string_view body = cleaned;
    if (angles > 0) r.illegal = true; // an unclosed '<': sendmail's result is not modelled
    if (const size_t lt = body.find('<'); lt != std::string_view::npos && body.find('"') > lt) {
        const size_t gt = body.find('>', lt);
        if (gt != std::string_view::npos) body = body.substr(lt + 1, gt - lt - 1);
    }
    body = trim_name(body);
    if (body.empty()) r.illegal = true;
    // A name that starts like a file or a program resolves to the *file* or prog mailer.
    if (!body.empty() && (body.front() == '/' || body.front() == '|')) r.non_local = true;
    quote = false;
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (quote) {
            r.key += ascii_lower(c);
            if (c == '"') quote = false;
            continue;
        }
        if (c == '\\' && i + 1 < body.size()) { // an escaped character is kept as it is
            r.key += c;
            r.key += ascii_lower(body[++i]);
            continue;
        }
        if (is_space(c)) {
            size_t j = i;
            while (j < body.size() && is_space(body[j]))
                ++j;
            const char before = r.key.empty() ? '.' : r.key.back();
            if (j < body.size() && !is_special(before) && !is_special(body[j])) r.key += '.';
            i = j - 1;
            continue;
        }
        if (c == '"') quote = true;
        // user@host and the %-hack are remote; so is a UUCP path host!user, but a '!' at
        // either end is just a character of a local name.
        if (c == '@' || c == '%' || (c == '!' && i > 0 && i + 1 < body.size())) r.non_local = true;
        r.key += ascii_lower(c);
    }
    return r;
}

struct AliasState {
    std::string_view line; // the joined logical line
    std::string_view name;
    uint32_t value_off = 0;
    uint32_t value_len = 0;
    bool has_value = false;
};

template <typename Rule> struct alias_action : pegtl::nothing<Rule> {};
template <> struct alias_action<g::name> {
    template <typename Input> static void apply(const Input& in, AliasState& s) {
        s.name = std::string_view(in.begin(), in.size());
    }
};
template <> struct alias_action<g::value> {
    template <typename Input> static void apply(const Input& in, AliasState& s) {
        s.value_off = static_cast<uint32_t>(in.begin() - s.line.data());
        s.value_len = static_cast<uint32_t>(in.size());
        s.has_value = true;
    }
};

ast::AliasTargetKind target_kind(std::string_view t) {
    auto starts_ci = [&](std::string_view prefix) {
        if (t.size() < prefix.size()) return false;
        for (size_t i = 0; i < prefix.size(); ++i)
            if (ascii_lower(t[i]) != prefix[i]) return false;
        return true;
    };
    if (t.empty()) return ast::AliasTargetKind::Local;
    if (t.front() == '|') return ast::AliasTargetKind::Program;
    if (t.front() == '/') return ast::AliasTargetKind::File;
    if (t.front() == '\\') return ast::AliasTargetKind::Mailbox;
    if (starts_ci(":include:")) return ast::AliasTargetKind::Include;
    if (starts_ci("error:")) return ast::AliasTargetKind::Error;
    if (t.find_first_of("@!") != std::string_view::npos) return ast::AliasTargetKind::Address;
    return ast::AliasTargetKind::Local;
}

struct TargetState {
    std::string_view value;
    std::vector<std::pair<uint32_t, uint32_t>> items; // offset, length in value
};
template <typename Rule> struct target_action : pegtl::nothing<Rule> {};
template <> struct target_action<g::item> {
    template <typename Input> static void apply(const Input& in, TargetState& s) {
        s.items.emplace_back(static_cast<uint32_t>(in.begin() - s.value.data()),
                             static_cast<uint32_t>(in.size()));
    }
};

} // namespace

ast::AliasesFile parse_aliases(const SourceSet& sources, FileId file,
                               std::vector<Diagnostic>& diagnostics) {
    const SourceFile& source = sources.get(file);
    const std::string_view text = source.text();
    ast::AliasesFile aliases;
    aliases.file = file;
    aliases.text = text;
    aliases.entries.reserve(source.line_count());
    SyntaxSink sink(diagnostics);

    Logical logical;
    std::string joined_line;
    bool skipping = false; // after an unreadable line, indented lines go silently (as in sendmail)
    uint32_t pos = 0;
    while (pos < text.size()) {
        read_logical(text, pos, logical);
        pos = logical.last.next;
        if (logical.blank) {
            skipping = false;
            continue;
        }
        // A NUL byte in the last line of the file just cuts the line there.
        const Span span{logical.begin, logical.last.nul && logical.last.next >= text.size()
                                           ? logical.last.visible_end
                                           : logical.last.content_end};
        // newaliases peeks at the next byte for a continuation first: at the end of the file
        // that sets EOF, and then a NUL just cuts the line.
        if (logical.last.nul && logical.last.next < text.size()) {
            // fgets' string ends at the NUL, strchr finds no newline: "alias line too long";
            // sendmail then throws away the rest of the next line too.
            report(sink, kAliasNulByte, file, span,
                   "line contains a NUL byte: newaliases skips this alias (\"alias line too "
                   "long\") and also the line after it",
                   "NUL byte in this line");
            // The line thrown away runs on over `\`-newlines (checked with sendmail -bi).
            while (pos < text.size()) {
                const Physical flushed = physical(text, pos);
                pos = flushed.next;
                if (!flushed.newline || flushed.content_end == flushed.begin ||
                    text[flushed.content_end - 1] != '\\')
                    break;
            }
            skipping = true;
            continue;
        }
        std::string_view line;
        if (logical.segments.size() == 1) {
            line = text.substr(logical.segments[0].raw, logical.segments[0].len);
        } else {
            joined_line.clear();
            for (const Segment& s : logical.segments)
                joined_line.append(text.substr(s.raw, s.len));
            line = joined_line;
        }
        if (line.empty()) continue; // only a `\` and a newline
        if (line.front() == '#') {
            aliases.comments.push_back(span);
            skipping = false;
            continue;
        }
        if ((line.front() == ' ' || line.front() == '\t') && skipping) continue;
        AliasState state;
        state.line = line;
        pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf, const char*> in(
            line.data(), line.size(), "");
        try {
            pegtl::parse<g::entry, alias_action, g::control>(in, state);
        } catch (const pegtl::parse_error& e) {
            const std::string message(e.message());
            const bool blank = message == g::error_message<g::no_leading_blank>;
            report(sink, blank ? kAliasLeadingBlank : kAliasMissingColon, file, span, message);
            skipping = blank;
            continue;
        }
        skipping = false;
        const uint32_t name_off = static_cast<uint32_t>(state.name.data() - line.data());
        std::string_view name = trim_name(state.name);
        Span name_span = map_to_raw(
            logical.segments, name_off + static_cast<uint32_t>(name.data() - state.name.data()),
            static_cast<uint32_t>(name.size()));
        NameCheck check = check_name(name);
        if (check.unbalanced == '"') {
            // The open quote hid the ':' from the address scanner: the name is the whole line.
            name = trim_name(line);
            name_span = span;
            check = check_name(name);
        }
        if (check.unbalanced) {
            report(sink, kAliasUnbalancedName, file, name_span,
                   fmt::format("unbalanced '{}' in the alias name: newaliases warns, fixes it and "
                               "stores the alias as '{}'",
                               check.unbalanced, bytes_to_utf8(check.key)),
                   "unbalanced");
        }
        if (check.illegal) {
            report(sink, kAliasIllegalName, file, name.empty() ? span : name_span,
                   fmt::format("'{}' is not a valid alias name: newaliases skips it",
                               bytes_to_utf8(name)),
                   "illegal alias name");
            continue;
        }
        if (check.non_local) {
            report(sink, kAliasNonLocal, file, name_span,
                   fmt::format("'{}' is not a local name: newaliases refuses it (\"cannot "
                               "alias non-local names\")",
                               bytes_to_utf8(name)),
                   "not a local name");
            continue;
        }
        if (!state.has_value) {
            report(sink, kAliasNoValue, file, span,
                   fmt::format("alias '{}' has no value: newaliases skips it (\"missing value "
                               "for alias\")",
                               bytes_to_utf8(name)),
                   "nothing after the ':'");
            continue;
        }
        ast::AliasEntry entry;
        entry.span = span;
        entry.name_end = name_span.end;
        entry.value_begin = map_to_raw(logical.segments, state.value_off, 0).begin;
        // Joined lines, or a last line whose `\` was dropped: the value is not the raw bytes.
        if (logical.segments.size() > 1 ||
            logical.segments[0].raw + logical.segments[0].len != span.end)
            entry.flags |= ast::AliasEntry::kContinued;
        aliases.entries.push_back(entry);
    }

    // Duplicates: newaliases warns "duplicate alias name" and the last definition wins.
    // Keys are computed again rather than kept: they would cost as much memory as the names.
    DuplicateFinder finder(aliases.entries.size());
    for (uint32_t i = 0; i < aliases.entries.size(); ++i) {
        const std::string key = aliases.key(aliases.entries[i]);
        uint32_t& slot = finder.insert(i, hash_folded(key), [&](uint32_t other) {
            return aliases.key(aliases.entries[other]) == key;
        });
        if (slot == i) continue;
        const uint32_t earlier = slot;
        slot = i;
        aliases.entries[earlier].flags |= ast::AliasEntry::kOverridden;
        aliases.duplicates.push_back({earlier, i});
        Diagnostic& d =
            report(sink, kAliasDuplicate, file, aliases.entries[i].name_span(),
                   fmt::format("duplicate alias '{}': this definition replaces the one of line {}",
                               bytes_to_utf8(key),
                               source.position(aliases.entries[earlier].span.begin).line),
                   "this definition wins");
        d.notes.push_back({{file, aliases.entries[earlier].name_span()}, "lost definition"});
    }
    sink.finish();
    return aliases;
}

namespace ast {

std::string_view to_string(AliasTargetKind kind) {
    switch (kind) {
    case AliasTargetKind::Local:
        return "local";
    case AliasTargetKind::Address:
        return "address";
    case AliasTargetKind::File:
        return "file";
    case AliasTargetKind::Program:
        return "program";
    case AliasTargetKind::Include:
        return "include";
    case AliasTargetKind::Error:
        return "error";
    case AliasTargetKind::Mailbox:
        return "mailbox";
    }
    return "local";
}

std::string AliasesFile::value(const AliasEntry& entry) const {
    if (!entry.continued()) return std::string(slice(entry.value_span()));
    Logical logical;
    read_logical(text, entry.span.begin, logical);
    std::string value;
    for (const Segment& s : logical.segments) {
        const uint32_t begin = std::max(s.raw, entry.value_begin);
        if (begin < s.raw + s.len) value.append(text.substr(begin, s.raw + s.len - begin));
    }
    return value;
}

std::string AliasesFile::key(const AliasEntry& entry) const {
    if (!entry.continued()) return check_name(trim_name(name(entry))).key;
    // The name crosses joined lines: take it from the joined text, as newaliases does.
    Logical logical;
    read_logical(text, entry.span.begin, logical);
    std::string joined;
    for (const Segment& s : logical.segments)
        if (s.raw < entry.name_end)
            joined.append(text.substr(s.raw, std::min(s.raw + s.len, entry.name_end) - s.raw));
    return check_name(trim_name(joined)).key;
}

namespace {

// Raw spans of bytes of an entry's joined value; its lines read once for all of them.
class ValueToRaw {
  public:
    ValueToRaw(std::string_view text, const AliasEntry& entry) : entry_(entry) {
        if (!entry.continued()) return;
        read_logical(text, entry.span.begin, logical_);
        // The value's offset within the joined logical line.
        uint32_t joined_at = 0;
        for (const Segment& s : logical_.segments) {
            if (entry.value_begin >= s.raw && entry.value_begin <= s.raw + s.len) {
                value_at_ = joined_at + (entry.value_begin - s.raw);
                break;
            }
            joined_at += s.len;
        }
        joined_.emplace(logical_.segments);
    }
    Span operator()(uint32_t offset, uint32_t length) const {
        if (!joined_) return {entry_.value_begin + offset, entry_.value_begin + offset + length};
        return (*joined_)(value_at_ + offset, length);
    }

  private:
    const AliasEntry& entry_;
    Logical logical_;
    uint32_t value_at_ = 0;
    std::optional<JoinedToRaw> joined_;
};

} // namespace

Span AliasesFile::raw_span(const AliasEntry& entry, uint32_t offset, uint32_t length) const {
    return ValueToRaw(text, entry)(offset, length);
}

std::vector<AliasTarget> AliasesFile::targets(const AliasEntry& entry) const {
    std::vector<AliasTarget> out;
    const std::string joined = value(entry);
    TargetState state;
    state.value = joined;
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf, const char*> in(
        state.value.data(), state.value.size(), "");
    pegtl::parse<g::target_list, target_action>(in, state);
    const ValueToRaw to_raw(text, entry);
    for (auto [offset, length] : state.items) {
        const std::string_view raw = state.value.substr(offset, length);
        const std::string_view item = trim(raw);
        if (item.empty()) continue;
        AliasTarget t;
        t.text = std::string(item);
        t.quoted = item.size() >= 2 && item.front() == '"' && item.back() == '"';
        t.unquoted = t.quoted ? std::string(item.substr(1, item.size() - 2)) : t.text;
        t.kind = target_kind(t.unquoted);
        t.span = to_raw(offset + static_cast<uint32_t>(item.data() - raw.data()),
                        static_cast<uint32_t>(item.size()));
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace ast

} // namespace smaudit
