// Class file parser: what sendmail's fileclass() puts into a class from an F line's file.
#include "grammar/maps/class_file.hpp"
#include "parse/maps.hpp"
#include "parse/maps_common.hpp"

#include <cstring>

namespace smaudit {

namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar::class_file;

struct ClassState {
    const char* base;
    std::vector<Span>& words;
};

template <typename Rule> struct class_action : pegtl::nothing<Rule> {};
template <typename Rule> struct word_action {
    template <typename Input> static void apply(const Input& in, ClassState& s) {
        const auto begin = static_cast<uint32_t>(in.begin() - s.base);
        s.words.push_back({begin, begin + static_cast<uint32_t>(in.size())});
    }
};
template <> struct class_action<g::word> : word_action<g::word> {};
template <> struct class_action<g::hash_word> : word_action<g::hash_word> {};

} // namespace

std::optional<ast::ClassPattern> class_pattern(std::string_view scanf_pattern) {
    if (scanf_pattern.empty() || scanf_pattern == "%s") return ast::ClassPattern::FirstWord;
    if (scanf_pattern == "%[^#]" || scanf_pattern == "%[^\\#]")
        return ast::ClassPattern::WordsBeforeHash;
    return std::nullopt;
}

ast::ClassFile parse_class_file(const SourceSet& sources, FileId file,
                                std::vector<Diagnostic>& diagnostics, ast::ClassPattern pattern) {
    const SourceFile& source = sources.get(file);
    const std::string_view text = source.text();
    ast::ClassFile cls;
    cls.file = file;
    cls.text = text;
    cls.pattern = pattern;
    ClassState state{text.data(), cls.words};
    SyntaxSink sink(diagnostics);
    uint32_t pos = 0;
    while (pos < text.size()) {
        const char* base = text.data();
        const auto* nl = static_cast<const char*>(std::memchr(base + pos, '\n', text.size() - pos));
        const uint32_t end =
            nl ? static_cast<uint32_t>(nl - base) : static_cast<uint32_t>(text.size());
        const uint32_t begin = pos;
        pos = nl ? end + 1 : end;
        uint32_t visible_end = end;
        if (const auto* nul =
                static_cast<const char*>(std::memchr(base + begin, '\0', end - begin))) {
            visible_end = static_cast<uint32_t>(nul - base);
            maps_detail::report(sink, maps_detail::kClassNulByte, file, {visible_end, end},
                                "NUL byte: sendmail reads this line only up to it",
                                "ignored from here");
        }
        if (visible_end == begin) continue;
        if (base[begin] == '#') {
            cls.comments.push_back({begin, end});
            continue;
        }
        pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf, const char*> in(
            base + begin, base + visible_end, "");
        if (pattern == ast::ClassPattern::FirstWord)
            pegtl::parse<g::first_word_line, class_action>(in, state);
        else
            pegtl::parse<g::words_before_hash_line, class_action>(in, state);
    }
    sink.finish();
    return cls;
}

} // namespace smaudit
