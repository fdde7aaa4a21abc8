#!/usr/bin/env bash
# The JSON reports of a fleet (docs/ci.md "Fleets") are valid against
# docs/schema/fleet-report-v1.schema.json (which uses report-v1's definitions): the whole fleet's,
# each shard's (--shard I/3), what `smaudit merge` makes of the shards (the whole fleet's bytes),
# and a run with --baseline. The fleet: four hosts from the fixtures (an .mc with access and
# aliases, a .cf, a .cf with suppressions, a .cf beside an unreadable path) and one host per file
# of the shared corpus (.cf and .mc). The schema must reject hand-made invalid reports, so that it
# is known to check something.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hosts=$tmp/hosts
mkdir -p "$hosts/alpha/etc/mail" "$hosts/beta" "$hosts/gamma"
cp "$root"/fixtures/policies/bad/{sendmail.mc,access,aliases} "$hosts/alpha/etc/mail/"
cp "$root/fixtures/examples/sendmail.cf" "$hosts/beta/"
cp "$root/fixtures/e2e/suppressed.cf" "$hosts/gamma/sendmail.cf"
corpus=0
for kind in cf mc; do
    for file in "$root/../shared/corpus/$kind"/*; do
        [ -f "$file" ] || continue
        corpus=$((corpus + 1))
        mkdir -p "$hosts/corpus-$corpus"
        cp "$file" "$hosts/corpus-$corpus/sendmail.$kind"
    done
done

cd "$tmp"
"$bin" audit hosts --write-baseline baseline.json >/dev/null 2>&1
# Host zeta has a path that cannot be read (a symbolic link loop): its `errors` say so, and every
# run on the fleet exits 2, its report written all the same.
mkdir "$hosts/zeta"
cp "$root/fixtures/examples/sendmail.cf" "$hosts/zeta/"
ln -s access "$hosts/zeta/access"
audit() { # EXIT_CODES ARGS...: the exit codes allowed, e.g. "2" or "0 2"
    local expected=$1 rc=0
    shift
    "$bin" audit hosts --format json --fail-on none "$@" 2>/dev/null || rc=$?
    if [[ " $expected " != *" $rc "* ]]; then
        echo "FAIL: exit $rc, not $expected, for audit hosts $*"
        exit 1
    fi
}
audit 2 -j2 -o fleet.json
shards=()
for i in 1 2 3; do
    audit "0 2" --shard "$i/3" -o "shard-$i.json" # 2 for zeta's shard
    shards+=("shard-$i.json")
done
"$bin" merge "${shards[@]}" -o merged.json
if ! cmp -s fleet.json merged.json; then
    echo "FAIL: the merged shards are not the whole fleet's report"
    exit 1
fi
audit 2 --baseline baseline.json -o baselined.json

/usr/bin/python3 - "$root/docs/schema" fleet.json "${shards[@]}" merged.json baselined.json <<'PY'
import json, os, sys
import jsonschema

schemas = {}
for name in ("report-v1", "fleet-report-v1"):
    with open(os.path.join(sys.argv[1], name + ".schema.json"), encoding="utf-8") as f:
        schemas[name] = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schemas[name])
# The fleet schema's "report-v1.schema.json#..." references resolve against its $id to
# report-v1's $id: both are handed to the validator (Debian's python3-jsonschema has RefResolver;
# later releases replace it by the referencing package).
try:
    from referencing import Registry, Resource
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    validator = jsonschema.Draft202012Validator(schemas["fleet-report-v1"], registry=registry)
except ImportError:
    resolver = jsonschema.RefResolver.from_schema(
        schemas["fleet-report-v1"], store={s["$id"]: s for s in schemas.values()})
    validator = jsonschema.Draft202012Validator(schemas["fleet-report-v1"], resolver=resolver)
failed = False


def fail(message):
    global failed
    failed = True
    print(f"FAIL: {message}")


reports = {}
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        reports[path] = json.load(f)
    for error in validator.iter_errors(reports[path]):
        where = "/".join(str(p) for p in error.absolute_path)
        fail(f"{path} at /{where}: {error.message[:300]}")

fleet = reports["fleet.json"]
hosts = fleet["hosts"]
findings = sum(len(h["findings"]) for h in hosts)
suppressed = sum(len(h["suppressed"]) for h in hosts)
graded = sum(1 for h in hosts if h["scores"]["security"] is not None)
# What the fleet validated must hold what the schema describes, or the test proves little.
if len(hosts) < 10 or findings == 0 or suppressed == 0 or graded == 0:
    fail(f"{len(hosts)} hosts, {findings} findings, {suppressed} suppressed, {graded} graded")
errors = [h["host"] for h in hosts if h["errors"]]
if errors != ["zeta"] or fleet["fleet"]["hosts_with_errors"] != 1:
    fail(f"hosts with errors {errors}, fleet.hosts_with_errors {fleet['fleet']['hosts_with_errors']}")
if [h["host"] for h in hosts] != sorted(h["host"] for h in hosts):
    fail("hosts not sorted by name")
for i in (1, 2, 3):
    if reports[f"shard-{i}.json"].get("shard") != {"index": i, "count": 3}:
        fail(f"shard-{i}.json does not name its shard")
if "shard" in reports["merged.json"]:
    fail("the merged report names a shard")
if not any("baseline" in h["summary"] for h in reports["baselined.json"]["hosts"]):
    fail("the --baseline run has no summary.baseline")


def rejected(what, change):
    bad = json.loads(json.dumps(fleet))
    change(bad)
    if validator.is_valid(bad):
        fail(f"the schema accepts {what}")


first = next(h for h in hosts if h["findings"])
rejected("a host's finding without its host", lambda r: next(
    h for h in r["hosts"] if h["findings"])["findings"][0].pop("host"))
rejected("a host's finding with an unknown member", lambda r: next(
    h for h in r["hosts"] if h["findings"])["findings"][0].update(extra=1))
rejected("a fleet without its summary", lambda r: r["fleet"].pop("summary"))
rejected("grade counts without `not graded`", lambda r: r["fleet"]["grades"]["security"].pop(
    "not graded"))
rejected("a shard 0", lambda r: r.update(shard={"index": 0, "count": 2}))
rejected("a host worst finding naming a host", lambda r: next(
    h for h in r["hosts"] if h["worst"])["worst"].update(host="x"))
rejected("the fleet's worst finding without its host", lambda r: r["fleet"]["worst"].pop("host"))
rejected("a host without errors", lambda r: r["hosts"][0].pop("errors"))
rejected("a host error without a message", lambda r: r["hosts"][0].update(
    errors=[{"path": "x"}]))
rejected("a null score without not_scored", lambda r: (
    r["hosts"][0]["scores"].update(security=None), r["hosts"][0].pop("not_scored", None)))
print(f"validated {len(reports)} fleet reports: {len(hosts)} hosts, {findings} findings, "
      f"{suppressed} suppressed, {graded} graded")
sys.exit(1 if failed else 0)
PY
echo "fleet of $((corpus + 4)) hosts ($corpus from the corpus)"
