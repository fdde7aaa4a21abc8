#!/usr/bin/env python3
"""Issue 8, "done when": each performance rule with its fixture and corpus counts.

For every SM-P rule this prints:
  fixture   findings of the rule over the files of fixtures/rules/<ID>/ (each .mc and .cf
            audited alone, a .cf with the text maps of its stem, as fixture_test.cpp does),
            and the expect-next/expect-default annotations they carry (the two must agree);
  mc        files of <corpus>/mc (.mc) flagged by the rule / files audited;
  cf        files of <corpus>/cf flagged / files audited;
  gen-cf    the .cf real m4 makes of each corpus .mc (in a temporary directory): flagged /
            files generated;
  differ    corpus .mc files whose findings of this rule (rule, severity, message) differ from
            those of their generated .cf.

The .mc/.cf comparison is the one tests/rules/mc_cf_agreement_test.cpp asserts (it fails the
suite on any difference); this script only counts. Nothing is written into the corpus.

Usage: tests/scripts/perf_rule_counts.py [--smaudit build/smaudit] [--corpus DIR]
                                        [--cf-tree /usr/share/sendmail/cf] [--rule SM-P020 ...]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A RHEL-style .mc includes cf.m4 from this tree; the installed tree stands in for it (as in
# mc_cf_agreement_test.cpp).
RHEL_TREE = "/usr/share/sendmail-cf/"
INCLUDES_CF_M4 = re.compile(r"include\(\s*`[^']*cf\.m4'")
# `# expect-next: SM-P008*2 SM-P010` (`dnl expect-...` in an .mc): IDs with an optional *count,
# the syntax of tests/rules/fixture_test.cpp.
ANNOTATION = re.compile(r"^(?:#|dnl) expect-(?:next|default):(.*)$", re.M)
ANNOTATION_ID = re.compile(r"(SM-[A-Z]\d+)(?:\*(\d+))?")


def annotated(text, rule):
    return sum(int(count or 1) for line in ANNOTATION.findall(text)
               for ident, count in ANNOTATION_ID.findall(line) if ident == rule)
# What a message adds about one form only (mc_cf_agreement_test.cpp's without_form_remarks).
FORM_REMARK = "; a .cf cannot be fixed in place"


def audit(smaudit, *paths):
    """The performance findings of the files audited together: [(rule, severity, message)], or
    None when smaudit could not audit them (exit code 2)."""
    run = subprocess.run(
        [smaudit, "audit", "--format", "json", "--pack", "performance", "--fail-on", "none",
         *paths],
        capture_output=True, text=True)
    if run.returncode != 0:
        return None
    report = json.loads(run.stdout)
    return [(f["rule"], f["severity"], f["message"].split(FORM_REMARK)[0])
            for f in report["findings"] if f["pack"] == "performance"]


def expand(mc, cf_tree, scratch):
    """The .cf real m4 makes of an .mc, written under scratch with the .mc's stem, or None."""
    with open(mc, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    source = mc
    if RHEL_TREE in text:
        source = os.path.join(scratch, "rhel-" + os.path.basename(mc))
        with open(source, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text.replace(RHEL_TREE, cf_tree.rstrip("/") + "/", 1))
    args = ["m4", source] if INCLUDES_CF_M4.search(text) else ["m4", "../m4/cf.m4", source]
    run = subprocess.run(args, cwd=os.path.join(cf_tree, "cf"), capture_output=True)
    if run.returncode != 0:
        return None
    out_dir = os.path.join(scratch, "gen-" + os.path.basename(mc))
    os.mkdir(out_dir)
    cf = os.path.join(out_dir, os.path.splitext(os.path.basename(mc))[0] + ".cf")
    with open(cf, "wb") as f:
        f.write(run.stdout)
    return cf


def files_in(directory, suffix=None):
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory)
                  if os.path.isfile(os.path.join(directory, n))
                  and (suffix is None or n.endswith(suffix)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smaudit", default=os.path.join(ROOT, "build", "smaudit"))
    parser.add_argument("--corpus",
                        default=os.path.join(os.path.dirname(ROOT), "shared", "corpus"))
    parser.add_argument("--cf-tree", default="/usr/share/sendmail/cf")
    parser.add_argument("--rule", action="append", help="only these rule IDs")
    options = parser.parse_args()

    listing = json.loads(subprocess.run([options.smaudit, "rules", "--format", "json",
                                         "--implemented"], capture_output=True, text=True,
                                        check=True).stdout)
    rules = [r["id"] for r in listing["rules"] if r["pack"] == "performance"
             and (not options.rule or r["id"] in options.rule)]

    # Fixtures: findings of the rule in its own fixture directory, and its annotations.
    fixture_findings, fixture_annotations = {}, {}
    for rule in rules:
        found = expected = 0
        for path in files_in(os.path.join(ROOT, "fixtures", "rules", rule)):
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                expected += annotated(f.read(), rule)
            stem, suffix = os.path.splitext(path)
            if suffix in (".mc", ".cf"):
                # Text maps of the same stem go with the .cf (fixture_test.cpp's grouping).
                maps = [m for m in files_in(os.path.dirname(path))
                        if os.path.splitext(m)[0] == stem and not m.endswith((".mc", ".cf"))]
                paths = [path] + (maps if suffix == ".cf" else [])
            elif os.path.exists(stem + ".cf"):
                continue  # audited with its .cf
            else:
                paths = [path]
            findings = audit(options.smaudit, *paths) or []
            found += sum(1 for f in findings if f[0] == rule)
        fixture_findings[rule], fixture_annotations[rule] = found, expected

    flagged = {form: collections.Counter() for form in ("mc", "cf", "gen")}
    read = collections.Counter()
    differ = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="perf-rule-counts-") as scratch:
        for path in files_in(os.path.join(options.corpus, "cf")):
            findings = audit(options.smaudit, path)
            if findings is None:
                continue
            read["cf"] += 1
            for rule in {f[0] for f in findings}:
                flagged["cf"][rule] += 1
        for mc in files_in(os.path.join(options.corpus, "mc"), ".mc"):
            from_mc = audit(options.smaudit, mc)
            if from_mc is not None:
                read["mc"] += 1
                for rule in {f[0] for f in from_mc}:
                    flagged["mc"][rule] += 1
            cf = expand(mc, options.cf_tree, scratch)
            if cf is None:
                continue
            from_cf = audit(options.smaudit, cf)
            if from_cf is None:
                continue
            read["gen"] += 1
            for rule in {f[0] for f in from_cf}:
                flagged["gen"][rule] += 1
            if from_mc is None:
                continue
            for rule in rules:
                mine_mc = sorted(f for f in from_mc if f[0] == rule)
                mine_cf = sorted(f for f in from_cf if f[0] == rule)
                if mine_mc != mine_cf:
                    differ[rule] += 1
                    print(f"# {rule}: {os.path.basename(mc)} and its generated .cf differ",
                          file=sys.stderr)

    header = ("rule", "fixture findings", "annotations", ".mc flagged/read",
              ".cf flagged/read", "m4 .cf flagged/read", ".mc vs m4 .cf differ")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for rule in rules:
        print(f"| {rule} | {fixture_findings[rule]} | {fixture_annotations[rule]} | "
              f"{flagged['mc'][rule]}/{read['mc']} | {flagged['cf'][rule]}/{read['cf']} | "
              f"{flagged['gen'][rule]}/{read['gen']} | {differ[rule]} |")
    # Non-zero when a count shows a defect: fixtures whose findings are not their annotations,
    # or an .mc whose verdict its own generated .cf does not share.
    bad = [r for r in rules if fixture_findings[r] != fixture_annotations[r] or differ[r]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
