#!/usr/bin/env bash
# `smaudit audit --format sarif` is valid against ../shared/schemas/sarif-schema-2.1.0.json for
# every file of fixtures/rules and fixtures/e2e, every rule's fixture directory, and every file
# of the shared corpus (those it refuses with exit 2, e.g. a help file named alone, write no
# report: counted and skipped). Beyond the schema, each log must say the same as the JSON report
# of the same run (one result per finding, then one per suppressed finding, with the same rule,
# message, severity, file, region and suppression reason, and a fix where JSON has one), every
# ruleIndex must point at its rule, every %SRCROOT% URI must name the file the JSON report names,
# every result must have its fingerprint, and every rule its page as help, its descriptions,
# helpUri and severities. A run with an unreadable path must say so in its invocation, and the
# schema must reject hand-made invalid logs, so that it is known to check something.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/scripts/lib/moved_lines.sh"
schema=$root/../shared/schemas/sarif-schema-2.1.0.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
if [ ! -f "$schema" ]; then
    echo "skip: $schema is not there"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" # %SRCROOT% is the working directory

failed=0
refused=0
runs=0
: >"$tmp/list"

# Audits the paths given as SARIF and as JSON; both go to the list of outputs to check.
audit() {
    local out="$tmp/out$runs" rc=0 rc_json=0
    runs=$((runs + 1))
    "$bin" audit --format sarif "$@" >"$out.sarif" 2>"$tmp/err" || rc=$?
    "$bin" audit --format json "$@" >"$out.json" 2>/dev/null || rc_json=$?
    if [ "$rc" != "$rc_json" ]; then
        echo "FAIL: exit $rc with --format sarif, $rc_json with json, for $*"
        failed=1
        return
    fi
    case $rc in
    0 | 1) printf '%s\t%s\n' "$out" "$*" >>"$tmp/list" ;;
    2) if [ -s "$out.sarif" ]; then
        # A report with a failure: only when something else was read.
        printf '%s\t%s\n' "$out" "$*" >>"$tmp/list"
    else
        refused=$((refused + 1))
    fi ;;
    *)
        echo "FAIL: exit $rc for audit $*: $(head -c 300 "$tmp/err")"
        failed=1
        ;;
    esac
}

while IFS= read -r -d '' path; do
    audit "$path"
done < <(find fixtures/rules fixtures/e2e -type f -print0 | sort -z)
while IFS= read -r -d '' dir; do
    audit "$dir"
done < <(find fixtures/rules -mindepth 1 -maxdepth 1 -type d -print0 | sort -z)
corpus=0
for file in ../shared/corpus/*/*; do
    case $file in */PROVENANCE.tsv) continue ;; esac
    if [ -f "$file" ]; then
        audit "$file"
        corpus=$((corpus + 1))
    fi
done
# One path read, one missing: a report whose invocation failed, with a notification.
partial=$tmp/out$runs
audit fixtures/e2e/suppressed.cf "$tmp/no-such-file.cf"

fingerprints_kept_when_lines_move "$bin" sarif ../shared/corpus/cf/jack139__gwebmail__sendmail.cf \
    "$tmp" || failed=1

if ! /usr/bin/python3 - "$schema" "$tmp/list" "$partial" "$root" <<'PY'; then
import json, os, sys, urllib.parse, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft4Validator.check_schema(schema)
validator = jsonschema.Draft4Validator(schema)
root = sys.argv[4]
failed = False
validated = 0
results = 0
suppressed = 0
fixes = 0
related = 0


def fail(what, message):
    global failed
    failed = True
    print(f"FAIL: audit {what}: {message}")


def place(json_finding):
    return [json_finding[k] for k in ("line", "column", "end_line", "end_column")]


def check(log, report, what):
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    if base != "file://" + urllib.parse.quote(root.rstrip("/") + "/"):
        fail(what, f"%SRCROOT% is {base}, not the working directory")
    if run["columnKind"] != "unicodeCodePoints":
        fail(what, "columnKind is not unicodeCodePoints")
    expected = report["findings"] + report["suppressed"]
    if len(run["results"]) != len(expected):
        fail(what, f"{len(run['results'])} results for {len(expected)} JSON findings")
        return
    for result, finding in zip(run["results"], expected):
        if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
            fail(what, f"ruleIndex of {result['ruleId']} names {rules[result['ruleIndex']]['id']}")
        if (result["ruleId"], result["message"]["text"]) != (finding["rule"], finding["message"]):
            fail(what, f"result {result['ruleId']} is not JSON's {finding['rule']}")
        level = {"critical": "error", "high": "error", "medium": "warning"}.get(
            finding["severity"], "note")
        if result["level"] != level or result["properties"]["severity"] != finding["severity"]:
            fail(what, f"{result['ruleId']}: level {result['level']} for {finding['severity']}")
        location = result["locations"][0]["physicalLocation"]
        artifact = location["artifactLocation"]
        path = urllib.parse.unquote(artifact["uri"])
        if artifact.get("uriBaseId") == "%SRCROOT%":
            if path.startswith("/") or path.startswith("../"):
                fail(what, f"{artifact['uri']} is not relative to the root")
            path = os.path.join(root, path)
        elif not artifact["uri"].startswith("file:///"):
            fail(what, f"{artifact['uri']} is neither under %SRCROOT% nor absolute")
        else:
            path = path[len("file://"):]
        if os.path.realpath(path) != os.path.realpath(os.path.join(root, finding["path"])):
            fail(what, f"{artifact['uri']} is not {finding['path']}")
        region = location.get("region")
        if finding["line"] is None:
            if region is not None:
                fail(what, f"{result['ruleId']}: a region for a finding without a place")
        elif region is None or [region["startLine"], region["startColumn"], region["endLine"],
                                region["endColumn"]] != place(finding):
            fail(what, f"{result['ruleId']}: region {region} is not {place(finding)}")
        if not result.get("partialFingerprints", {}).get("primaryLocationLineHash"):
            fail(what, f"{result['ruleId']}: no fingerprint")
        if "suppression" in finding:
            s = result.get("suppressions", [{}])[0]
            if s.get("kind") != "inSource" or s.get("justification") != finding["suppression"][
                    "reason"]:
                fail(what, f"{result['ruleId']}: suppression {s} for {finding['suppression']}")
        elif "suppressions" in result:
            fail(what, f"{result['ruleId']}: suppressions on a finding not suppressed")
        if bool(finding["fix"] and finding["fix"]["edits"]) != ("fixes" in result):
            fail(what, f"{result['ruleId']}: fixes do not match the JSON fix")
    for rule in rules:
        # Every rule of a real run is the registry's: summary, first paragraph, page, tags.
        page = rule.get("help", {}).get("markdown", "")
        if not page.startswith(f"# {rule['id']} {rule['name']}") or rule["help"]["text"] != page:
            fail(what, f"{rule['id']}: help is not its doc page")
        if not rule.get("shortDescription", {}).get("text") or not rule.get(
                "fullDescription", {}).get("text"):
            fail(what, f"{rule['id']}: no description")
        if rule["helpUri"] != f"https://smaudit.invalid/docs/rules/{rule['id']}.md":
            fail(what, f"{rule['id']}: helpUri {rule['helpUri']}")
        props = rule["properties"]
        score = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}.get(
            props["severity"])
        level = {"critical": "error", "high": "error", "medium": "warning"}.get(
            props["severity"], "note")
        if props.get("security-severity") != score or rule["defaultConfiguration"][
                "level"] != level:
            fail(what, f"{rule['id']}: {props} / {rule['defaultConfiguration']}")
        if props["tags"][0] not in ("security", "performance", "consistency", "syntax"):
            fail(what, f"{rule['id']}: tags {props['tags']}")
    names = [r["id"] for r in rules]
    if names != sorted(set(names)) or set(names) != {r["ruleId"] for r in run["results"]}:
        fail(what, "rules[] is not the rules of the results, sorted")


for line in open(sys.argv[2], encoding="utf-8"):
    out, what = line.rstrip("\n").split("\t", 1)
    try:
        log = json.load(open(out + ".sarif", encoding="utf-8"))
        report = json.load(open(out + ".json", encoding="utf-8"))
    except ValueError as e:
        fail(what, f"not JSON: {e}")
        continue
    errors = list(validator.iter_errors(log))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path)
        fail(what, f"at /{where}: {error.message[:300]}")
        continue
    check(log, report, what)
    validated += 1
    run = log["runs"][0]
    results += len(run["results"])
    suppressed += sum(1 for r in run["results"] if "suppressions" in r)
    fixes += sum(1 for r in run["results"] if "fixes" in r)
    related += sum(1 for r in run["results"] if "relatedLocations" in r)

partial = json.load(open(sys.argv[3] + ".sarif", encoding="utf-8"))
invocation = partial["runs"][0]["invocations"][0]
notes = invocation.get("toolExecutionNotifications", [])
if invocation["executionSuccessful"] or not any(
        "no-such-file.cf" in n["message"]["text"] and n["level"] == "error" for n in notes):
    fail("with a missing file", f"invocation {invocation}")

# The schema must be able to fail.
bad = json.loads(json.dumps(partial))
bad["runs"][0]["results"][0]["level"] = "fatal"
if validator.is_valid(bad):
    fail("(hand-made)", "the schema accepts a result level 'fatal'")
bad = json.loads(json.dumps(partial))
bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
if validator.is_valid(bad):
    fail("(hand-made)", "the schema accepts line 0")

print(f"validated {validated} logs: {results} results ({suppressed} suppressed, {fixes} with "
      f"fixes, {related} with related locations)")
if validated < 600:
    fail("", f"only {validated} logs validated, expected at least 600")
sys.exit(1 if failed else 0)
PY
    failed=1
fi
# A fleet (docs/sarif.md "Fleets"): one run, valid, each result with its host, as many results
# as the JSON report has findings and suppressed findings over the hosts. Its shards' logs
# (--shard I/3) and what `smaudit merge` makes of them are valid too, and the merged log is the
# unsharded one, byte for byte (docs/ci.md "Sharding"). Host delta's .mc makes a .cf sendmail
# refuses: its packs are not graded, which a notification of that host says.
mkdir -p "$tmp/fleet/alpha/etc/mail" "$tmp/fleet/beta" "$tmp/fleet/gamma" "$tmp/fleet/delta"
cp fixtures/policies/bad/sendmail.mc fixtures/policies/bad/access "$tmp/fleet/alpha/etc/mail/"
cp fixtures/examples/sendmail.cf "$tmp/fleet/beta/"
cp fixtures/e2e/suppressed.cf "$tmp/fleet/gamma/sendmail.cf"
echo 'not a configuration' >"$tmp/fleet/delta/sendmail.mc"
"$bin" audit --format sarif --fail-on none "$tmp/fleet" >"$tmp/fleet.sarif"
"$bin" audit --format json --fail-on none "$tmp/fleet" >"$tmp/fleet.json"
for i in 1 2 3; do
    "$bin" audit --format sarif --fail-on none --shard "$i/3" "$tmp/fleet" >"$tmp/shard-$i.sarif"
done
"$bin" merge "$tmp"/shard-{1,2,3}.sarif -o "$tmp/merged.sarif"
if ! cmp -s "$tmp/fleet.sarif" "$tmp/merged.sarif"; then
    echo "FAIL: the merged SARIF shards are not the fleet's log"
    failed=1
fi
if ! /usr/bin/python3 - "$schema" "$tmp/fleet.sarif" "$tmp/fleet.json" "$tmp"/shard-{1,2,3}.sarif \
    "$tmp/merged.sarif" <<'PY'; then
import json, sys, jsonschema

validator = jsonschema.Draft4Validator(json.load(open(sys.argv[1], encoding="utf-8")))
log = json.load(open(sys.argv[2], encoding="utf-8"))
report = json.load(open(sys.argv[3], encoding="utf-8"))
problems = [e.message[:300] for e in validator.iter_errors(log)]
for i, path in enumerate(sys.argv[4:7], 1):
    shard = json.load(open(path, encoding="utf-8"))
    problems += [f"shard {i}: {e.message[:300]}" for e in validator.iter_errors(shard)]
    if shard["runs"][0].get("properties", {}).get("shard") != {"index": i, "count": 3}:
        problems.append(f"shard {i} does not name its shard")
merged = json.load(open(sys.argv[7], encoding="utf-8"))
problems += [f"merged: {e.message[:300]}" for e in validator.iter_errors(merged)]
notes = log["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
if not notes or any(n.get("properties", {}).get("host") != "delta" for n in notes):
    problems.append(f"notifications {notes} are not host delta's")
if len(log["runs"]) != 1:
    problems.append(f"{len(log['runs'])} runs")
results = log["runs"][0]["results"]
expected = sum(len(h["findings"]) + len(h["suppressed"]) for h in report["hosts"])
if len(results) != expected or expected == 0:
    problems.append(f"{len(results)} results, the JSON report has {expected} findings")
for r in results:
    host = r["properties"]["host"]
    uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    if f"/fleet/{host}/" not in uri:
        problems.append(f"result of host {host} at {uri}")
hosts = sorted({r["properties"]["host"] for r in results})
if hosts != ["alpha", "beta", "delta", "gamma"]:
    problems.append(f"hosts {hosts}")
for p in problems[:10]:
    print(f"FAIL: fleet log: {p}")
print(f"fleet log: {len(results)} results of {len(hosts)} hosts")
sys.exit(1 if problems else 0)
PY
    failed=1
fi
echo "audited $runs paths ($corpus corpus files); $refused refused (exit 2, no report)"
exit $failed
