// Reads the text files a configuration names (today HelpFile, which decides what HELP tells a
// client) where that is safe and predictable, and says why not elsewhere:
//
//  - the file sendmail opens, when it sits in the configuration's own directory or under a
//    directory named on the command line (`smaudit audit /etc/mail`): a live tree. Its absence,
//    a non-regular file, or a directory on its path that sendmail's safefile() refuses
//    (group- or world-writable, unless DontBlameSendmail allows it) is what sendmail would meet;
//  - for a configuration kept outside /etc/mail (a repository, a CI checkout), a file it names
//    in /etc/mail is looked for under the same name beside it: the copy that is installed with
//    it (`HelpFile=/etc/mail/helpfile` and `./helpfile` next to `./sendmail.cf`);
//  - nothing else: a relative path (sendmail opens it from its queue directory), a path outside
//    the audited files, or a copy that is not there is reported as not checked, with the reason.
#pragma once

#include "app/referenced_files.hpp"
#include "model/config.hpp"
#include "model/named_files.hpp"

#include <string>
#include <vector>

namespace smaudit {

// `config_path`: the file the configuration was built from (.cf or .mc); `audited_dirs`: the
// directories named on the command line; `root`: --root, under which every absolute path is
// looked up instead (app/referenced_files.hpp). Files read are added to `sources` (once per
// path).
model::NamedFiles read_named_files(SourceSet& sources, const model::Config& config,
                                   const std::string& config_path,
                                   const std::vector<std::string>& audited_dirs,
                                   const RootedTree* root = nullptr);

} // namespace smaudit
