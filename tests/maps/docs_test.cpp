// The doc pages of the map syntax diagnostics (docs/rules/SM-E2xx.md): the title names the
// diagnostic as the parser does, the bad example raises exactly that diagnostic, the good one
// nothing. In the examples ␀ stands for a NUL byte and ⟨1100 bytes⟩ for 1100 bytes of text.
#include "parse/maps.hpp"
#include "parse/maps_common.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace smaudit;

namespace {

std::string block(const std::string& page, const std::string& heading) {
    const size_t at = page.find("\n## " + heading + "\n");
    if (at == std::string::npos) return {};
    const size_t fence = page.find("```", at);
    const size_t open = page.find('\n', fence) + 1;
    const size_t close = page.find("\n```", open);
    if (fence == std::string::npos || close == std::string::npos) return {};
    std::string text = page.substr(open, close - open + 1);
    for (auto [marker, replacement] :
         {std::pair<std::string, std::string>{"␀", std::string(1, '\0')},
          std::pair<std::string, std::string>{"⟨1100 bytes⟩", std::string(1100, 'x')}}) {
        for (size_t p = text.find(marker); p != std::string::npos; p = text.find(marker, p))
            text.replace(p, marker.size(), replacement);
    }
    return text;
}

enum class Format { Access, Aliases, Class };

std::vector<std::string> ids(const std::string& text, Format format) {
    SourceSet sources;
    const FileId id = sources.add("example", text);
    std::vector<Diagnostic> diagnostics;
    if (format == Format::Access) parse_access(sources, id, diagnostics);
    if (format == Format::Aliases) parse_aliases(sources, id, diagnostics);
    if (format == Format::Class) parse_class_file(sources, id, diagnostics);
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics)
        out.push_back(d.rule_id);
    return out;
}

} // namespace

TEST_CASE("SM-E2xx doc pages: titles and examples") {
    using namespace maps_detail;
    struct Page {
        const SyntaxCode& rule;
        Format format;
        size_t bad_count;
    };
    const Page pages[] = {
        {kMapLeadingBlank, Format::Access, 1},      {kMapNoValue, Format::Access, 2},
        {kMapLineTooLong, Format::Access, 1},       {kMapNulByte, Format::Access, 1},
        {kMapDuplicateKey, Format::Access, 1},      {kAliasMissingColon, Format::Aliases, 1},
        {kAliasLeadingBlank, Format::Aliases, 1},   {kAliasNoValue, Format::Aliases, 1},
        {kAliasIllegalName, Format::Aliases, 1},    {kAliasNonLocal, Format::Aliases, 1},
        {kAliasDuplicate, Format::Aliases, 1},      {kAliasNulByte, Format::Aliases, 1},
        {kAliasUnbalancedName, Format::Aliases, 1}, {kClassNulByte, Format::Class, 1},
    };
    for (const Page& page : pages) {
        const std::string id(page.rule.id);
        CAPTURE(id);
        const std::string markdown =
            maps_test::read_file(SMAUDIT_SOURCE_DIR "/docs/rules/" + id + ".md");
        REQUIRE(!markdown.empty());
        CHECK(markdown.rfind("# " + id + " " + std::string(page.rule.name) + "\n", 0) == 0);
        const std::string bad = block(markdown, "Bad example");
        const std::string good = block(markdown, "Good example");
        REQUIRE(!bad.empty());
        REQUIRE(!good.empty());
        CHECK(ids(bad, page.format) == std::vector<std::string>(page.bad_count, id));
        CHECK(ids(good, page.format).empty());
    }
}
