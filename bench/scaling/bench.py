#!/usr/bin/python3
"""10x input, at most 12x time? (run.sh)

Usage: bench.py SMAUDIT RUNS. Inputs, generated in a temporary directory, each audited with
`smaudit audit --format json --fail-on none` (every rule, JSON report):
- access maps: bench/maps/generate.py's mix at 100,000 and 1,000,000 entries (0x: an empty map);
- .cf rules: Debian's /etc/mail/sendmail.cf with 10 rulesets of local rules appended (as a
  LOCAL_RULESETS block would add them), 100 or 1,000 rules each: 1,000 vs 10,000 rules (0x: the
  .cf as it is);
- .mc includes: Debian's /etc/mail/sendmail.mc with 10 or 100 `include' lines appended, each of a
  local m4 file of its own that adds a class of ten host names and a define (0x: the .mc as it
  is). The .mc is expanded with sendmail's cf tree and --include-dir /etc/mail (Debian's .mc
  includes /etc/mail/m4 files by absolute path).
Two ratios per input: whole processes, t(10x) / t(1x); and what the part that grows costs,
(t(10x) - t(0x)) / (t(1x) - t(0x)), the stricter one when a fixed cost (process start,
Debian's own .cf or .mc) weighs on both. The verdict takes CPU time (user + sys; the machine
is shared, and wall time carries the others' load), both ratios at most 12x; the second only
when the growing part is at least 2 ms of CPU at 1x. Every audit runs with `--jobs 1`: a map
from 4 MiB on is split among the threads (the 1M map is, the 100k one is not), which spends
more CPU to take less wall time, so the CPU ratio would weigh the threads' overhead, not how
the work grows. The 1M map is audited with the default `--jobs` too, for its wall time (not
judged)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
import timing  # noqa: E402

smaudit, runs = sys.argv[1], int(sys.argv[2])
timing.require_gnu_time()
default_jobs = [smaudit, "audit", "--format", "json", "--fail-on", "none"]
audit = default_jobs + ["--jobs", "1"]


def cf_with_rules(path, rules_per_ruleset):
    """Debian's .cf and 10 named rulesets of rules_per_ruleset rules each."""
    with open("/etc/mail/sendmail.cf") as f:
        text = f.read()
    lines = []
    for k in range(10 if rules_per_ruleset else 0):
        lines.append(f"SLocal_bench_{k}")
        lines.append(f"C{{Bench{k}}}bench{k}-a.example bench{k}-b.example")
        for i in range(rules_per_ruleset):
            form = i % 4
            if form == 0:
                lines.append(f"R$* < @ host{i}.bench{k}.example . > $*\t"
                             f'$#error $@ 5.7.1 $: "550 host{i} is refused here"')
            elif form == 1:
                lines.append(f"R$+ < @ $={{Bench{k}}} . > $*\t$@ OK\tlocal bench {i}")
            elif form == 2:
                lines.append(f"Rbench{i} $* < @ $+ > $*\t$: $1 < @ $2 . bench{k} . > $3")
            else:
                lines.append(f"R$* [ 192.0.{i % 256} . {i % 200} ] $*\t"
                             f'$#error $@ 4.7.1 $: "451 try later"')
    with open(path, "w") as f:
        f.write(text + "\n".join(lines) + ("\n" if lines else ""))


def mc_with_includes(directory, name, includes):
    """Debian's .mc and `includes` include lines, each of a local m4 file of its own."""
    with open("/etc/mail/sendmail.mc") as f:
        text = f.read()
    for i in range(includes):
        with open(os.path.join(directory, f"{name}-part{i}.m4"), "w") as f:
            hosts = " ".join(f"host{j}.part{i}.example" for j in range(10))
            f.write(f"dnl bench part {i}\ndefine(`BENCH_PART_{i}', `part{i}.example')dnl\n"
                    f"LOCAL_CONFIG\nC{{BenchPart{i}}}{hosts}\n")
        text += f"include(`{directory}/{name}-part{i}.m4')dnl\n"
    with open(os.path.join(directory, f"{name}.mc"), "w") as f:
        f.write(text)


work = tempfile.mkdtemp(prefix="smaudit-scaling-")
try:
    maps_generate = os.path.join(here, "..", "maps", "generate.py")
    for tenth, entries in (("1x", 100_000), ("10x", 1_000_000)):
        os.makedirs(os.path.join(work, tenth))
        subprocess.run([sys.executable, maps_generate, os.path.join(work, tenth), str(entries)],
                       check=True)
    open(os.path.join(work, "empty-access"), "w").close()
    cf_with_rules(os.path.join(work, "rules0.cf"), 0)
    cf_with_rules(os.path.join(work, "rules1k.cf"), 100)
    cf_with_rules(os.path.join(work, "rules10k.cf"), 1000)
    mc_with_includes(work, "includes0", 0)
    mc_with_includes(work, "includes10", 10)
    mc_with_includes(work, "includes100", 100)
    mc = audit + ["--include-dir", "/etc/mail", "--include-dir", work]
    kinds = [
        ("access map, 100,000 vs 1,000,000 entries", [
            timing.Command("access 0x (empty)", audit + ["--kind", "access",
                                                        os.path.join(work, "empty-access")]),
            timing.Command("access 1x (100k)", audit + [os.path.join(work, "1x", "access")]),
            timing.Command("access 10x (1M)", audit + [os.path.join(work, "10x", "access")]),
            timing.Command("access 10x (1M), default --jobs",
                           default_jobs + [os.path.join(work, "10x", "access")])]),
        (".cf, 1,000 vs 10,000 local rules", [
            timing.Command("cf 0x (Debian's .cf)", audit + [os.path.join(work, "rules0.cf")]),
            timing.Command("cf 1x (+1,000 rules)", audit + [os.path.join(work, "rules1k.cf")]),
            timing.Command("cf 10x (+10,000 rules)", audit + [os.path.join(work, "rules10k.cf")])]),
        (".mc, 10 vs 100 included local m4 files", [
            timing.Command("mc 0x (Debian's .mc)", mc + [os.path.join(work, "includes0.mc")]),
            timing.Command("mc 1x (+10 includes)", mc + [os.path.join(work, "includes10.mc")]),
            timing.Command("mc 10x (+100 includes)", mc + [os.path.join(work, "includes100.mc")])]),
    ]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {timing.machine()}; "
          f"load average {timing.load_average()}; medians of {runs} interleaved runs")
    verdicts = []
    for title, commands in kinds:
        timing.interleaved(commands, runs)
        for c in commands:
            if c.status not in (0, 1):  # 1: findings
                sys.exit(f"{c.label}: smaudit exited {c.status}: {c.output[-2000:]!r}")
        print(title)
        timing.print_table(commands)
        zero, one, ten = commands[:3]
        # Judged on CPU time (user + sys): on a shared machine the wall times carry the other
        # processes' load. The part that grows is judged only when it is measurable at 1x.
        whole_wall, whole_cpu = ten.wall / one.wall, ten.cpu / one.cpu
        grown_cpu = (ten.cpu - zero.cpu) / (one.cpu - zero.cpu) if one.cpu > zero.cpu else 0
        grown_wall = (f"{(ten.wall - zero.wall) / (one.wall - zero.wall):.1f}x wall"
                      if one.wall > zero.wall else "wall: 1x no slower than 0x")
        measurable = one.cpu - zero.cpu >= 0.002
        met = whole_cpu <= 12 and (grown_cpu <= 12 or not measurable)
        verdicts.append(met)
        grown = (f"the part that grows {grown_cpu:.1f}x CPU ({grown_wall})" if measurable
                 else f"the part that grows is {(one.cpu - zero.cpu) * 1000:.1f} ms of CPU at 1x, "
                 "too little to measure")
        print(f"  10x/1x: whole process {whole_cpu:.1f}x CPU ({whole_wall:.1f}x wall); {grown}: "
              f"{'met' if met else 'NOT met'} (at most 12x)")
        for threaded in commands[3:]:
            print(f"  {threaded.label} / 1x, not judged: {threaded.wall / one.wall:.1f}x wall, "
                  f"{threaded.cpu / one.cpu:.1f}x CPU")
    print("target (10x input, at most 12x time):", "met" if all(verdicts) else "NOT met")
finally:
    shutil.rmtree(work)
