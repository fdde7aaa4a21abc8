#!/usr/bin/env bash
# `--format github` and `--format gitlab` on every rule's fixture directory, the e2e fixtures and
# the shared corpus, each checked against its documented format and against the JSON report of
# the same run:
# - gitlab: valid against tests/schemas/gitlab-code-quality.schema.json (written from GitLab's
#   documented Code Quality format; the page is cited in it), no byte order mark, one issue per
#   reported finding with its rule, severity, path and first line, fingerprints unique in a
#   report and kept when lines are added above the findings;
# - github: every line one workflow command as the Actions runner parses it (`::name
#   k=v,k=v::data`, names error/warning/notice, properties file/line/col/endLine/endColumn/title,
#   the toolkit's escapes undone), one per reported finding with its message, title, path, line
#   and column.
# The exit code of both is the JSON run's. The schema must reject hand-made invalid reports.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: runs cd
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/scripts/lib/moved_lines.sh"
schema=$root/tests/schemas/gitlab-code-quality.schema.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" # paths are relative to the working directory

failed=0
runs=0
: >"$tmp/list"

# Audits PATHS... from the working directory DIR (the repository's root a CI job runs in).
audit() {
    local dir=$1 out="$tmp/out$runs" rc_json=0 rc_gh=0 rc_gl=0
    shift
    runs=$((runs + 1))
    (cd "$dir" && "$bin" audit --format json "$@") >"$out.json" 2>/dev/null || rc_json=$?
    (cd "$dir" && "$bin" audit --format github "$@") >"$out.github" 2>/dev/null || rc_gh=$?
    (cd "$dir" && "$bin" audit --format gitlab "$@") >"$out.gitlab" 2>/dev/null || rc_gl=$?
    if [ "$rc_json" != "$rc_gh" ] || [ "$rc_json" != "$rc_gl" ]; then
        echo "FAIL: exit $rc_json with json, $rc_gh with github, $rc_gl with gitlab, for $*"
        failed=1
    elif [ "$rc_json" -le 1 ] || [ -s "$out.json" ]; then
        printf '%s\t%s\t%s\n' "$out" "$dir" "$*" >>"$tmp/list"
    fi
}

while IFS= read -r -d '' dir; do
    audit . "$dir"
done < <(find fixtures/rules -mindepth 1 -maxdepth 1 -type d -print0 | sort -z)
while IFS= read -r -d '' path; do
    audit . "$path"
done < <(find fixtures/e2e -maxdepth 1 -type f -print0 | sort -z)
# The corpus as a repository of configurations: audited from its directory.
corpus=$(cd ../shared/corpus && pwd)
for file in "$corpus"/*/*; do
    case $file in */PROVENANCE.tsv) continue ;; esac
    [ -f "$file" ] && audit "$corpus" "${file#"$corpus"/}"
done

fingerprints_kept_when_lines_move "$bin" gitlab "$corpus/cf/jack139__gwebmail__sendmail.cf" "$tmp" ||
    failed=1

if ! /usr/bin/python3 - "$schema" "$tmp/list" <<'PY'; then
import json, os, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
failed = False
checked = issues = annotations = 0
SEVERITY = {"info": "info", "low": "minor", "medium": "major", "high": "critical",
            "critical": "blocker"}
COMMAND = {"info": "notice", "low": "notice", "medium": "warning", "high": "error",
           "critical": "error"}
PROPERTIES = {"file", "line", "col", "endLine", "endColumn", "title"}


def fail(what, message):
    global failed
    failed = True
    print(f"FAIL: audit {what}: {message}")


def unescape(text, prop):
    # As the runner does (ActionCommand.cs): %25 last.
    text = text.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%25", "%")


def parse_command(line):
    if not line.startswith("::"):
        raise ValueError("does not start with ::")
    head, sep, data = line[2:].partition("::")
    if not sep:
        raise ValueError("no :: after the command")
    name, _, props = head.partition(" ")
    properties = {}
    for pair in props.split(",") if props else []:
        key, eq, value = pair.partition("=")
        if not eq or key in properties:
            raise ValueError(f"bad property {pair!r}")
        properties[key] = unescape(value, True)
    return name, properties, unescape(data, False)


def same_file(a, b):
    return os.path.realpath(os.path.join(cwd, a)) == os.path.realpath(os.path.join(cwd, b))


for entry in open(sys.argv[2], encoding="utf-8"):
    out, cwd, what = entry.rstrip("\n").split("\t", 2)
    report = json.load(open(out + ".json", encoding="utf-8"))
    findings = report["findings"]
    raw = open(out + ".gitlab", "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(what, "gitlab report starts with a byte order mark")
    try:
        gitlab = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        fail(what, f"gitlab report is not JSON: {e}")
        continue
    errors = list(validator.iter_errors(gitlab))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        fail(what, f"gitlab at /{where}: {errors[0].message[:300]}")
    if len(gitlab) != len(findings):
        fail(what, f"{len(gitlab)} GitLab issues for {len(findings)} findings")
        continue
    if len({i["fingerprint"] for i in gitlab}) != len(gitlab):
        fail(what, "GitLab fingerprints are not unique")
    for issue, f in zip(gitlab, findings):
        if (issue["check_name"], issue["severity"]) != (f["rule"], SEVERITY[f["severity"]]):
            fail(what, f"issue {issue['check_name']} {issue['severity']} for {f['rule']}")
        if not issue["description"].startswith(f["message"]):
            fail(what, f"{f['rule']}: description {issue['description']!r}")
        if not same_file(issue["location"]["path"], f["path"]):
            fail(what, f"{f['rule']}: path {issue['location']['path']} is not {f['path']}")
        if issue["location"]["lines"]["begin"] != (f["line"] or 1):
            fail(what, f"{f['rule']}: line {issue['location']['lines']} for {f['line']}")
    issues += len(gitlab)

    lines = open(out + ".github", encoding="utf-8").read().splitlines()
    if len(lines) != len(findings):
        fail(what, f"{len(lines)} workflow commands for {len(findings)} findings")
        continue
    for line, f in zip(lines, findings):
        try:
            name, props, data = parse_command(line)
        except ValueError as e:
            fail(what, f"{e}: {line[:200]}")
            continue
        if name != COMMAND[f["severity"]] or not set(props) <= PROPERTIES:
            fail(what, f"{name} {sorted(props)} for a {f['severity']} finding")
        if props.get("title") != f"{f['rule']} {f['name']}" or not data.startswith(f["message"]):
            fail(what, f"{f['rule']}: title {props.get('title')!r}, message {data[:80]!r}")
        if not same_file(props.get("file", ""), f["path"]) or props["file"].startswith("../"):
            fail(what, f"{f['rule']}: file {props.get('file')} is not {f['path']}")
        if f["line"] is None:
            if set(props) != {"file", "title"}:
                fail(what, f"{f['rule']}: a place for a finding without one: {props}")
        elif props.get("line") != str(f["line"]):
            fail(what, f"{f['rule']}: line {props.get('line')} for {f['line']}")
        elif props.get("endLine") == props["line"] and props.get("col") != str(f["column"]):
            fail(what, f"{f['rule']}: col {props.get('col')} for {f['column']}")
        elif props.get("endLine") != props["line"] and ("col" in props or "endColumn" in props):
            fail(what, f"{f['rule']}: columns across lines: {props}")
    annotations += len(lines)
    checked += 1

# The schema must be able to fail.
good = [{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor",
         "location": {"path": "a.cf", "lines": {"begin": 1}}}]
for bad in ([dict(good[0], severity="high")], [dict(good[0], location={"path": "a.cf"})],
            [dict(good[0], location={"path": "/abs.cf", "lines": {"begin": 1}})],
            [{k: v for k, v in good[0].items() if k != "fingerprint"}], good[0]):
    if validator.is_valid(bad):
        fail("(hand-made)", f"the schema accepts {bad}")
if not validator.is_valid(good):
    fail("(hand-made)", "the schema rejects the documented example's shape")

print(f"checked {checked} runs: {issues} GitLab issues, {annotations} GitHub annotations")
if checked < 150:
    fail("", f"only {checked} runs checked, expected at least 150")
sys.exit(1 if failed else 0)
PY
    failed=1
fi
echo "audited $runs paths"
exit $failed
