// One JSON object written member by member, with the elements of its big arrays one at a time, as
// nlohmann::ordered_json's dump(indent, ' ', false, error_handler_t::replace) would print the
// whole object: reports of tens of thousands of findings are never held as one JSON tree or one
// text. The JSON report is such an object; SARIF's run object is one inside the log's `runs`.
#pragma once

#include "source/block_writer.hpp"
#include "source/json_string.hpp"
#include "source/parallel.hpp"
#include "source/source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

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
        write(value, pretty() ? static_cast<size_t>(indent_) * (base_ + depth) : 0);
    }
    // VALUE as dump prints it where its `{`/`[` stands at nesting LEVEL of the document: its
    // other lines indented by that many levels (what a worker thread renders for element_text).
    static std::string dump_at(const Json& value, int indent, unsigned level) {
        std::string text;
        append_dumped(text, value, indent, indent < 0 ? 0 : static_cast<size_t>(indent) * level);
        return text;
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
    // An element written member by member straight into the output, as element() would print
    // the same value (no Json tree: a report of tens of thousands of findings spent a third of
    // its time building and freeing them). write(Members&) is called with the writer.
    class Members;
    template <typename Write> void element_members(Write&& write);
    // COUNT elements, element i written by write(Members&, i): the text of element_members
    // called for each in order. A long array (tens of thousands of findings) is rendered in
    // batches on the work threads (source/parallel.hpp), a few batches at a time so that the
    // rendered text held stays small, and appended in order.
    template <typename Write> void elements_members(size_t count, Write&& write);
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
    // A part of an array's elements, kept as text (elements_members).
    StreamedObject(int indent, unsigned base) : indent_(indent), base_(base) {}

    // VALUE as dump(indent_, ' ', false, replace) prints it, its nested lines indented by CURRENT
    // more spaces (its own `{` already placed). Written straight into the block, not through a
    // dumped string re-indented line by line: reports of tens of thousands of findings spent
    // most of their time there.
    void write(const Json& value, size_t current) {
        std::string& text = out();
        switch (value.type()) {
        case Json::value_t::object:
        case Json::value_t::array: {
            const bool object = value.is_object();
            if (value.empty()) {
                text += object ? "{}" : "[]";
                return;
            }
            text += object ? '{' : '[';
            const size_t inner = current + (pretty() ? static_cast<size_t>(indent_) : 0);
            bool first = true;
            for (auto it = value.begin(); it != value.end(); ++it) {
                if (!first) text += ',';
                first = false;
                if (pretty()) {
                    text += '\n';
                    text.append(inner, ' ');
                }
                if (object) {
                    write_string(it.key());
                    text += pretty() ? ": " : ":";
                }
                write(*it, inner);
            }
            if (pretty()) {
                text += '\n';
                text.append(current, ' ');
            }
            text += object ? '}' : ']';
            return;
        }
        case Json::value_t::string:
            write_string(value.get_ref<const Json::string_t&>());
            return;
        case Json::value_t::boolean:
            text += value.get<bool>() ? "true" : "false";
            return;
        case Json::value_t::null:
            text += "null";
            return;
        case Json::value_t::number_integer:
            write_number(value.get<Json::number_integer_t>());
            return;
        case Json::value_t::number_unsigned:
            write_number(value.get<Json::number_unsigned_t>());
            return;
        default: // floats (their shortest form is nlohmann's), binary: as dump prints them
            write_dumped(value, current);
            return;
        }
    }
    void write_string(std::string_view s) { append_json_string(out(), s); }
    template <typename Number> void write_number(Number n) {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
        out().append(digits, end);
    }
    // dump's own text, its newlines followed by CURRENT spaces.
    void write_dumped(const Json& value, size_t current) {
        append_dumped(out(), value, indent_, current);
    }
    static void append_dumped(std::string& out, const Json& value, int indent, size_t current) {
        const std::string text = value.dump(indent, ' ', false, Json::error_handler_t::replace);
        for (size_t pos = 0;;) {
            const size_t nl = text.find('\n', pos);
            out.append(text, pos, nl == std::string::npos ? std::string::npos : nl + 1 - pos);
            if (nl == std::string::npos) break;
            out.append(current, ' ');
            pos = nl + 1;
        }
    }
    bool pretty() const { return indent_ >= 0; }
    std::string& out() { return writer_.text(); }
    void pad(unsigned depth) {
        append_spaces(out(), static_cast<size_t>(indent_) * (base_ + depth));
    }
    // Indentation, copied from a string of spaces: append(n, ' ') is a call that fills byte by
    // byte, and a report indents every line.
    static void append_spaces(std::string& text, size_t n) {
        static constexpr std::string_view kSpaces = "                                ";
        for (; n > kSpaces.size(); n -= kSpaces.size())
            text += kSpaces;
        text.append(kSpaces.data(), n);
    }
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

// Values and nested objects and arrays, written as dump would print them, opened at
// indentation CURRENT.
class StreamedObject::Members {
  public:
    Members(StreamedObject& object, size_t current) : object_(object), current_(current) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    // The next member of the innermost object: `"name": `.
    // The reports' keys are plain ASCII names: no escaping to look for, one append (a finding
    // has a dozen keys).
    void key(std::string_view name) {
        next();
        std::string& text = object_.out();
        const size_t at = text.size();
        text.resize(at + name.size() + 4);
        char* p = text.data() + at;
        *p++ = '"';
        std::memcpy(p, name.data(), name.size());
        p += name.size();
        *p++ = '"';
        *p++ = ':';
        if (object_.pretty())
            *p = ' ';
        else
            text.pop_back();
        pending_key_ = true;
    }
    void string(std::string_view text) {
        next();
        object_.write_string(text);
    }
    void number(uint64_t n) {
        next();
        object_.write_number(n);
    }
    void boolean(bool b) {
        next();
        object_.out() += b ? "true" : "false";
    }
    void null() {
        next();
        object_.out() += "null";
    }

  private:
    // Before a value: after a key nothing; in an array, the comma and the new line.
    void next() {
        if (pending_key_) {
            pending_key_ = false;
            return;
        }
        if (counts_.empty()) return; // the element itself
        const bool comma = counts_.back()++ > 0;
        if (!object_.pretty()) {
            if (comma) object_.out() += ',';
            return;
        }
        // `,` (after the first), the newline and the indentation in one append.
        static constexpr std::string_view kBreak = ",\n                                "
                                                   "                                ";
        const size_t spaces = indent(counts_.size());
        if (spaces + 2 <= kBreak.size()) {
            object_.out().append(kBreak.data() + !comma, spaces + 1 + comma);
            return;
        }
        if (comma) object_.out() += ',';
        object_.out() += '\n';
        append_spaces(object_.out(), spaces);
    }
    void open(char bracket) {
        next();
        object_.out() += bracket;
        counts_.push_back(0);
    }
    void close(char bracket) {
        const bool empty = counts_.back() == 0;
        counts_.pop_back();
        if (!empty && object_.pretty()) {
            object_.out() += '\n';
            append_spaces(object_.out(), indent(counts_.size()));
        }
        object_.out() += bracket;
    }
    size_t indent(size_t depth) const {
        return current_ + depth * static_cast<size_t>(std::max(object_.indent_, 0));
    }

    StreamedObject& object_;
    size_t current_;
    std::vector<size_t> counts_; // members or elements so far, per open object or array
    bool pending_key_ = false;
};

template <typename Write> void StreamedObject::elements_members(size_t count, Write&& write) {
    // About the size of a finding's element: the array is split when a text of that many bytes
    // an element would be (parallel_parts), in batches of at most 64 elements (about 50 KB).
    constexpr size_t kElementBytes = 768;
    if (parallel_parts(count * kElementBytes) <= 1) {
        for (size_t i = 0; i < count; ++i)
            element_members([&](Members& out) { write(out, i); });
        return;
    }
    const size_t batch =
        std::clamp<size_t>(parallel_min_bytes() / kElementBytes / 8, size_t{1}, size_t{64});
    const size_t batches = (count + batch - 1) / batch;
    const size_t window = 4 * static_cast<size_t>(work_threads());
    std::vector<std::string> texts(window);
    const size_t before = elements_;
    run_ordered(
        batches, window,
        [&](size_t b) {
            StreamedObject part(indent_, base_);
            const size_t first = b * batch, last = std::min(count, first + batch);
            part.elements_ = before + first; // its first element's comma, if it has one
            for (size_t i = first; i < last; ++i)
                part.element_members([&](Members& out) { write(out, i); });
            texts[b % window] = std::move(part.out());
        },
        [&](size_t b) {
            out() += texts[b % window];
            std::string().swap(texts[b % window]);
            writer_.maybe_flush();
        });
    elements_ = before + count;
}

template <typename Write> void StreamedObject::element_members(Write&& write) {
    if (elements_++ > 0) out() += ',';
    newline(2);
    Members members(*this, pretty() ? static_cast<size_t>(indent_) * (base_ + 2) : 0);
    write(members);
    writer_.maybe_flush();
}

} // namespace smaudit::report
