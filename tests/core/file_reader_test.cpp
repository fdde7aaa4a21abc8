// The one reader (source/file_reader.hpp): only regular files, refused before anything blocks.
#include "../support/temp_dir.hpp"
#include "source/file_reader.hpp"
#include "source/source.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace smaudit;
namespace fs = std::filesystem;

TEST_CASE("a regular file is read whole; a missing one says so") {
    TempDir dir;
    std::ofstream(dir.path / "a") << "hello\n";
    FileRead read = read_regular_file((dir.path / "a").string());
    REQUIRE(read.ok());
    CHECK(read.text == "hello\n");
    std::ofstream(dir.path / "empty");
    CHECK(read_regular_file((dir.path / "empty").string()).ok());
    CHECK(read_regular_file((dir.path / "empty").string()).text.empty());
    CHECK(read_regular_file((dir.path / "none").string()).status == FileRead::Status::Missing);
    CHECK(read_regular_file((dir.path / "a/below").string()).status == FileRead::Status::Missing);
}

TEST_CASE("FIFOs, devices, sockets and directories are refused without blocking") {
    TempDir dir;
    const std::string fifo = (dir.path / "fifo").string();
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    // Without a writer, opening a FIFO for reading waits forever: refused on stat alone.
    FileRead read = read_regular_file(fifo);
    CHECK(read.status == FileRead::Status::NotRegular);
    CHECK(read.error == "is a FIFO (named pipe), not a regular file: not read");
    CHECK(check_regular_file(fifo).status == FileRead::Status::NotRegular);

    CHECK(read_regular_file("/dev/zero").error ==
          "is a character device, not a regular file: not read");
    CHECK(read_regular_file("/dev/null").status == FileRead::Status::NotRegular);
    CHECK(read_regular_file(dir.path.string()).error ==
          "is a directory, not a regular file: not read");

    // A symbolic link to a FIFO is the FIFO.
    fs::create_symlink(fifo, dir.path / "link");
    CHECK(read_regular_file((dir.path / "link").string()).status == FileRead::Status::NotRegular);

    const std::string socket_path = (dir.path / "sock").string();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(socket_path.size() < sizeof address.sun_path);
    std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    CHECK(read_regular_file(socket_path).error == "is a socket, not a regular file: not read");
    ::close(fd);
}

TEST_CASE("a file over the limit is refused before a byte is read (a 1 GB sparse file)") {
    TempDir dir;
    const std::string sparse = (dir.path / "sparse").string();
    { std::ofstream out(sparse); }
    REQUIRE(::truncate(sparse.c_str(), off_t{1} << 30) == 0); // no blocks written
    FileRead read = read_regular_file(sparse);
    CHECK(read.status == FileRead::Status::TooBig);
    CHECK(read.error == "is 1073741824 bytes, larger than the 268435456 bytes smaudit reads of "
                        "one file");
    CHECK(read.text.empty());
    // The limit is the caller's: 5 bytes of "hello\n" are too many for 5.
    std::ofstream(dir.path / "a") << "hello\n";
    CHECK(read_regular_file((dir.path / "a").string(), 5).status == FileRead::Status::TooBig);
    CHECK(read_regular_file((dir.path / "a").string(), 6).ok());
}

TEST_CASE("columns of a long ASCII line with UTF-8 in it are counted by code point") {
    std::string line(1000, 'a');
    line += "\xc3\xa9";
    line += std::string(1001, 'b');
    line += '\xff'; // invalid: one column
    CHECK(count_columns(line) == 1000 + 1 + 1001 + 1);
    CHECK(count_columns(std::string(7, 'x')) == 7);
    CHECK(count_columns("") == 0);
}

TEST_CASE("an overlong line is placed at its first byte past the limit, by code point") {
    CHECK(overlong_line("short\nlines\n", 8).line == 0);
    CHECK(overlong_line("12345678\n", 8).message.empty()); // exactly the limit is read
    // Line 2: "é" is 2 bytes, so the limit of 8 bytes ends after "éabcdef" (7 code points);
    // the first byte past it, "g", is column 8.
    OverlongLine over = overlong_line("ok\n\xC3\xA9"
                                      "abcdefgh\nmore\n",
                                      8);
    CHECK(over.line == 2);
    CHECK(over.column == 8);
    CHECK(over.message ==
          "line 2 is 10 bytes, longer than the 8 bytes smaudit reads of one line: not read");
}

// overlong_line checks a window of max_line bytes at a time; the first line longer than
// max_line, and its length, must be the ones a line-by-line reading finds.
TEST_CASE("the first overlong line is found wherever it lies against the windows") {
    auto line_by_line = [](std::string_view text, size_t max_line) -> std::string {
        size_t line = 1;
        for (size_t at = 0; at < text.size(); ++line) {
            const size_t end = std::min(text.find('\n', at), text.size());
            if (end - at > max_line)
                return "line " + std::to_string(line) + " is " + std::to_string(end - at) +
                       " bytes, longer than the " + std::to_string(max_line) +
                       " bytes smaudit reads of one line: not read";
            at = end + 1;
        }
        return {};
    };
    const size_t max_line = 10;
    int overlong = 0;
    for (size_t before = 0; before < 40; ++before)
        for (size_t length = 8; length < 14; ++length)
            for (const bool newline_after : {true, false}) {
                // Lines of 0 to 10 bytes, then one of `length` bytes, then short ones again.
                std::string text;
                for (size_t i = 0; i < before; ++i)
                    text += std::string(i % 11, 'a') + "\n";
                text += std::string(length, 'b');
                if (newline_after) text += "\nshort\n" + std::string(max_line, 'c');
                const std::string expected = line_by_line(text, max_line);
                CHECK(overlong_line(text, max_line).message == expected);
                overlong += !expected.empty();
            }
    CHECK(overlong == 40 * 3 * 2); // lengths 11, 12 and 13
    CHECK(overlong_line("", max_line).message.empty());
    CHECK(overlong_line(std::string(max_line, 'x'), max_line).message.empty());
    CHECK(overlong_line(std::string(max_line + 1, 'x'), max_line).message ==
          "line 1 is 11 bytes, longer than the 10 bytes smaudit reads of one line: not read");
}
