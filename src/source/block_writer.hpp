// Text made piece by piece (a map's entry, a report's finding) and written to a stream in blocks
// of about 64 KB: a long output is never held as one string, and the stream is not called for
// every small piece.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace smaudit {

class BlockWriter {
  public:
    explicit BlockWriter(std::ostream& stream) : stream_(&stream) { text_.reserve(2 * kBlock); }
    // No stream: everything stays in text() (a part of a report rendered on another thread).
    BlockWriter() = default;
    BlockWriter(const BlockWriter&) = delete;
    BlockWriter& operator=(const BlockWriter&) = delete;
    ~BlockWriter() { flush(); }

    // Append to this; what is there goes to the stream at the next flush.
    std::string& text() { return text_; }
    // Called after each piece.
    void maybe_flush() {
        if (text_.size() >= kBlock) flush();
    }
    void flush() {
        if (stream_ == nullptr) return;
        stream_->write(text_.data(), static_cast<std::streamsize>(text_.size()));
        text_.clear();
    }

  private:
    static constexpr size_t kBlock = 64 * 1024;
    std::ostream* stream_ = nullptr;
    std::string text_;
};

} // namespace smaudit
