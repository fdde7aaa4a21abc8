// One JSON object written member by member, with the elements of its big arrays one at a time, as
// nlohmann::ordered_json's dump(indent, ' ', false, error_handler_t::replace) would print the
// whole object: reports of tens of thousands of findings are never held as one JSON tree or one
// text. The JSON report is such an object; SARIF's run object is one inside the log's `runs`.
#pragma once

#include "source/block_writer.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace smaudit::report {

class StreamedObject {
  public:
    using Json = nlohmann::ordered_json;

    // INDENT as dump's: < 0 one line, else newlines and INDENT spaces a level. BASE: the nesting
    // depth the object's own `{` stands at (0: the document itself).
    StreamedObject(std::ostream& stream, int indent, unsigned base = 0)
        : writer_(stream), indent_(indent), base_(base) {}

    // Text written as it is, before the object's `{` (what encloses it).
    void raw(std::string_view text) { out() += text; }
    // `"name": ` (`"name":` on one line), opening the object before the first key.
    void key(std::string_view name) {
        out() += keys_++ == 0 ? "{" : ",";
        newline(1);
        out() += '"';
        out() += name; // the reports' keys need no escaping
        out() += pretty() ? "\": " : "\":";
    }
    // VALUE where its `{`/`[` stands at nesting DEPTH below the object's: its other lines
    // indented by that many levels.
    void value(const Json& value, unsigned depth) {
        out() += dump_at(value, indent_, base_ + depth);
    }
    // VALUE as dump prints it where its `{`/`[` stands at nesting LEVEL of the document: its
    // other lines indented by that many levels (what a worker thread renders for element_text).
    static std::string dump_at(const Json& value, int indent, unsigned level) {
        const std::string text = value.dump(indent, ' ', false, Json::error_handler_t::replace);
        if (indent < 0 || level == 0) return text;
        // JSON strings escape their newlines: every newline of the text starts a line.
        std::string indented;
        const std::string padding(static_cast<size_t>(indent) * level, ' ');
        for (size_t pos = 0;;) {
            const size_t nl = text.find('\n', pos);
            indented.append(text, pos, nl == std::string::npos ? std::string::npos : nl + 1 - pos);
            if (nl == std::string::npos) break;
            indented += padding;
            pos = nl + 1;
        }
        return indented;
    }
    void member(std::string_view name, const Json& v) {
        key(name);
        value(v, 1);
    }
    // The elements of an array member, one at a time (each at nesting depth 2).
    void begin_array() {
        out() += '[';
        elements_ = 0;
    }
    void element(const Json& v) {
        if (elements_++ > 0) out() += ',';
        newline(2);
        value(v, 2);
        writer_.maybe_flush();
    }
    // An element already written as text, as dump_at(value, indent, base + 2) or a nested
    // StreamedObject of base + 2 writes it (a fleet's hosts, rendered on worker threads).
    void element_text(std::string_view text) {
        if (elements_++ > 0) out() += ',';
        newline(2);
        out() += text;
        writer_.maybe_flush();
    }
    void end_array() {
        if (elements_ > 0) newline(1);
        out() += ']';
    }
    // Closes the object; the document's own object (base 0) also ends the text with a newline.
    void end() {
        newline(0);
        out() += base_ == 0 ? "}\n" : "}";
    }

  private:
    bool pretty() const { return indent_ >= 0; }
    std::string& out() { return writer_.text(); }
    void pad(unsigned depth) { out().append(static_cast<size_t>(indent_) * (base_ + depth), ' '); }
    void newline(unsigned depth) {
        if (!pretty()) return;
        out() += '\n';
        pad(depth);
    }

    BlockWriter writer_;
    int indent_;
    unsigned base_;
    size_t keys_ = 0;
    size_t elements_ = 0;
};

} // namespace smaudit::report
