// run_parallel and run_ordered (source/parallel.hpp): every task once, results taken in order,
// a task's exception passed to the caller, no nesting from inside a task.
#include "source/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

using namespace smaudit;

namespace {

struct Threads {
    explicit Threads(unsigned n) { set_work_threads(n); }
    ~Threads() { set_work_threads(0); }
};

} // namespace

TEST_CASE("run_parallel runs each task once, on up to the work threads") {
    for (unsigned threads : {1u, 2u, 5u}) {
        CAPTURE(threads);
        const Threads set(threads);
        std::vector<std::atomic<int>> runs(1000);
        run_parallel(runs.size(), [&](size_t i) { ++runs[i]; });
        for (const auto& r : runs)
            CHECK(r == 1);
        run_parallel(0, [&](size_t) { FAIL("no task"); });
    }
}

TEST_CASE("run_parallel: inside a task, work_threads is 1 and nested calls run in place") {
    const Threads set(4);
    CHECK(work_threads() == 4);
    std::atomic<int> inner_threads{0}, nested{0};
    run_parallel(8, [&](size_t) {
        inner_threads += static_cast<int>(work_threads());
        run_parallel(3, [&](size_t) { ++nested; });
    });
    CHECK(inner_threads == 8);
    CHECK(nested == 24);
    CHECK(work_threads() == 4);
}

TEST_CASE("run_parallel passes a task's exception on after the others finish") {
    const Threads set(3);
    std::atomic<int> done{0};
    CHECK_THROWS_WITH(run_parallel(50,
                                   [&](size_t i) {
                                       if (i == 17) throw std::runtime_error("task 17");
                                       ++done;
                                   }),
                      "task 17");
    CHECK(done == 49);
}

TEST_CASE("run_ordered takes every item in order, made at most a window ahead") {
    for (unsigned threads : {1u, 2u, 4u}) {
        for (size_t window : {size_t{1}, size_t{3}, size_t{16}}) {
            CAPTURE(threads);
            CAPTURE(window);
            const Threads set(threads);
            const size_t count = 500;
            std::vector<std::string> slots(window);
            std::atomic<size_t> taken{0};
            std::atomic<bool> too_far{false};
            std::string joined;
            run_ordered(
                count, window,
                [&](size_t i) {
                    if (i >= taken + window) too_far = true;
                    slots[i % window] = std::to_string(i) + ",";
                },
                [&](size_t i) {
                    joined += slots[i % window];
                    taken = i + 1;
                });
            std::string expected;
            for (size_t i = 0; i < count; ++i)
                expected += std::to_string(i) + ",";
            CHECK(joined == expected);
            CHECK_FALSE(too_far);
        }
    }
}

TEST_CASE("run_ordered passes an exception of make or take on") {
    const Threads set(2);
    CHECK_THROWS_WITH(run_ordered(
                          100, 4,
                          [](size_t i) {
                              if (i == 40) throw std::runtime_error("make 40");
                          },
                          [](size_t) {}),
                      "make 40");
    size_t last = 0;
    CHECK_THROWS_WITH(run_ordered(
                          100, 4, [](size_t) {},
                          [&](size_t i) {
                              last = i;
                              if (i == 10) throw std::runtime_error("take 10");
                          }),
                      "take 10");
    CHECK(last == 10);
}
