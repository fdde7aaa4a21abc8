// A syntax code (SM-E...): a diagnostic a parser or the model builder reports about a line
// sendmail, m4, makemap or newaliases would reject or misread. Each parser keeps the table of its
// own codes beside the code that emits them; the rule registry merges the tables so the codes
// are listed, explained and selectable like rules (docs/rules/<id>.md is each one's page).
#pragma once

#include "diag/diagnostic.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit {

struct SyntaxCode {
    std::string_view id;      // "SM-E003"
    std::string_view name;    // "malformed-rule"
    Severity severity;        // default; one diagnostic may carry another (its message says why)
    std::string_view summary; // one line; empty: the registry takes its doc page's first line
    // sendmail refuses a .cf with this error: it reports the line and exits instead of starting
    // (a daemon does not start, or exits when restarted; `-bs` answers 554; only `-bt` goes on
    // without the line). Each such diagnostic's message says so (make_syntax_diagnostic), and
    // the audit does not grade such a configuration (docs/scoring.md).
    bool stops_sendmail = false;
    // The title of the safe fix its diagnostics carry (the registry's fix kind); empty: none.
    std::string_view safe_fix = {};
};

// What a diagnostic of a code that stops sendmail adds to its message.
inline constexpr std::string_view kStopsSendmail = "; sendmail refuses to start with it";

inline Diagnostic make_syntax_diagnostic(const SyntaxCode& code, Location where,
                                         std::string message, std::string label = {}) {
    Diagnostic d;
    d.rule_id = std::string(code.id);
    d.rule_name = std::string(code.name);
    d.pack = Pack::Syntax;
    d.severity = code.severity;
    d.message = std::move(message);
    if (code.stops_sendmail) d.message += kStopsSendmail;
    d.where = where;
    d.label = std::move(label);
    return d;
}

// One file's syntax diagnostics, capped: a file of garbage (a million bad lines) must not turn
// into a million diagnostics. The first kMaxPerFile are kept; of the rest only the first is held
// back, and finish() reports it with the count of the others. The cf and map parsers share it.
class SyntaxSink {
  public:
    static constexpr size_t kMaxPerFile = 1000;

    explicit SyntaxSink(std::vector<Diagnostic>& out, size_t max = kMaxPerFile)
        : out_(out), max_(max) {}
    SyntaxSink(const SyntaxSink&) = delete;
    SyntaxSink& operator=(const SyntaxSink&) = delete;

    // The stored diagnostic, for the caller to add notes or a fix to; past the cap a scratch
    // one that is dropped.
    Diagnostic& add(Diagnostic d) {
        if (kept_ < max_) {
            ++kept_;
            return out_.emplace_back(std::move(d));
        }
        if (suppressed_++ == 0) first_suppressed_ = std::move(d);
        scratch_ = Diagnostic{};
        return scratch_;
    }
    Diagnostic& add(const SyntaxCode& code, Location where, std::string message,
                    std::string label = {}) {
        return add(make_syntax_diagnostic(code, where, std::move(message), std::move(label)));
    }
    // Takes what `part` was given (the diagnostics of a later part of the same file, read on
    // another thread) as if they had been added here one by one, in order.
    void absorb(SyntaxSink& part) {
        for (Diagnostic& d : part.out_)
            add(std::move(d));
        part.out_.clear();
        part.kept_ = 0;
        if (!part.first_suppressed_) return;
        add(std::move(*part.first_suppressed_));
        part.first_suppressed_.reset();
        suppressed_ += part.suppressed_ - 1; // the rest: counted, as add() would have
        part.suppressed_ = 0;
    }
    // Reports the held-back diagnostic, if any, with the count of those not reported.
    void finish() {
        if (!first_suppressed_) return;
        Diagnostic last = std::move(*first_suppressed_);
        first_suppressed_.reset();
        last.message += " (and " + std::to_string(suppressed_ - 1) +
                        " more syntax errors in this file, not reported after the first " +
                        std::to_string(max_) + ")";
        out_.push_back(std::move(last));
    }

  private:
    std::vector<Diagnostic>& out_;
    size_t max_;
    size_t kept_ = 0, suppressed_ = 0;
    std::optional<Diagnostic> first_suppressed_;
    Diagnostic scratch_;
};

} // namespace smaudit
