#include "analyze/host_figures.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

namespace smaudit::analyze {

namespace fs = std::filesystem;

std::optional<uint64_t> HostProbe::cpus() const {
    // What sendmail's get_num_procs_online() asks, so the figure is the one its own QueueLA and
    // RefuseLA defaults scale with.
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (online <= 0) return std::nullopt;
    return static_cast<uint64_t>(online);
}

std::optional<uint64_t> HostProbe::memory() const {
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);) {
        if (!line.starts_with("MemTotal:")) continue;
        uint64_t kib = 0;
        bool digits = false;
        for (char c : line.substr(9)) {
            if (std::isdigit(static_cast<unsigned char>(c))) {
                kib = kib * 10 + static_cast<uint64_t>(c - '0');
                digits = true;
            } else if (digits) {
                break;
            }
        }
        if (digits && kib > 0) return kib * 1024;
    }
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return std::nullopt;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

std::optional<FileSystemSize> HostProbe::file_system(const std::string& directory) const {
    // The queue directory may not exist yet (a configuration being prepared): its nearest
    // existing parent is on the file system it will be created on.
    fs::path at(directory);
    for (int depth = 0; depth < 64 && !at.empty(); ++depth) {
        struct statvfs info {};
        if (statvfs(at.c_str(), &info) == 0) {
            const uint64_t fragment = info.f_frsize != 0 ? info.f_frsize : info.f_bsize;
            if (fragment == 0 || info.f_blocks == 0) return std::nullopt;
            // sendmail counts MinFreeBlocks in statfs's f_bsize (conf.c freediskspace()).
            return FileSystemSize{static_cast<uint64_t>(info.f_blocks) * fragment,
                                  info.f_bsize != 0 ? info.f_bsize : fragment, at.string()};
        }
        if (at == at.parent_path()) break;
        at = at.parent_path();
    }
    return std::nullopt;
}

bool is_live_config(const std::string& path) {
    std::error_code ec;
    const fs::path live = fs::weakly_canonical("/etc/mail", ec);
    if (ec) return false;
    const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) return false;
    return file.parent_path() == live;
}

std::string queue_directory_to_measure(std::string_view queue_directory) {
    std::string dir(queue_directory);
    while (!dir.empty() && (dir.back() == ' ' || dir.back() == '\t'))
        dir.pop_back();
    // sendmail expands a trailing `*` into several queue directories (op.me "Queue Groups").
    if (size_t star = dir.find('*'); star != std::string::npos) {
        size_t slash = dir.rfind('/', star);
        dir = slash == std::string::npos || slash == 0 ? std::string("/") : dir.substr(0, slash);
    }
    if (dir.empty() || dir.front() != '/') return "/var/spool/mqueue";
    return dir;
}

namespace {

HostFigure assumed(uint64_t value, std::string why) {
    return HostFigure{value, FigureSource::Assumed, std::move(why)};
}

std::string plural(uint64_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

} // namespace

HostFigures resolve_host_figures(const GivenFigures& given, const HostProbe* live,
                                 std::string_view queue_directory) {
    HostFigures figures = assumed_host_figures();
    if (given.cpus) {
        figures.cpus = {*given.cpus, FigureSource::Given, "--cpus " + std::to_string(*given.cpus)};
    } else if (auto cpus = live ? live->cpus() : std::nullopt) {
        figures.cpus = {*cpus, FigureSource::ThisHost,
                        "online on this host, which runs the audited /etc/mail"};
    } else if (live) {
        figures.cpus.origin =
            "assumed: this host did not say how many CPUs are online; give --cpus";
    }
    if (given.memory) {
        figures.memory = {*given.memory, FigureSource::Given,
                          "--memory " + format_size(*given.memory)};
    } else if (auto memory = live ? live->memory() : std::nullopt) {
        figures.memory = {*memory, FigureSource::ThisHost, "MemTotal of this host's /proc/meminfo"};
    } else if (live) {
        figures.memory.origin = "assumed: this host did not say how much memory it has; give "
                                "--memory";
    }
    if (given.queue_fs) {
        figures.queue_fs = {*given.queue_fs, FigureSource::Given,
                            "--queue-fs-size " + format_size(*given.queue_fs)};
    } else if (live) {
        const std::string dir = queue_directory_to_measure(queue_directory);
        if (auto size = live->file_system(dir)) {
            figures.queue_fs = {size->bytes, FigureSource::ThisHost, "statvfs of " + size->path};
            figures.block_size = size->block_size;
            figures.block_size_measured = true;
        } else {
            figures.queue_fs.origin =
                "assumed: statvfs of " + dir + " failed on this host; give --queue-fs-size";
        }
    }
    return figures;
}

const HostFigures& assumed_host_figures() {
    static const HostFigures figures = [] {
        HostFigures f;
        f.cpus = assumed(kAssumedCpus, "assumed for a general-purpose MX; give --cpus");
        f.memory = assumed(kAssumedMemory, "assumed for a general-purpose MX; give --memory");
        f.queue_fs =
            assumed(kAssumedQueueFs, "assumed for a general-purpose MX; give --queue-fs-size");
        return f;
    }();
    return figures;
}

std::string describe_cpus(const HostFigure& figure) {
    return plural(figure.value, "CPU") + " (" + figure.origin + ")";
}

std::string describe_memory(const HostFigure& figure) {
    return format_size(figure.value) + " of memory (" + figure.origin + ")";
}

std::string describe_queue_fs(const HostFigure& figure) {
    return "a " + format_size(figure.value) + " queue file system (" + figure.origin + ")";
}

std::optional<uint64_t> parse_size(std::string_view text, uint64_t minimum, std::string& error) {
    size_t i = 0;
    uint64_t whole = 0;
    bool digits = false;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        if (whole > (UINT64_MAX - 9) / 10) {
            error = "`" + std::string(text) + "` is too large";
            return std::nullopt;
        }
        whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
        digits = true;
    }
    double fraction = 0, scale = 0.1;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            fraction += scale * (text[i] - '0');
            scale /= 10;
            digits = true;
        }
    }
    if (!digits) {
        error = "`" + std::string(text) + "` is not a size: write a number and a unit, e.g. 8G";
        return std::nullopt;
    }
    std::string unit;
    for (; i < text.size(); ++i)
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    int power = -1;
    static constexpr std::string_view kUnits = "kmgtp";
    if (unit.empty() || unit == "b") {
        power = 0;
    } else if (size_t at = kUnits.find(unit[0]);
               at != std::string_view::npos &&
               (unit.size() == 1 || unit.substr(1) == "b" || unit.substr(1) == "ib")) {
        power = static_cast<int>(at) + 1;
    }
    if (power < 0) {
        error = "`" + std::string(text) + "`: unknown unit `" + unit +
                "` (K, M, G, T or P, powers of 1024)";
        return std::nullopt;
    }
    const uint64_t unit_bytes = uint64_t{1} << (10 * power);
    if (whole > UINT64_MAX / unit_bytes) {
        error = "`" + std::string(text) + "` is too large";
        return std::nullopt;
    }
    const uint64_t bytes =
        whole * unit_bytes + static_cast<uint64_t>(std::llround(fraction * double(unit_bytes)));
    if (bytes < minimum) {
        error = "`" + std::string(text) + "` is " + format_size(bytes) +
                (power == 0 ? ": a number without a unit counts bytes (did you mean " +
                                  std::string(text) + "G?)"
                            : ", less than " + format_size(minimum));
        return std::nullopt;
    }
    return bytes;
}

std::string format_size(uint64_t bytes) {
    static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    int unit = 0;
    uint64_t scale = 1;
    while (unit < 6 && bytes / scale >= 1024) {
        scale <<= 10;
        ++unit;
    }
    // Rounded half up, without floating point: to tenths below 100 (1.25 GiB is "1.3 GiB"),
    // to whole numbers from 100 on; 1024 of a unit is 1 of the next.
    const uint64_t whole = bytes / scale, rest = bytes % scale;
    uint64_t tenths = 0, shown = whole;
    if (whole < 100) {
        tenths = (rest * 10 + scale / 2) / scale;
        if (tenths >= 10) {
            ++shown;
            tenths = 0;
        }
    } else if (rest >= scale - rest) {
        ++shown;
    }
    if (shown == 1024 && unit < 6) {
        shown = 1;
        ++unit;
    }
    std::string out = std::to_string(shown);
    if (tenths > 0) out += "." + std::to_string(tenths);
    return out + " " + kUnits[unit];
}

} // namespace smaudit::analyze
