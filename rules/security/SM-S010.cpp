// SM-S010 relay-domains-too-broad: a class R entry (`CR`/`C{R}` lines, RELAY_DOMAIN, the
// relay-domains file) that covers a TLD, a public suffix or a huge network (KB SEC-010).
#include "rules/map_support.hpp"

#include <cctype>
#include <set>

namespace smaudit::rules {

static bool word_byte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '_';
}

// The bytes of `word` as a whole word in the text of `where`; `where` itself when not found.
static Location word_location(const SourceSet& sources, Location where, std::string_view word) {
    std::string_view text = sources.get(where.file).slice(where.span);
    // The class name of a .cf C line is no word of the class.
    size_t first = text.starts_with("C{R}") ? 4 : text.starts_with("CR") ? 2 : 0;
    for (size_t at = text.find(word, first); at != std::string_view::npos;
         at = text.find(word, at + 1)) {
        bool starts = at == first || !word_byte(text[at - 1]);
        bool ends = at + word.size() == text.size() || !word_byte(text[at + word.size()]);
        if (starts && ends)
            return {where.file,
                    {where.span.begin + static_cast<uint32_t>(at),
                     where.span.begin + static_cast<uint32_t>(at + word.size())}};
    }
    return where;
}

static std::string message(std::string_view word, const std::string& breadth,
                           std::string_view source) {
    return "relay domain `" + std::string(word) + "` (" + std::string(source) +
           ") is too broad: " + breadth +
           "; class R relays to matching recipient domains and for matching clients";
}

static void check(const RuleContext& context, Emitter& out) {
    if (context.config_present) {
        auto r = context.config.classes.find("R");
        if (r != context.config.classes.end() && !r->second.where.empty()) {
            std::set<std::string> seen;
            for (const std::string& word : r->second.words) {
                if (!seen.insert(model::to_lower(word)).second) continue;
                std::optional<std::string> breadth = relay_breadth(word);
                if (!breadth) continue;
                Location where = r->second.where.front();
                for (Location line : r->second.where) {
                    Location found = word_location(context.sources, line, word);
                    if (found != line) {
                        where = found;
                        break;
                    }
                }
                out.report(where, message(word, *breadth, "class R"), "relays too broadly");
            }
        }
    }
    if (context.maps == nullptr) return;
    for (const ast::ClassFile& file : context.maps->class_files) {
        if (!is_relay_domains_file(context, file)) continue;
        for (Span span : file.words)
            if (std::optional<std::string> breadth = relay_breadth(file.word(span)))
                out.report(at(file.file, span), message(file.word(span), *breadth, "relay-domains"),
                           "relays too broadly");
    }
}

extern const Rule kSM_S010 = {
    "SM-S010",
    "relay-domains-too-broad",
    Pack::Security,
    Severity::Critical,
    25,
    "A relay domain (class R) covers a TLD, public suffix or huge network",
    "narrow the entry to your own domains, hosts or networks",
    &check,
    Rule::Scope::Maps};

} // namespace smaudit::rules
