#include "targets.hpp"

#include "../support/temp_dir.hpp"
#include "app/audit.hpp"
#include "app/sarif_context.hpp"
#include "app/show.hpp"
#include "m4/expand.hpp"
#include "model/config.hpp"
#include "parse/cf_parser.hpp"
#include "parse/maps.hpp"
#include "report/github.hpp"
#include "report/gitlab.hpp"
#include "report/json.hpp"
#include "report/monitoring.hpp"
#include "report/sarif.hpp"
#include "report/terminal.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace smaudit::fuzz {

namespace {

// A broken invariant is a crash for libFuzzer (it saves the input) and a failure for the replay.
void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

std::string text_of(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Every place a parser gives is inside a file of the set.
void require_in_bounds(const SourceSet& sources, const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& d : diagnostics) {
        if (!d.where.valid()) continue;
        require(d.where.file < sources.size(), "diagnostic names a file of the set");
        require(d.where.span.begin <= d.where.span.end, "diagnostic span is ordered");
        require(d.where.span.end <= sources.get(d.where.file).text().size(),
                "diagnostic span ends inside its file");
    }
}

// One private directory for the whole process: the audited file sits in it (discovery stats it,
// the text comes from memory), and an .mc there can include nothing but the cf tree.
const std::filesystem::path& work_dir() {
    static TempDir dir("smaudit-fuzz");
    static const bool made = [] {
        std::ofstream(dir.path / "input"); // typed by content: the name says nothing
        return true;
    }();
    (void)made;
    return dir.path;
}

// Small enough that an input hitting every limit still runs in well under a second under
// ASan: fuzzing wants many executions, and the limits themselves are what is tested.
m4::ExpandOptions fuzz_limits() {
    m4::ExpandOptions options;
    options.cf_dir = m4::find_cf_dir("").value_or("");
    options.max_output = 1u << 20;
    options.max_text = 1u << 20;
    options.max_expansions = 50'000;
    options.max_depth = 256;
    options.max_input_depth = 10'000;
    options.max_include_depth = 16;
    options.max_regex_work = uint64_t{1} << 24;
    return options;
}

void expand_and_check(const uint8_t* data, size_t size, m4::ExpandOptions::CfM4 cf_m4) {
    m4::ExpandOptions options = fuzz_limits();
    options.prepend_cf_m4 = cf_m4;
    SourceSet sources;
    const FileId mc =
        sources.add((work_dir() / "input.mc").string(), text_of(data, size), FileKind::Mc);
    const m4::Expansion expansion = m4::expand_mc(sources, mc, options);
    require(expansion.work.macro_calls <= options.max_expansions + 1, "macro call limit holds");
    require(expansion.text.size() <= options.max_output + options.max_text, "output limit holds");
    uint32_t last = 0;
    for (const m4::OriginSegment& segment : expansion.origins) {
        require(segment.out_begin >= last, "origins sorted");
        require(segment.out_begin <= expansion.text.size(), "origin inside the output");
        last = segment.out_begin;
    }
    require_in_bounds(sources, expansion.diagnostics);
    // The provenance queries the audit makes of every finding.
    for (uint32_t at = 0; at < expansion.text.size(); at += 97) {
        for (Location where : {expansion.origin_of(at), expansion.mc_origin_of(at)})
            if (where.valid())
                require(where.file < sources.size() &&
                            where.span.end <= sources.get(where.file).text().size(),
                        "origin inside its file");
    }
}

template <class Parse>
void parse_map(const uint8_t* data, size_t size, FileKind kind, Parse parse) {
    SourceSet sources;
    const FileId file = sources.add("/fuzz/map", text_of(data, size), kind);
    std::vector<Diagnostic> diagnostics;
    parse(sources, file, diagnostics);
    require_in_bounds(sources, diagnostics);
}

void require_json(const std::string& text, const char* what) {
    require(nlohmann::json::accept(text), what);
}

} // namespace

int fuzz_cf(const uint8_t* data, size_t size) {
    SourceSet sources;
    const FileId file = sources.add("/fuzz/sendmail.cf", text_of(data, size), FileKind::Cf);
    std::vector<Diagnostic> diagnostics;
    const ast::CfFile cf = parse_cf(sources, file, diagnostics);
    const model::Config config = model::build_config(sources, cf, diagnostics);
    require_in_bounds(sources, diagnostics);
    return 0;
}

int fuzz_m4(const uint8_t* data, size_t size) {
    expand_and_check(data, size, m4::ExpandOptions::CfM4::Never);
    return 0;
}

int fuzz_mc(const uint8_t* data, size_t size) {
    expand_and_check(data, size, m4::ExpandOptions::CfM4::Auto);
    return 0;
}

int fuzz_access(const uint8_t* data, size_t size) {
    parse_map(data, size, FileKind::Access, parse_access);
    return 0;
}

int fuzz_aliases(const uint8_t* data, size_t size) {
    parse_map(data, size, FileKind::Aliases, parse_aliases);
    return 0;
}

int fuzz_kv_map(const uint8_t* data, size_t size) {
    parse_map(data, size, FileKind::KeyValueMap, parse_kv_map);
    return 0;
}

int fuzz_class(const uint8_t* data, size_t size) {
    for (ast::ClassPattern pattern :
         {ast::ClassPattern::FirstWord, ast::ClassPattern::WordsBeforeHash})
        parse_map(data, size, FileKind::ClassFile,
                  [&](const SourceSet& sources, FileId file, std::vector<Diagnostic>& found) {
                      return parse_class_file(sources, file, found, pattern);
                  });
    return 0;
}

// What `smaudit FILE --format X` does for each X, without the process: the file is typed by its
// content, every rule runs, and each reporter writes to memory. The JSON formats must parse.
int fuzz_audit(const uint8_t* data, size_t size) {
    const std::string path = (work_dir() / "input").string();
    const std::map<std::string, std::string> texts{{path, text_of(data, size)}};
    AuditRequest request;
    request.paths = {path};
    request.texts = &texts;
    const std::unique_ptr<AuditRun> run = run_audit(request, true);
    require_in_bounds(run->sources, run->result.diagnostics);

    const std::string root = work_dir().string();
    std::ostringstream terminal, coloured, json, sarif, github, gitlab, nagios, metrics, show;
    report::write_terminal(terminal, run->sources, run->result);
    report::TerminalOptions colour;
    colour.color = true;
    report::write_terminal(coloured, run->sources, run->result, colour);
    report::write_json(json, run->sources, run->result);
    report::write_sarif(sarif, run->sources, run->result, sarif_context(*run));
    report::write_github(github, run->sources, run->result, root);
    report::write_gitlab(gitlab, run->sources, run->result, root);
    report::write_nagios(nagios, run->result, {Severity::High, Severity::Medium});
    report::write_openmetrics(metrics, run->result, run->errors.size(), 0);
    write_show_terminal(*run, show);
    std::ostringstream show_json;
    write_show_json(*run, show_json);
    require_json(json.str(), "the json report parses");
    require_json(sarif.str(), "the SARIF report parses");
    require_json(gitlab.str(), "the GitLab report parses");
    require_json(show_json.str(), "show --format json parses");
    return 0;
}

std::span<const Target> targets() {
    static constexpr Target all[] = {
        {"cf", fuzz_cf},         {"m4", fuzz_m4},           {"mc", fuzz_mc},
        {"access", fuzz_access}, {"aliases", fuzz_aliases}, {"kv_map", fuzz_kv_map},
        {"class", fuzz_class},   {"audit", fuzz_audit},
    };
    return all;
}

} // namespace smaudit::fuzz
