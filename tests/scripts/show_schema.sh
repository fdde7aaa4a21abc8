#!/usr/bin/env bash
# `smaudit show --format json` is valid against docs/schema/show-v1.schema.json: for every file
# and directory under fixtures/ that show accepts (exit 0 or 1; those it refuses with exit 2 are
# counted and skipped), every file of the shared corpus (cf, mc, access, aliases), Debian's
# /etc/mail, and one run with several paths (the {"files": [...]} form). The schema must also
# reject a hand-made invalid document, so that it is known to check something.
set -euo pipefail
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
schema=$root/docs/schema/show-v1.schema.json
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    echo "skip: python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
refused=0
runs=0
: >"$tmp/list"

# Runs show on the paths given; its output goes to the list of outputs to validate.
show() {
    local out="$tmp/out$runs.json" rc=0
    runs=$((runs + 1))
    "$bin" show --format json "$@" >"$out" 2>"$tmp/err" || rc=$?
    case $rc in
    0 | 1) printf '%s\t%s\n' "$out" "$*" >>"$tmp/list" ;;
    2) refused=$((refused + 1)) ;;
    *)
        echo "FAIL: exit $rc for show $*: $(head -c 300 "$tmp/err")"
        failed=1
        ;;
    esac
}

while IFS= read -r -d '' path; do
    show "$path"
done < <(find "$root/fixtures" -mindepth 1 \( -type f -o -type d \) -print0 | sort -z)
for dir in cf mc access aliases; do
    for file in "$root"/../shared/corpus/"$dir"/*; do
        if [ -f "$file" ]; then show "$file"; fi
    done
done
if [ -d /etc/mail ]; then show /etc/mail; fi

# Several paths: a .cf, an .mc, an access map and an aliases file.
multi=$tmp/out$runs.json
show "$root/fixtures/examples/sendmail.cf" "$root/fixtures/examples/sendmail.mc" \
    "$root/fixtures/rules/SM-S011/bad.access" "$root/fixtures/rules/SM-S049/good.aliases"

if ! /usr/bin/python3 - "$schema" "$tmp/list" "$multi" <<'PY'; then
import json, sys, jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
def deepest(error):
    best = error
    for sub in error.context or []:
        sub = deepest(sub)
        if len(sub.absolute_path) > len(best.absolute_path):
            best = sub
    return best


failed = False
validated = 0
kinds = {}
for line in open(sys.argv[2], encoding="utf-8"):
    out, what = line.rstrip("\n").split("\t", 1)
    try:
        document = json.load(open(out, encoding="utf-8"))
    except ValueError as e:
        print(f"FAIL: show {what}: not JSON: {e}")
        failed = True
        continue
    errors = list(validator.iter_errors(document))
    if errors:
        # The deepest error, down through the oneOf branches: the one the output came closest to.
        error = max((deepest(e) for e in errors), key=lambda e: len(e.absolute_path))
        failed = True
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"FAIL: show {what}: at /{where}: {error.message[:300]}")
        continue
    validated += 1
    for f in document.get("files", [document]):
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1

multi = json.load(open(sys.argv[3], encoding="utf-8"))
if len(multi.get("files", [])) != 4:
    print("FAIL: show of four paths did not print the {\"files\": [...]} form with four files")
    failed = True

# The schema must be able to fail: an option without its name, and a place half null.
config = json.load(open(sys.argv[3], encoding="utf-8"))["files"][0]
bad = json.loads(json.dumps(config))
option = next(o for o in bad["options"] if not o["default"])
del option["name"]
if validator.is_valid(bad):
    print("FAIL: the schema accepts an option without a name")
    failed = True
bad = json.loads(json.dumps(config))
bad["options"][0]["line"] = None
bad["options"][0]["path"] = "x.cf"
if validator.is_valid(bad):
    print("FAIL: the schema accepts a path without a line")
    failed = True
if validator.is_valid({"files": [config]}):
    print("FAIL: the schema accepts the files form with one file")
    failed = True

print(f"validated {validated} outputs; files by kind: "
      + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
if validated < 20:
    print(f"FAIL: only {validated} outputs validated, expected at least 20")
    failed = True
sys.exit(1 if failed else 0)
PY
    failed=1
fi
echo "show refused $refused of $runs paths (exit 2)"
exit $failed
