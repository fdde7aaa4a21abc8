// The SARIF 2.1.0 report (docs/sarif.md): one run, for code-scanning systems such as GitHub's.
// Valid against ../shared/schemas/sarif-schema-2.1.0.json (tests/scripts/sarif_schema.sh).
#pragma once

#include "diag/audit_result.hpp"
#include "report/fingerprint.hpp"
#include "report/json_writer.hpp"
#include "source/source.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace smaudit::report {

inline constexpr std::string_view kSarifVersion = "2.1.0";
inline constexpr std::string_view kSarifSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// The uriBaseId of every artifact under the audited root (run.originalUriBaseIds).
inline constexpr std::string_view kSrcRoot = "%SRCROOT%";
// The key of the one partialFingerprints entry: the one GitHub code scanning reads as a result's
// place within its file (it adds the file and the rule itself), with smaudit's own hash.
inline constexpr std::string_view kFingerprintKey = "primaryLocationLineHash";

// A rule as tool.driver.rules describes it. The reporter never sees the rule registry: the app
// fills these from it (app/sarif_rules.hpp), tests make their own.
struct SarifRule {
    std::string id;   // "SM-S023"
    std::string name; // "vrfy-enabled"
    Pack pack = Pack::Security;
    Severity severity = Severity::Medium; // the default severity
    std::string summary;                  // shortDescription
    std::string description;              // fullDescription; empty: the summary
    std::string doc_page;                 // help (text and markdown): docs/rules/<ID>.md
    std::vector<std::string> tags;        // properties.tags
};

// What the report needs besides the findings.
struct SarifContext {
    // Every rule a finding may name; only those the run's results name are written, in ID
    // order. A finding of a rule not listed gets a descriptor made of its ID and name.
    std::vector<SarifRule> rules;
    // Used instead of `rules` when set: the one list a fleet's hosts share (made once, not per
    // host).
    const std::vector<SarifRule>* shared_rules = nullptr;
    const std::vector<SarifRule>& all_rules() const { return shared_rules ? *shared_rules : rules; }
    // The absolute directory %SRCROOT% stands for; relative source paths are relative to it (the
    // app gives the working directory). Files outside it get absolute file: URIs.
    std::string root;
    // Paths that could not be read or typed (the app's discovery errors): each becomes a tool
    // execution notification, and the invocation is not successful.
    struct Failure {
        std::string path;
        std::string message;
    };
    std::vector<Failure> failures;
    // The files an .mc's OSTYPE/DOMAIN/FEATURE/MAILER/HACK/include calls read, with the call: a
    // finding placed at such a call (a value that file set) gets the file as a related location.
    struct IncludedFile {
        FileId file = kNoFile;
        Location by_call;
    };
    std::vector<IncludedFile> included;
};

// Writes the SARIF log to OUT, newline-terminated, results one at a time (a report of tens of
// thousands of findings is never held as one JSON tree). Results in report order (path, offset,
// rule), then the suppressed findings with their `suppressions`.
void write_sarif(std::ostream& out, const SourceSet& sources, const AuditResult& result,
                 const SarifContext& context);
std::string render_sarif(const SourceSet& sources, const AuditResult& result,
                         const SarifContext& context);

// A fleet's log (docs/sarif.md "Fleets"): one run holding every host's results and
// notifications, each with properties.host, results with no ruleIndex; its `results` come first,
// then `tool` (the rules the results name, in ID order), `invocations` (every host's notifications,
// each naming its host), `originalUriBaseIds` and `columnKind`, so the hosts are written as their
// audits finish.
struct SarifHostPart {
    std::vector<std::string> results; // each as the log holds it (StreamedObject::dump_at)
    std::vector<std::pair<std::string, nlohmann::ordered_json>> rules; // by ID
    nlohmann::ordered_json notifications;
    bool failed = false; // a path could not be read
};
// One host's part (thread-safe: reads only its arguments).
SarifHostPart render_sarif_host(std::string_view host, const SourceSet& sources,
                                const AuditResult& result, const SarifContext& context);
// The log's writer: the hosts' parts as the hosts finish (an audit), or as read back from the
// logs of a fleet's shards (`smaudit merge`).
class SarifFleetWriter {
  public:
    // ROOT_URI: %SRCROOT%'s, as root_uri gives it.
    SarifFleetWriter(std::ostream& out, std::string root_uri);
    ~SarifFleetWriter();
    void add(const SarifHostPart& part); // the hosts in report order
    // RUN_PROPERTIES, unless null: the run's `properties` (a shard's: {"shard": {...}}).
    void end(const nlohmann::ordered_json& run_properties = nullptr);

  private:
    std::unique_ptr<StreamedObject> run_;
    std::string root_uri_;
    std::map<std::string, nlohmann::ordered_json> rules_;
    nlohmann::ordered_json notifications_;
    bool failed_ = false;
};

// %SRCROOT%'s URI for ROOT (SarifContext::root): file:///abs/dir/.
std::string root_uri(std::string_view root);

// properties.security-severity of a rule of this default severity: "9.5", "8.0", "5.5", "2.0";
// empty for info (no security-severity at all: docs/sarif.md says why).
std::string_view security_severity(Severity severity);
// error for critical and high, warning for medium, note for low and info (design.md).
std::string_view sarif_level(Severity severity);

// artifactLocation of a source path: {"uri": relative, "uriBaseId": "%SRCROOT%"} under ROOT,
// else {"uri": "file:///absolute"}; URIs percent-encoded (RFC 3986), path made absolute against
// ROOT and normalised first.
struct ArtifactUri {
    std::string uri;
    bool under_root = false; // uri is relative to %SRCROOT%
};
ArtifactUri artifact_uri(std::string_view path, std::string_view root);

// The partial fingerprint of a finding is report::fingerprint_hash (report/fingerprint.hpp) of
// its rule, artifact URI and line (its message when it has no place); write_sarif appends ":N",
// the finding's occurrence among the report's results with the same hash (docs/sarif.md).

} // namespace smaudit::report
