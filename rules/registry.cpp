// The one table of rules, sorted by ID (a test checks the order and the doc pages).
//
// The checks are listed here by hand. The syntax codes (SM-E...) are rules too — listed by
// `smaudit rules`, explained, selectable — but each parser owns its own table of them, next to
// the code that emits them; they are merged in below and have no check function.
#include "rules/rules.hpp"

#include "engine/rule_docs.hpp"
#include "engine/suppress.hpp"
#include "m4/expand.hpp"
#include "model/model_diagnostics.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"

#include <algorithm>

namespace smaudit {

namespace {

// One rule per line, so that rules added side by side merge cleanly.
// clang-format off
const Rule kChecks[] = {
    rules::kSM_C001,
    rules::kSM_C002,
    rules::kSM_C003,
    rules::kSM_C004,
    rules::kSM_C005,
    rules::kSM_C006,
    rules::kSM_C007,
    rules::kSM_C008,
    rules::kSM_C010,
    rules::kSM_C011,
    rules::kSM_P001,
    rules::kSM_P002,
    rules::kSM_P003,
    rules::kSM_P004,
    rules::kSM_P005,
    rules::kSM_P006,
    rules::kSM_P007,
    rules::kSM_P008,
    rules::kSM_P009,
    rules::kSM_P010,
    rules::kSM_P011,
    rules::kSM_P012,
    rules::kSM_P013,
    rules::kSM_P014,
    rules::kSM_P015,
    rules::kSM_P016,
    rules::kSM_P017,
    rules::kSM_P018,
    rules::kSM_P019,
    rules::kSM_P020,
    rules::kSM_P021,
    rules::kSM_P022,
    rules::kSM_P023,
    rules::kSM_P024,
    rules::kSM_P026,
    rules::kSM_P027,
    rules::kSM_P029,
    rules::kSM_P030,
    rules::kSM_P032,
    rules::kSM_P033,
    rules::kSM_P034,
    rules::kSM_P035,
    rules::kSM_P036,
    rules::kSM_S001,
    rules::kSM_S002,
    rules::kSM_S003,
    rules::kSM_S004,
    rules::kSM_S005,
    rules::kSM_S006,
    rules::kSM_S007,
    rules::kSM_S008,
    rules::kSM_S009,
    rules::kSM_S010,
    rules::kSM_S011,
    rules::kSM_S012,
    rules::kSM_S013,
    rules::kSM_S014,
    rules::kSM_S015,
    rules::kSM_S016,
    rules::kSM_S017,
    rules::kSM_S018,
    rules::kSM_S020,
    rules::kSM_S021,
    rules::kSM_S022,
    rules::kSM_S023,
    rules::kSM_S024,
    rules::kSM_S025,
    rules::kSM_S026,
    rules::kSM_S027,
    rules::kSM_S028,
    rules::kSM_S029,
    rules::kSM_S030,
    rules::kSM_S031,
    rules::kSM_S032,
    rules::kSM_S033,
    rules::kSM_S034,
    rules::kSM_S035,
    rules::kSM_S036,
    rules::kSM_S037,
    rules::kSM_S038,
    rules::kSM_S039,
    rules::kSM_S040,
    rules::kSM_S041,
    rules::kSM_S042,
    rules::kSM_S043,
    rules::kSM_S044,
    rules::kSM_S045,
    rules::kSM_S046,
    rules::kSM_S047,
    rules::kSM_S048,
    rules::kSM_S049,
    rules::kSM_S050,
    rules::kSM_S051,
    rules::kSM_S052,
    rules::kSM_S053,
    rules::kSM_S054,
    rules::kSM_S055,
    rules::kSM_S056,
    rules::kSM_S057,
    rules::kSM_S058,
    rules::kSM_S059,
    rules::kSM_S060,
    rules::kSM_S061,
    rules::kSM_S062,
    rules::kSM_S063,
    rules::kSM_S064,
    rules::kSM_S065,
};
// clang-format on

// The summary of a code whose table has none: the first paragraph line of its doc page.
std::string_view doc_summary(std::string_view id) {
    std::string_view page = rule_doc(id);
    size_t title_end = page.find('\n');
    if (title_end == std::string_view::npos) return {};
    size_t start = page.find_first_not_of("\r\n", title_end);
    if (start == std::string_view::npos) return {};
    size_t end = page.find('\n', start);
    return page.substr(start, end == std::string_view::npos ? page.npos : end - start);
}

Rule syntax_rule(std::string_view id, std::string_view name, Severity severity,
                 std::string_view summary) {
    return Rule{id,     name, Pack::Syntax, severity, 0, summary, "correct the line", FixKind::None,
                nullptr};
}

std::vector<Rule> make_registry() {
    std::vector<Rule> rules(std::begin(kChecks), std::end(kChecks));
    // Codes whose table has no summary take their doc page's first line.
    for (auto codes : {cf_syntax_rules(), model::model_syntax_codes(), map_syntax_codes(),
                       m4::m4_syntax_codes(), suppression_codes()})
        for (const SyntaxCode& code : codes)
            rules.push_back(
                syntax_rule(code.id, code.name, code.severity,
                            code.summary.empty() ? doc_summary(code.id) : code.summary));
    std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
    return rules;
}

} // namespace

const std::vector<Rule>& all_rules() {
    static const std::vector<Rule> rules = make_registry();
    return rules;
}

} // namespace smaudit
