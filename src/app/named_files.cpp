#include "app/named_files.hpp"

#include "app/audit.hpp"

#include <filesystem>
#include <optional>

namespace smaudit {

namespace {

namespace fs = std::filesystem;

// The directory a copy of /etc/mail stands for: sendmail's configuration directory.
const fs::path kMailDir = "/etc/mail";

// The first directory on the way to `path` that sendmail's safedirpath() refuses when it opens
// the help file (srvrsmtp.c help(): SFF_SAFEDIRPATH unless DontBlameSendmail has
// HelpFileInUnsafeDirPath), symbolic links resolved as safedirpath() resolves them.
std::optional<std::string> unsafe_directory(const std::vector<model::PathStep>& directories,
                                            const model::Config& config) {
    if (config.dont_blame_has("helpfileinunsafedirpath")) return std::nullopt;
    return model::first_unsafe_directory(directories, config);
}

// Reads `path` into `sources` (once per path) and fills in `file`.
void read_into(SourceSet& sources, const fs::path& path, model::NamedFile& file) {
    file.path = path.string();
    for (FileId id = 0; id < sources.size(); ++id)
        if (sources.get(id).path() == file.path) {
            file.found = model::NamedFile::Found::Read;
            file.file = id;
            return;
        }
    std::string text, error;
    if (!read_config_text(file.path, text, error)) {
        file.found = model::NamedFile::Found::NotChecked;
        file.why = "smaudit could not read " + file.path + " (" + error + ")";
        return;
    }
    file.found = model::NamedFile::Found::Read;
    file.file = sources.add(file.path, std::move(text));
}

model::NamedFile look_up(SourceSet& sources, const model::Config& config, std::string option,
                         const std::string& named, const InPlaceDirs& in_place,
                         const RootedTree* root) {
    using Found = model::NamedFile::Found;
    model::NamedFile file{std::move(option), named, Found::NotChecked, named, false, kNoFile, {}};
    const fs::path path(named);
    if (!path.is_absolute()) {
        file.why = "its path is relative, and sendmail opens it from its queue directory";
        return file;
    }
    if (root) { // --root: the file inside it, as sendmail running there would open it
        RootedTree::Resolved found = root->resolve(named);
        if (found.presence == model::Presence::Missing) {
            file.found = Found::Missing;
        } else if (found.presence != model::Presence::Present) {
            file.why = found.why;
        } else if (found.stat.type != model::FileType::Regular) {
            file.found = Found::NotRegular;
        } else if (auto unsafe = unsafe_directory(found.directories, config)) {
            file.found = Found::UnsafeDirectory;
            file.why = *unsafe;
        } else {
            read_into(sources, found.host_path, file);
        }
        return file;
    }
    if (in_place.hold(named)) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (!fs::exists(status)) {
            file.found = Found::Missing;
        } else if (!fs::is_regular_file(status)) {
            file.found = Found::NotRegular;
        } else if (auto unsafe =
                       unsafe_directory(RootedTree("/").resolve(named).directories, config)) {
            file.found = Found::UnsafeDirectory;
            file.why = *unsafe;
        } else {
            read_into(sources, path, file);
        }
        return file;
    }
    if (path.parent_path() == kMailDir && in_place.config_dir() != kMailDir) {
        const fs::path copy = in_place.config_dir() / path.filename();
        std::error_code ec;
        if (fs::is_regular_file(copy, ec)) {
            file.copy = true;
            read_into(sources, copy, file);
            return file;
        }
        // The copy's name, not its path: an .mc and the .cf made of it say the same.
        file.why = "it is not beside the audited configuration: smaudit looks for a copy of " +
                   named + " named " + path.filename().string() + " beside it";
        return file;
    }
    file.why = "it is outside the audited files: smaudit reads it only beside the "
               "configuration or in a directory named on the command line";
    return file;
}

} // namespace

model::NamedFiles read_named_files(SourceSet& sources, const model::Config& config,
                                   const std::string& config_path,
                                   const std::vector<std::string>& audited_dirs,
                                   const RootedTree* root) {
    model::NamedFiles out;
    const model::OptionValue* help = config.option("HelpFile");
    if (help == nullptr || help->is_default || help->value.empty()) return out;
    out.files.push_back(look_up(sources, config, "HelpFile", help->value,
                                InPlaceDirs(config_path, audited_dirs), root));
    return out;
}

} // namespace smaudit
