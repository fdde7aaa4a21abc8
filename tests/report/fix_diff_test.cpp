// unified_diff (src/fix/diff.hpp): the text `smaudit audit --diff` prints. The small cases were
// checked by hand against `diff -u`; the random ones are applied back with the real `patch`.
#include "../support/run_command.hpp"
#include "../support/temp_dir.hpp"
#include "fix/diff.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace smaudit;

TEST_CASE("one changed line: git-style headers, three lines of context") {
    CHECK(unified_diff("a.mc", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nV\n6\n7\n8\n9\n") ==
          "diff --git a/a.mc b/a.mc\n--- a/a.mc\n+++ b/a.mc\n"
          "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n");
}

TEST_CASE("equal texts give no diff") {
    CHECK(unified_diff("a.mc", "x\n", "x\n").empty());
    CHECK(unified_diff("a.mc", "", "").empty());
}

TEST_CASE("changes more than six lines apart are separate hunks; closer ones share one") {
    std::string before, far, near;
    for (int i = 1; i <= 20; ++i)
        before += std::to_string(i) + "\n";
    far = before;
    far.replace(far.find("2\n"), 2, "two\n");
    far.replace(far.find("\n19\n") + 1, 3, "nineteen\n");
    CHECK(unified_diff("f", before, far) ==
          "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
          "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
          "@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n");
    near = before;
    near.replace(near.find("\n3\n") + 1, 2, "three\n");
    near.replace(near.find("\n9\n") + 1, 2, "nine\n");
    CHECK(unified_diff("f", before, near) ==
          "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
          "@@ -1,12 +1,12 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n");
}

TEST_CASE("insertions, an empty side, and a last line without a newline") {
    CHECK(unified_diff("f", "", "a\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
                                          "@@ -0,0 +1 @@\n+a\n");
    CHECK(unified_diff("f", "a\nb", "a\nb\nc\n") ==
          "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
          "@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
    CHECK(unified_diff("f", "a\nb\n", "a\nnew\nb\n") == "diff --git a/f b/f\n--- a/f\n+++ b/f\n"
                                                        "@@ -1,2 +1,3 @@\n a\n+new\n b\n");
}

TEST_CASE("random edits: the real patch turns the old text into the new one") {
    if (run_command("command -v patch >/dev/null 2>&1").code != 0) {
        MESSAGE("skipped: no patch");
        return;
    }
    std::mt19937 random(9);
    const char* words[] = {"dnl x\n", "define(`a', `b')dnl\n", "\n", "O X=1\n", "# c\n"};
    for (int round = 0; round < 60; ++round) {
        CAPTURE(round);
        std::vector<std::string> lines;
        for (int i = 0, n = static_cast<int>(random() % 40); i < n; ++i)
            lines.push_back(words[random() % 5]);
        std::vector<std::string> edited = lines;
        for (int e = 0, n = static_cast<int>(random() % 5); e < n; ++e) {
            size_t at = edited.empty() ? 0 : random() % (edited.size() + 1);
            switch (random() % 3) {
            case 0:
                edited.insert(edited.begin() + static_cast<long>(at),
                              "new " + std::to_string(e) + "\n");
                break;
            case 1:
                if (at < edited.size()) edited.erase(edited.begin() + static_cast<long>(at));
                break;
            default:
                if (at < edited.size()) edited[at] = "changed " + std::to_string(e) + "\n";
            }
        }
        std::string before, after;
        for (const std::string& l : lines)
            before += l;
        for (const std::string& l : edited)
            after += l;
        if (round % 7 == 3 && !after.empty()) after.pop_back(); // no newline at the end
        const std::string diff = unified_diff("f.mc", before, after);
        CHECK(diff.empty() == (before == after));
        if (diff.empty()) continue;
        const TempDir dir("smaudit-diff");
        std::ofstream(dir.path / "f.mc", std::ios::binary) << before;
        std::ofstream(dir.path / "d.patch", std::ios::binary) << diff;
        CommandResult r =
            run_command("cd '" + dir.path.string() + "' && patch -s -p1 < d.patch 2>&1");
        CHECK_MESSAGE(r.code == 0, r.out << diff);
        std::ifstream in(dir.path / "f.mc", std::ios::binary);
        std::ostringstream patched;
        patched << in.rdbuf();
        CHECK_MESSAGE(patched.str() == after, diff);
    }
}
