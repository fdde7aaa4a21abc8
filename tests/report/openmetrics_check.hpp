// A strict check of OpenMetrics text as smaudit writes it (the subset it uses: gauge families,
// TYPE/UNIT/HELP metadata, samples without timestamps, `# EOF` last), held also to what
// node_exporter's textfile collector accepts (Prometheus text format 0.0.4: no timestamps, no
// other types). Returns the problems found, empty when the text is valid; fills `samples` with
// "name{labels}" -> value.
#pragma once

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace smaudit::test {

inline std::vector<std::string>
check_openmetrics(const std::string& text, std::map<std::string, double>* samples = nullptr) {
    std::vector<std::string> problems;
    auto problem = [&](size_t line, const std::string& what) {
        problems.push_back("line " + std::to_string(line) + ": " + what);
    };
    if (text.empty() || text.back() != '\n') problems.push_back("does not end with a newline");
    static const std::regex metadata(R"(# (TYPE|UNIT|HELP) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+))");
    static const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)\")");
    std::map<std::string, std::string> types; // family -> type
    std::set<std::string> closed;             // families whose lines have ended
    std::set<std::pair<std::string, std::string>> metadata_seen;
    std::set<std::string> series;
    std::string current;
    bool eof = false;
    std::istringstream in(text);
    std::string line;
    size_t number = 0;
    auto enter = [&](const std::string& family, size_t n) {
        if (family == current) return;
        if (closed.count(family)) problem(n, "family " + family + " is not contiguous");
        if (!current.empty()) closed.insert(current);
        current = family;
    };
    while (std::getline(in, line)) {
        ++number;
        if (eof) {
            problem(number, "text after # EOF");
            break;
        }
        if (line == "# EOF") {
            eof = true;
            continue;
        }
        std::smatch m;
        if (line.starts_with("#")) {
            if (!std::regex_match(line, m, metadata)) {
                problem(number, "not TYPE, UNIT or HELP metadata: " + line);
                continue;
            }
            const std::string kind = m[1], family = m[2], value = m[3];
            enter(family, number);
            if (!metadata_seen.insert({family, kind}).second)
                problem(number, kind + " repeated for " + family);
            if (kind == "TYPE") {
                if (value != "gauge" && value != "counter")
                    problem(number, "type " + value + " (node_exporter reads gauge and counter)");
                types[family] = value;
            } else if (kind == "UNIT" && !family.ends_with("_" + value)) {
                problem(number, "family " + family + " does not end in its unit " + value);
            }
            continue;
        }
        if (!std::regex_match(line, m, sample)) {
            problem(number, "not a sample (or one with a timestamp): " + line);
            continue;
        }
        const std::string name = m[1], labels = m[3], value = m[4];
        if (!types.count(name)) {
            problem(number, "sample of " + name + " without a TYPE before it");
        } else {
            enter(name, number);
            if (types[name] == "counter") problem(number, "counter sample without _total");
        }
        std::set<std::string> names;
        for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it)
            if (!names.insert((*it)[1]).second) problem(number, "label repeated");
        const std::string key = m[2].matched ? name + "{" + labels + "}" : name;
        if (!series.insert(key).second) problem(number, "series repeated: " + line);
        char* rest = nullptr;
        const double v = std::strtod(value.c_str(), &rest);
        if (rest == value.c_str() || *rest != '\0' || (std::isnan(v) && value != "NaN"))
            problem(number, "value is no number: " + value);
        if (samples) (*samples)[key] = v;
    }
    if (!eof) problems.push_back("no # EOF line");
    return problems;
}

} // namespace smaudit::test
