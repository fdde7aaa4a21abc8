// Hand-made .cf ASTs for the model tests: the text is written out in the test and each statement
// is built here with spans found in that text, so the model can be tested without parse_cf.
// Only the simple one-line shapes the tests use are handled.
#pragma once

#include "ast/cf.hpp"
#include "source/source.hpp"

#include <string>
#include <string_view>

namespace smaudit::test {

struct HandCf {
    SourceSet sources;
    ast::CfFile cf;
};

inline Span span_of(size_t begin, size_t end) {
    return Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

// Builds one statement per line of `text`: `#` comments, `V`, `D`, `C`, `F`, `O` (long and
// legacy), `K`, `M`, `S`, `R`; other lines are left out.
inline HandCf hand_cf(std::string text, std::string path = "test.cf") {
    HandCf out;
    out.cf.file = out.sources.add(path, text, FileKind::Cf);
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) eol = text.size();
        std::string_view line(text.data() + pos, eol - pos);
        Span whole = span_of(pos, eol);
        char kind = line.empty() ? '\0' : line[0];
        if (kind == '#') {
            out.cf.statements.push_back(ast::CfComment{whole, std::string(line.substr(1))});
        } else if (kind == 'V') {
            std::string_view rest = line.substr(1);
            size_t slash = rest.find('/');
            ast::CfVersion v;
            v.span = whole;
            v.level = std::string(rest.substr(0, slash));
            v.level_span = span_of(pos + 1, pos + 1 + v.level.size());
            out.cf.statements.push_back(v);
        } else if (kind == 'D') {
            ast::CfMacroDef m;
            m.span = whole;
            size_t name_len = 1;
            if (line[1] == '{') {
                m.name = std::string(line.substr(2, line.find('}') - 2));
                name_len = line.find('}');
            } else {
                m.name = std::string(line.substr(1, 1));
            }
            m.name_span = span_of(pos + 1, pos + 1 + name_len);
            m.value = std::string(line.substr(1 + name_len));
            m.value_span = span_of(pos + 1 + name_len, eol);
            out.cf.statements.push_back(m);
        } else if (kind == 'C' || kind == 'F') {
            ast::CfClass c;
            c.span = whole;
            size_t body = 2;
            if (line[1] == '{') {
                size_t close = line.find('}');
                c.name = std::string(line.substr(2, close - 2));
                body = close + 1;
            } else {
                c.name = std::string(line.substr(1, 1));
            }
            c.name_span = span_of(pos + 1, pos + body);
            c.from_file = kind == 'F';
            std::string_view rest = line.substr(body);
            if (c.from_file) {
                c.path = std::string(rest);
                c.path_span = span_of(pos + body, eol);
                c.program = !rest.empty() && rest[0] == '|';
            } else {
                size_t i = 0;
                while (i < rest.size()) {
                    while (i < rest.size() && rest[i] == ' ')
                        ++i;
                    size_t start = i;
                    while (i < rest.size() && rest[i] != ' ')
                        ++i;
                    if (i > start)
                        c.words.push_back({std::string(rest.substr(start, i - start)),
                                           span_of(pos + body + start, pos + body + i)});
                }
            }
            out.cf.statements.push_back(c);
        } else if (kind == 'O') {
            ast::CfOption o;
            o.span = whole;
            if (line.size() > 1 && line[1] == ' ') {
                size_t name_begin = 2;
                size_t eq = line.find('=');
                size_t name_end = eq == std::string_view::npos ? line.size() : eq;
                while (name_end > name_begin && line[name_end - 1] == ' ')
                    --name_end;
                o.name = std::string(line.substr(name_begin, name_end - name_begin));
                o.name_span = span_of(pos + name_begin, pos + name_end);
                o.has_value = eq != std::string_view::npos;
                size_t value_begin = o.has_value ? eq + 1 : line.size();
                while (value_begin < line.size() && line[value_begin] == ' ')
                    ++value_begin;
                o.value = std::string(line.substr(value_begin));
                o.value_span = span_of(pos + value_begin, eol);
            } else {
                o.legacy = true;
                o.name = std::string(line.substr(1, 1));
                o.name_span = span_of(pos + 1, pos + 2);
                o.has_value = line.size() > 2;
                o.value = std::string(line.substr(2));
                o.value_span = span_of(pos + 2, eol);
            }
            out.cf.statements.push_back(o);
        } else if (kind == 'K') {
            ast::CfMap k;
            k.span = whole;
            size_t sp1 = line.find(' ');
            size_t sp2 = line.find(' ', sp1 + 1);
            k.name = std::string(line.substr(1, sp1 - 1));
            k.type = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
            k.spec = sp2 == std::string_view::npos ? "" : std::string(line.substr(sp2 + 1));
            out.cf.statements.push_back(k);
        } else if (kind == 'M') {
            ast::CfMailer m;
            m.span = whole;
            size_t comma = line.find(',');
            m.name = std::string(line.substr(1, comma - 1));
            size_t i = comma;
            while (i != std::string_view::npos && i < line.size()) {
                size_t start = i + 1;
                while (start < line.size() && line[start] == ' ')
                    ++start;
                size_t next = line.find(',', start);
                std::string_view field = line.substr(
                    start, (next == std::string_view::npos ? line.size() : next) - start);
                size_t eq = field.find('=');
                if (eq != std::string_view::npos) {
                    ast::CfField f;
                    f.key = std::string(field.substr(0, eq));
                    f.letter = field[0];
                    f.value = std::string(field.substr(eq + 1));
                    m.fields.push_back(f);
                }
                i = next;
            }
            out.cf.statements.push_back(m);
        } else if (kind == 'S') {
            ast::CfRuleset s;
            s.span = whole;
            std::string_view rest = line.substr(1);
            size_t eq = rest.find('=');
            s.name = std::string(rest.substr(0, eq));
            if (eq != std::string_view::npos)
                s.number = std::stoi(std::string(rest.substr(eq + 1)));
            else if (!s.name.empty() && s.name[0] >= '0' && s.name[0] <= '9')
                s.number = std::stoi(s.name);
            out.cf.statements.push_back(s);
        } else if (kind == 'R') {
            ast::CfRule r;
            r.span = whole;
            std::string_view rest = line.substr(1);
            size_t tab = rest.find('\t');
            r.lhs = std::string(rest.substr(0, tab));
            r.rhs = tab == std::string_view::npos ? "" : std::string(rest.substr(tab + 1));
            out.cf.statements.push_back(r);
        }
        pos = eol + 1;
    }
    return out;
}

} // namespace smaudit::test
