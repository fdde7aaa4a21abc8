#!/usr/bin/env bash
# docs/ci.md's examples work: every smaudit command of its sh and YAML blocks (the GitHub Actions
# workflow, the GitLab CI job, the baseline steps) is run, as the CI job would, in a repository
# whose configurations are fixtures/examples under mail/. With the baseline just written, every
# step passes and writes its report (SARIF, GitLab Code Quality valid against its schema, no
# annotation); after a new problem is added to mail/sendmail.mc, the gates fail (exit 1) and
# the GitHub step annotates it. The YAML blocks must parse, the workflow must upload the SARIF
# file its audit step writes, the GitLab job must declare the report it writes.
# .pre-commit-hooks.yaml: the hook's `files` pattern takes sendmail files and leaves others, and
# its entry, with the args of the docs' .pre-commit-config.yaml, run on the staged files.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! /usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null; then
    echo "skip: python3-yaml or python3-jsonschema is not installed"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/repo" "$tmp/repo/mail" "$tmp/bin"
cp "$root"/fixtures/examples/* "$tmp/repo/mail/"
ln -s "$bin" "$tmp/bin/smaudit" # the installed smaudit on the PATH

PATH="$tmp/bin:$PATH" /usr/bin/python3 - "$root" "$tmp/repo" <<'PY'
import json, re, subprocess, sys, jsonschema, yaml

root, repo = sys.argv[1], sys.argv[2]
failed = False


def fail(message):
    global failed
    failed = True
    print("FAIL:", message)


doc = open(f"{root}/docs/ci.md", encoding="utf-8").read()
blocks = re.findall(r"```(yaml|sh)\n(.*?)```", doc, re.S)
workflow = gitlab = precommit = fleet_workflow = None
shell_lines = []
for lang, text in blocks:
    if lang == "sh":
        shell_lines += text.splitlines()
        continue
    data = yaml.safe_load(text)
    if isinstance(data, dict) and "jobs" in data and "smaudit" in data["jobs"]:
        workflow = data
    elif isinstance(data, dict) and "jobs" in data:
        fleet_workflow = data
    elif isinstance(data, dict) and "repos" in data:
        precommit = data
    elif isinstance(data, dict):
        gitlab = data
if not (workflow and gitlab and precommit and shell_lines):
    sys.exit("FAIL: docs/ci.md lacks a workflow, GitLab job, pre-commit config or sh block")

steps = workflow["jobs"]["smaudit"]["steps"]
github_runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("smaudit ")]
uploads = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
job = gitlab["smaudit"]
gitlab_runs = [line for line in job["script"] if line.startswith("smaudit ")]
if len(github_runs) != 2 or len(uploads) != 1 or len(gitlab_runs) != 2:
    fail(f"expected 2 GitHub smaudit steps, an upload-sarif step, 2 GitLab commands: "
         f"{github_runs} {uploads} {gitlab_runs}")
if workflow["jobs"]["smaudit"]["permissions"].get("security-events") != "write":
    fail("the workflow does not grant security-events: write")
sarif_file = uploads[0]["with"]["sarif_file"]
if f"-o {sarif_file}" not in github_runs[1]:
    fail(f"the SARIF step does not write {sarif_file}")
report = job["artifacts"]["reports"]["codequality"]
if f"-o {report}" not in gitlab_runs[0] or job["artifacts"].get("when") != "always":
    fail(f"the GitLab job does not write {report} or not upload it always")


def run(command):
    p = subprocess.run(command, shell=True, cwd=repo, capture_output=True, text=True)
    return p.returncode, p.stdout


# Fleets: the sh lines on hosts/ and `smaudit merge`, run on a fleet of two hosts made of the
# examples; the shards merged are the unsharded report, JSON and SARIF. The sharded workflow's
# steps name the same commands, and it uploads the SARIF log its merge step writes.
fleet_lines = [l for l in shell_lines if l.startswith("smaudit ") and
               (" hosts/" in l or l.startswith("smaudit merge "))]
shell_lines = [l for l in shell_lines if l not in fleet_lines]
subprocess.run(f"mkdir -p hosts/a/etc/mail hosts/b && cp mail/* hosts/a/etc/mail/ && "
               f"cp mail/sendmail.cf hosts/b/", shell=True, cwd=repo, check=True)
for line in fleet_lines:
    rc, _ = run(line)
    if rc not in ((0,) if line.startswith("smaudit merge ") else (0, 1)):
        fail(f"{line}: exit {rc}")
rc, _ = run("smaudit audit hosts/ --format sarif --fail-on none -o unsharded.sarif")
try:
    if open(f"{repo}/merged.json").read() != open(f"{repo}/fleet.json").read():
        fail("the merged shards are not the unsharded fleet report")
    if rc != 0 or open(f"{repo}/merged.sarif").read() != open(f"{repo}/unsharded.sarif").read():
        fail("the merged SARIF shards are not the unsharded fleet's SARIF log")
    if [h["host"] for h in json.load(open(f"{repo}/fleet.json"))["hosts"]] != ["a", "b"]:
        fail("fleet.json does not hold hosts a and b")
except (OSError, ValueError, KeyError) as e:
    fail(f"fleet reports: {e}")
fleet_steps = [s.get("run", "") for job in (fleet_workflow or {}).get("jobs", {}).values()
               for s in job["steps"]]
if not any("--shard" in r for r in fleet_steps) or \
        not any(r.startswith("smaudit merge ") for r in fleet_steps):
    fail(f"the sharded workflow lacks its shard or merge step: {fleet_steps}")
# Its code scanning upload is the log its merge step writes from the shards' SARIF logs.
merge_job = (fleet_workflow or {}).get("jobs", {}).get("merge", {"steps": []})
sarif_merges = [s["run"] for s in merge_job["steps"]
                if s.get("run", "").startswith("smaudit merge ") and ".sarif" in s["run"]]
fleet_uploads = [s["with"]["sarif_file"] for s in merge_job["steps"]
                 if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
if len(sarif_merges) != 1 or fleet_uploads != [sarif_merges[0].split("-o ")[1].split()[0]]:
    fail(f"the sharded workflow does not upload its merged SARIF: {sarif_merges} {fleet_uploads}")

# The baseline, as the sh block says.
for line in shell_lines:
    if line.startswith("smaudit "):
        rc, _ = run(line)
        if rc != 0:
            fail(f"{line}: exit {rc}")
schema = json.load(open(f"{root}/tests/schemas/gitlab-code-quality.schema.json"))


def check_reports():
    try:
        sarif = json.load(open(f"{repo}/{sarif_file}"))
        if sarif["version"] != "2.1.0" or not sarif["runs"][0]["results"]:
            fail(f"{sarif_file}: not a SARIF log with results")
        issues = json.load(open(f"{repo}/{report}"))
        jsonschema.validate(issues, schema)
        if not issues or any(not i["location"]["path"].startswith("mail/") for i in issues):
            fail(f"{report}: no issues, or paths not under mail/")
    except (OSError, ValueError, KeyError, jsonschema.ValidationError) as e:
        fail(f"reports: {e}")


# Everything baselined: every step passes; the reports list every finding all the same.
for command in github_runs + gitlab_runs:
    rc, out = run(command)
    if rc != 0:
        fail(f"{command}: exit {rc} with everything baselined")
    if "--format github" in command and out:
        fail(f"{command}: annotations with everything baselined: {out[:300]}")
check_reports()
hooks = yaml.safe_load(open(f"{root}/.pre-commit-hooks.yaml"))
hook = next(h for h in hooks if h["id"] == "smaudit")
args = precommit["repos"][0]["hooks"][0].get("args", [])
staged = ["mail/sendmail.mc", "mail/sendmail.cf"]
rc, out = run(" ".join([hook["entry"], *args, *staged]))
if rc != 0:
    fail(f"the hook on the examples (no high finding): exit {rc}, not 0")

# One new problem: the gates fail, and the GitHub step annotates it (and nothing baselined).
with open(f"{repo}/mail/sendmail.mc", "a") as mc:
    mc.write("FEATURE(`relay_based_on_MX')dnl\n")
for command in [github_runs[0], gitlab_runs[1]]:
    rc, out = run(command)
    if rc != 1:
        fail(f"{command}: exit {rc} with a new finding, not 1")
rc, out = run(github_runs[0])
lines = out.splitlines()
# The .cf beside the .mc was not rebuilt: SM-C006 annotates each setting the two differ in, at
# the .cf; besides those, the new problem alone.
drift = [l for l in lines if "title=SM-C006 " in l]
if not any(l.startswith("::error file=mail/sendmail.mc,line=16,") and "SM-S005" in l
           for l in lines) or len(lines) - len(drift) > 3 or \
        not all(l.startswith("::warning file=mail/sendmail.cf,") for l in drift):
    fail(f"annotations of the new problem: {out[:600]}")
for command in [github_runs[1], gitlab_runs[0]]:
    rc, _ = run(command)
    if rc != 0:
        fail(f"{command}: exit {rc} (--fail-on none)")
check_reports()

# pre-commit: the hook's files pattern and entry, with the documented args.
if hook["language"] != "system" or not hook["entry"].startswith("smaudit"):
    fail(f"hook: {hook}")
pattern = re.compile(hook["files"])
for name in ["sendmail.mc", "mail/sendmail.cf", "etc/mail/submit.cf", "etc/mail/submit.mc",
             "mail/access", "aliases", "mail/virtusertable", "mail/relay-domains",
             "x/local-host-names", "mail/mailertable", "mail/trusted-users", "hub.mc"]:
    if not pattern.search(name):
        fail(f"hook pattern leaves out {name}")
for name in ["README.md", "mail/access.db", "mail/aliases.db", "spamassassin/local.cf",
             "mail/access.txt", "docs/ci.md", "mc"]:
    if pattern.search(name):
        fail(f"hook pattern takes {name}")
rc, out = run(" ".join([hook["entry"], *args, *staged]))
if rc != 1:
    fail(f"the hook on the new problem (high): exit {rc}, not 1")
sys.exit(1 if failed else 0)
PY
echo "docs/ci.md examples and the pre-commit hook work"
