// Work on one large input (a million-line map) shared among threads: its parse in chunks, its
// rules, its report's findings. Results are always combined in the order a single thread would
// have produced them, so the output is the same for any number of threads.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace smaudit {

// Threads one input's work may use (`--jobs`; default: one per core). 1 runs everything on the
// calling thread. A fleet audits its hosts on threads of its own and sets 1.
void set_work_threads(unsigned threads);
unsigned work_threads();

// The input size, in bytes, from which a map's parse and report are split among threads:
// below it a thread's start (tens of microseconds) costs more than it saves. Tests lower it to
// reach the split with small inputs (the environment variable SMAUDIT_TEST_PARALLEL_MIN_BYTES
// sets it for a whole run).
size_t parallel_min_bytes();
void set_parallel_min_bytes(size_t bytes);

// How many parts an input of `bytes` is split into: 1 below parallel_min_bytes() or with one
// work thread, else the number of work threads.
size_t parallel_parts(size_t bytes);
// Pieces of work that many threads hand out among themselves: a few per thread, so that a
// thread the machine slows down (another process on its core) takes fewer.
inline size_t work_pieces(size_t threads) {
    return threads <= 1 ? 1 : 4 * threads;
}

// Where a text is cut into `parts` parts of about equal size, each starting at a line start:
// parts + 1 offsets, the first 0 and the last text.size() (a part may be empty).
std::vector<size_t> cut_at_lines(std::string_view text, size_t parts);

// Runs task(0) ... task(count - 1), on up to work_threads() threads (the caller's among them),
// each task once; returns when all are done. Tasks are handed out in order as threads become
// free. Called from inside a task, it runs everything on that thread (no nesting).
void run_parallel(size_t count, const std::function<void(size_t)>& task);

// Makes items 0 ... count - 1 with make(i) on the work threads, at most `window` items ahead
// of the calling thread, which hands each to take(i) in order (and makes items too while the
// next one is not ready): a long output rendered in parts on threads and written in order,
// with only a window of parts held.
void run_ordered(size_t count, size_t window, const std::function<void(size_t)>& make,
                 const std::function<void(size_t)>& take);

} // namespace smaudit
