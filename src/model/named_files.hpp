// Text files a configuration names by an option (today the help file, HelpFile), as the audit
// found them. Only the audit touches the file system (app/named_files.hpp); rules read what it
// found through RuleContext::named_files.
#pragma once

#include "source/source.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace smaudit::model {

struct NamedFile {
    enum class Found {
        Read,            // `file` holds its text
        Missing,         // the file sendmail opens does not exist
        NotRegular,      // a directory or device: sendmail opens regular files only
        UnsafeDirectory, // sendmail will not open it (safefile.c); `why` names the directory
        NotChecked,      // smaudit did not read it; `why` says why
    };
    std::string option; // "HelpFile"
    std::string named;  // the path the option gives
    Found found = Found::NotChecked;
    std::string path;      // what smaudit read or looked at: `named`, or the copy beside the
                           // configuration that stands for it
    bool copy = false;     // `path` is that copy
    FileId file = kNoFile; // Read: its text
    std::string why;       // UnsafeDirectory, NotChecked: in words
};

struct NamedFiles {
    std::vector<NamedFile> files;
    const NamedFile* find(std::string_view option) const {
        for (const NamedFile& file : files)
            if (file.option == option) return &file;
        return nullptr;
    }
    // The files read (a fix may edit them).
    std::vector<FileId> file_ids() const {
        std::vector<FileId> ids;
        for (const NamedFile& file : files)
            if (file.file != kNoFile) ids.push_back(file.file);
        return ids;
    }
};

} // namespace smaudit::model
