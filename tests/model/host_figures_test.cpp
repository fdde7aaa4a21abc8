// Host figures (src/analyze/host_figures.hpp): sizes as the command line takes them, the order
// given > this machine (live audits only) > assumption, and what counts as the live /etc/mail.
// The machine is a fake probe, so nothing here depends on the machine the tests run on.
#include "analyze/host_figures.hpp"

#include "../support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace smaudit::analyze;

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30, kMiB = uint64_t{1} << 20;

// A machine with 16 CPUs, 64 GiB and a 100 GiB queue file system of 1 KiB blocks.
class FakeMachine : public HostProbe {
  public:
    bool says = true;
    mutable std::string measured;
    std::optional<uint64_t> cpus() const override {
        return says ? std::optional<uint64_t>(16) : std::nullopt;
    }
    std::optional<uint64_t> memory() const override {
        return says ? std::optional<uint64_t>(64 * kGiB) : std::nullopt;
    }
    std::optional<FileSystemSize> file_system(const std::string& directory) const override {
        measured = directory;
        if (!says) return std::nullopt;
        return FileSystemSize{100 * kGiB, 1024, directory};
    }
};

uint64_t size_of(std::string_view text, uint64_t minimum = 0) {
    std::string error;
    std::optional<uint64_t> size = parse_size(text, minimum, error);
    INFO(text, ": ", error);
    REQUIRE(size);
    return *size;
}

std::string size_error(std::string_view text, uint64_t minimum = 0) {
    std::string error;
    CHECK_FALSE(parse_size(text, minimum, error));
    return error;
}

} // namespace

TEST_CASE("sizes: a number and a binary unit, written as people write them") {
    CHECK(size_of("8G") == 8 * kGiB);
    CHECK(size_of("8g") == 8 * kGiB);
    CHECK(size_of("8GiB") == 8 * kGiB);
    CHECK(size_of("8GB") == 8 * kGiB);
    CHECK(size_of("512M") == 512 * kMiB);
    CHECK(size_of("1.5T") == 1536 * kGiB);
    CHECK(size_of("2048K") == 2 * kMiB);
    CHECK(size_of("1P") == uint64_t{1} << 50);
    CHECK(size_of("4096") == 4096); // bytes
    CHECK(size_of("4096B") == 4096);
    CHECK(size_of(".5G") == kGiB / 2);
}

TEST_CASE("sizes: what is refused, and why") {
    CHECK(size_error("").find("not a size") != std::string::npos);
    CHECK(size_error("G").find("not a size") != std::string::npos);
    CHECK(size_error("8X").find("unknown unit `x`") != std::string::npos);
    CHECK(size_error("8 G").find("unknown unit") != std::string::npos);
    CHECK(size_error("8Gx").find("unknown unit `gx`") != std::string::npos);
    CHECK(size_error("-8G").find("not a size") != std::string::npos);
    CHECK(size_error("99999999999999999999").find("too large") != std::string::npos);
    CHECK(size_error("20000000P").find("too large") != std::string::npos);
    // A bare number counts bytes: `--memory 8` is surely not what was meant.
    CHECK(size_error("8", kMiB) == "`8` is 8 bytes: a number without a unit counts bytes (did "
                                   "you mean 8G?)");
    CHECK(size_error("512K", kMiB) == "`512K` is 512 KiB, less than 1 MiB");
}

TEST_CASE("format_size: the largest unit, one decimal at most") {
    CHECK(format_size(0) == "0 bytes");
    CHECK(format_size(1) == "1 byte");
    CHECK(format_size(1023) == "1023 bytes");
    CHECK(format_size(1024) == "1 KiB");
    CHECK(format_size(400 * 1024) == "400 KiB");
    CHECK(format_size(4 * kGiB) == "4 GiB");
    CHECK(format_size(kGiB + kGiB / 2) == "1.5 GiB");
    CHECK(format_size(kGiB + kGiB / 4) == "1.3 GiB");      // 1.25 rounds half up
    CHECK(format_size(2 * kGiB - 1) == "2 GiB");           // 1.99... rounds to the next whole
    CHECK(format_size(1023 * kMiB + kMiB / 2) == "1 GiB"); // 1023.5 MiB rounds to 1024 MiB
    CHECK(format_size(1023 * kMiB) == "1023 MiB");
    CHECK(format_size(150 * kGiB + kGiB / 3) == "150 GiB"); // no decimals from 100 up
    CHECK(format_size(150 * kGiB + kGiB / 2) == "151 GiB");
    CHECK(format_size(UINT64_MAX) == "16 EiB");
}

TEST_CASE("figures: given ones win, then the machine of a live audit, then the assumption") {
    FakeMachine machine;
    // Not a live audit: the machine is not asked.
    HostFigures copy = resolve_host_figures({}, nullptr, "/var/spool/mqueue");
    CHECK(copy.cpus.value == kAssumedCpus);
    CHECK(copy.cpus.source == FigureSource::Assumed);
    CHECK(copy.memory.value == kAssumedMemory);
    CHECK(copy.queue_fs.value == kAssumedQueueFs);
    CHECK(copy.block_size == kAssumedBlockSize);
    CHECK_FALSE(copy.block_size_measured);
    CHECK(describe_cpus(copy.cpus) == "4 CPUs (assumed for a general-purpose MX; give --cpus)");
    CHECK(describe_memory(copy.memory) ==
          "4 GiB of memory (assumed for a general-purpose MX; give --memory)");
    CHECK(describe_queue_fs(copy.queue_fs) ==
          "a 20 GiB queue file system (assumed for a general-purpose MX; give --queue-fs-size)");

    // A live audit: the machine's own figures, and the queue directory it measured.
    HostFigures live = resolve_host_figures({}, &machine, "/var/spool/mqueue/q*");
    CHECK(machine.measured == "/var/spool/mqueue");
    CHECK(live.cpus.value == 16);
    CHECK(live.cpus.source == FigureSource::ThisHost);
    CHECK(describe_cpus(live.cpus) ==
          "16 CPUs (online on this host, which runs the audited /etc/mail)");
    CHECK(live.memory.value == 64 * kGiB);
    CHECK(describe_memory(live.memory) ==
          "64 GiB of memory (MemTotal of this host's /proc/meminfo)");
    CHECK(live.queue_fs.value == 100 * kGiB);
    CHECK(live.block_size == 1024);
    CHECK(live.block_size_measured);
    CHECK(describe_queue_fs(live.queue_fs) ==
          "a 100 GiB queue file system (statvfs of /var/spool/mqueue)");

    // Given figures win even in a live audit; the block size is still the machine's.
    GivenFigures given{2, 8 * kGiB, 50 * kGiB};
    HostFigures both = resolve_host_figures(given, &machine, "");
    CHECK(describe_cpus(both.cpus) == "2 CPUs (--cpus 2)");
    CHECK(describe_memory(both.memory) == "8 GiB of memory (--memory 8 GiB)");
    CHECK(describe_queue_fs(both.queue_fs) ==
          "a 50 GiB queue file system (--queue-fs-size 50 GiB)");
    CHECK(both.block_size == kAssumedBlockSize);

    // A machine that cannot say: the assumption, and why.
    machine.says = false;
    HostFigures mute = resolve_host_figures({}, &machine, "/srv/queue");
    CHECK(mute.cpus.source == FigureSource::Assumed);
    CHECK(mute.cpus.value == kAssumedCpus);
    CHECK(describe_queue_fs(mute.queue_fs) ==
          "a 20 GiB queue file system (assumed: statvfs of /srv/queue failed on this host; give "
          "--queue-fs-size)");
}

TEST_CASE("the queue directory measured: the configuration's, cut before a wildcard") {
    CHECK(queue_directory_to_measure("") == "/var/spool/mqueue");
    CHECK(queue_directory_to_measure("/var/spool/mqueue") == "/var/spool/mqueue");
    CHECK(queue_directory_to_measure("/var/spool/mqueue/q*") == "/var/spool/mqueue");
    CHECK(queue_directory_to_measure("/q*") == "/");
    CHECK(queue_directory_to_measure("mqueue") == "/var/spool/mqueue"); // relative: the build's
    CHECK(queue_directory_to_measure("/srv/mail/queue ") == "/srv/mail/queue");
}

TEST_CASE("the real machine answers with something plausible, or nothing") {
    HostProbe probe;
    if (auto cpus = probe.cpus()) CHECK(*cpus >= 1);
    if (auto memory = probe.memory()) CHECK(*memory >= kMiB);
    TempDir dir;
    // A queue directory not made yet is measured on the file system it will be made on.
    if (auto fs = probe.file_system((dir.path / "not" / "yet").string())) {
        CHECK(fs->path == dir.path.string());
        CHECK(fs->bytes > 0);
        CHECK(fs->block_size > 0);
    }
}

TEST_CASE("the live configuration is one in /etc/mail, symbolic links resolved") {
    CHECK(is_live_config("/etc/mail/sendmail.cf"));
    CHECK(is_live_config("/etc/mail/sendmail.mc"));
    CHECK(is_live_config("/etc/mail/../mail/submit.cf"));
    CHECK_FALSE(is_live_config("/etc/mail/sub/sendmail.cf"));
    CHECK_FALSE(is_live_config("/etc/sendmail.cf"));
    CHECK_FALSE(is_live_config("/srv/backup/etc/mail/sendmail.cf"));
    // A link to a live file from elsewhere is the live file.
    TempDir dir;
    std::error_code ec;
    std::filesystem::create_symlink("/etc/mail", dir.path / "mail", ec);
    if (!ec && std::filesystem::is_directory("/etc/mail"))
        CHECK(is_live_config((dir.path / "mail" / "sendmail.cf").string()));
    // A copy is not.
    std::ofstream(dir.path / "sendmail.cf") << "V10/Berkeley\n";
    CHECK_FALSE(is_live_config((dir.path / "sendmail.cf").string()));
}
