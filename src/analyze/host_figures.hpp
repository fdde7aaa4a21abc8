// Host figures: what a good value of some options depends on — load-average thresholds on the
// number of CPUs, MaxDaemonChildren on memory, MinFreeBlocks on the size of the queue file
// system. Each figure comes, in this order, from
//   1. the command line: --cpus N, --memory SIZE, --queue-fs-size SIZE;
//   2. the machine smaudit runs on, when the audit is of the live /etc/mail (is_live_config):
//      the CPUs online (sysconf, as sendmail itself counts them), MemTotal of /proc/meminfo,
//      statvfs of the configuration's QueueDirectory;
//   3. the catalog's assumption for a general-purpose MX (kAssumed*), which the reader can
//      correct with the option.
// A finding that uses a figure says which one and where it came from (describe()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smaudit::analyze {

// The catalog's assumption (KB §4: "suggestions for a general-purpose MX on modern hardware").
inline constexpr uint64_t kAssumedCpus = 4;
inline constexpr uint64_t kAssumedMemory = uint64_t{4} << 30;   // 4 GiB
inline constexpr uint64_t kAssumedQueueFs = uint64_t{20} << 30; // 20 GiB
// The block MinFreeBlocks counts: sendmail uses the queue file system's own block size (statfs
// f_bsize on Linux), 4 KiB on ext4 and xfs as made by default.
inline constexpr uint64_t kAssumedBlockSize = 4096;

enum class FigureSource {
    Given,    // on the command line
    ThisHost, // read from the machine smaudit runs on (a live audit)
    Assumed,  // the catalog's assumption
};

struct HostFigure {
    uint64_t value = 0;
    FigureSource source = FigureSource::Assumed;
    // Where it came from, in words: "--cpus 8", "online on this host, as sendmail counts them",
    // "MemTotal of /proc/meminfo", "statvfs of /var/spool/mqueue", or for an assumption why
    // the machine's own figure was not used ("the catalog's assumption for a general-purpose
    // MX; give --cpus").
    std::string origin;
};

struct HostFigures {
    HostFigure cpus;
    HostFigure memory;   // bytes
    HostFigure queue_fs; // bytes: the size of the file system that holds the queue
    // Bytes per block of the queue file system, what MinFreeBlocks counts: measured by statvfs
    // with the size in a live audit, else kAssumedBlockSize.
    uint64_t block_size = kAssumedBlockSize;
    bool block_size_measured = false;
};

// The figures the command line gives.
struct GivenFigures {
    std::optional<uint64_t> cpus;
    std::optional<uint64_t> memory;
    std::optional<uint64_t> queue_fs;
};

// The size of a file system as statvfs reports it.
struct FileSystemSize {
    uint64_t bytes = 0;
    uint64_t block_size = 0;
    std::string path; // the directory that was measured
};

// What the machine smaudit runs on says. Tests pass their own to test the live path.
class HostProbe {
  public:
    virtual ~HostProbe() = default;
    virtual std::optional<uint64_t> cpus() const;
    virtual std::optional<uint64_t> memory() const;
    // The file system holding `directory`, or its nearest existing parent.
    virtual std::optional<FileSystemSize> file_system(const std::string& directory) const;
};

// Whether a configuration file is the live one: the directory it is in, symbolic links
// resolved, is /etc/mail. Only then does the machine smaudit runs on say anything about the
// host the configuration runs on. A copy audited elsewhere (a repository, a backup, CI) is
// judged with the command-line figures or the catalog's assumption, whatever its QueueDirectory
// names.
bool is_live_config(const std::string& path);

// The queue directory statvfs measures: the configuration's QueueDirectory (a value such as
// /var/spool/mqueue/q* is cut at its last '/' before the '*'), or the usual build's
// /var/spool/mqueue when it sets none.
std::string queue_directory_to_measure(std::string_view queue_directory);

// The figures for one configuration: given ones first, then the probe's (null: not a live
// audit), then the assumption.
HostFigures resolve_host_figures(const GivenFigures& given, const HostProbe* live,
                                 std::string_view queue_directory);
// The assumption alone (what rules use when the audit supplied nothing).
const HostFigures& assumed_host_figures();

// "8 CPUs (--cpus 8)", "4 GiB of memory (assumed: ...)", "a 20 GiB queue file system (...)".
std::string describe_cpus(const HostFigure& figure);
std::string describe_memory(const HostFigure& figure);
std::string describe_queue_fs(const HostFigure& figure);

// A size as the command line takes it: a number (decimals allowed) and an optional unit K, M,
// G, T, P (powers of 1024, as free(1) and df -h count; `KiB`, `KB`, `k` mean the same), no unit
// meaning bytes. `minimum` rejects numbers too small to be what the user meant (`--memory 8`);
// `error` says why a text is rejected.
std::optional<uint64_t> parse_size(std::string_view text, uint64_t minimum, std::string& error);
// Bytes in the largest binary unit that keeps the number at least 1, with at most one decimal:
// "4 GiB", "1.5 GiB", "400 KiB", "512 bytes".
std::string format_size(uint64_t bytes);

} // namespace smaudit::analyze
