#include "source/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace smaudit {

namespace {

std::atomic<unsigned> configured_threads{0}; // 0: one per core
// SMAUDIT_TEST_PARALLEL_MIN_BYTES: for tests of the whole program, which split small maps.
size_t initial_min_bytes() {
    if (const char* given = std::getenv("SMAUDIT_TEST_PARALLEL_MIN_BYTES"))
        return std::strtoull(given, nullptr, 10);
    return size_t{4} << 20;
}

std::atomic<size_t> min_bytes{initial_min_bytes()};
thread_local bool inside_task = false;

} // namespace

void set_work_threads(unsigned threads) {
    configured_threads = threads;
}

unsigned work_threads() {
    if (inside_task) return 1;
    const unsigned configured = configured_threads;
    return configured != 0 ? configured : std::max(1U, std::thread::hardware_concurrency());
}

size_t parallel_min_bytes() {
    return min_bytes;
}

void set_parallel_min_bytes(size_t bytes) {
    min_bytes = bytes;
}

size_t parallel_parts(size_t bytes) {
    return bytes < parallel_min_bytes() ? 1 : work_threads();
}

std::vector<size_t> cut_at_lines(std::string_view text, size_t parts) {
    std::vector<size_t> bounds{0};
    for (size_t k = 1; k < parts; ++k) {
        const size_t target = std::max(bounds.back(), text.size() / parts * k);
        const size_t nl = text.find('\n', target);
        bounds.push_back(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    bounds.push_back(text.size());
    return bounds;
}

void run_parallel(size_t count, const std::function<void(size_t)>& task) {
    const size_t threads = std::min<size_t>(work_threads(), count);
    if (threads <= 1) {
        for (size_t i = 0; i < count; ++i)
            task(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_lock;
    auto work = [&] {
        const bool was_inside = inside_task;
        inside_task = true;
        for (size_t i; (i = next++) < count;) {
            try {
                task(i);
            } catch (...) {
                const std::lock_guard<std::mutex> hold(failure_lock);
                if (!failure) failure = std::current_exception();
            }
        }
        inside_task = was_inside;
    };
    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (size_t i = 1; i < threads; ++i)
        helpers.emplace_back(work);
    work();
    for (std::thread& helper : helpers)
        helper.join();
    if (failure) std::rethrow_exception(failure);
}

void run_ordered(size_t count, size_t window, const std::function<void(size_t)>& make,
                 const std::function<void(size_t)>& take) {
    const size_t threads = std::min<size_t>(work_threads(), count);
    if (threads <= 1) {
        for (size_t i = 0; i < count; ++i) {
            make(i);
            take(i);
        }
        return;
    }
    window = std::max<size_t>(window, 1);
    std::mutex lock;
    std::condition_variable changed;
    size_t next = 0, taken = 0;
    std::vector<bool> ready(count);
    std::exception_ptr failure;
    // Makes item i (claimed under the lock), then marks it ready; false after a failure.
    auto make_one = [&](size_t i) {
        try {
            make(i);
        } catch (...) {
            const std::lock_guard<std::mutex> hold(lock);
            if (!failure) failure = std::current_exception();
            changed.notify_all();
            return false;
        }
        const std::lock_guard<std::mutex> hold(lock);
        ready[i] = true;
        changed.notify_all();
        return true;
    };
    auto claimable = [&] { return next < count && next < taken + window; };
    auto helper = [&] {
        inside_task = true;
        for (;;) {
            size_t i;
            {
                std::unique_lock<std::mutex> hold(lock);
                changed.wait(hold, [&] { return failure || next >= count || claimable(); });
                if (failure || next >= count) return;
                i = next++;
            }
            if (!make_one(i)) return;
        }
    };
    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (size_t t = 1; t < threads; ++t)
        helpers.emplace_back(helper);
    auto finish = [&] {
        {
            const std::lock_guard<std::mutex> hold(lock);
            next = count; // nothing more is claimed
            changed.notify_all();
        }
        for (std::thread& thread : helpers)
            thread.join();
    };
    const bool was_inside = inside_task;
    inside_task = true;
    for (size_t i = 0; i < count; ++i) {
        std::unique_lock<std::mutex> hold(lock);
        while (!ready[i] && !failure) {
            if (claimable()) { // make one too, rather than wait
                const size_t mine = next++;
                hold.unlock();
                make_one(mine);
                hold.lock();
                continue;
            }
            changed.wait(hold);
        }
        if (failure) break;
        hold.unlock();
        try {
            take(i);
        } catch (...) {
            hold.lock();
            if (!failure) failure = std::current_exception();
            break;
        }
        hold.lock();
        taken = i + 1;
        changed.notify_all();
    }
    inside_task = was_inside;
    finish();
    if (failure) std::rethrow_exception(failure);
}

} // namespace smaudit
