"""Whole-process timing shared by the benches: commands run in turn, RUNS rounds, each round in
the opposite order to the last (a noisy shared machine then weighs on every command alike), and
the median of each command's wall and CPU time (wait4's rusage). Peak memory from one
`/usr/bin/time -v` run of each: wait4's maximum RSS of a child forked by Python would count the
Python pages the child held before its exec.

Used by bench/etc-mail/bench.py and bench/scaling/bench.py."""
import os
import re
import statistics
import subprocess
import sys
import time

TIME = "/usr/bin/time"


def require_gnu_time():
    """/usr/bin/time (Debian package `time`) is what the figures cite for peak memory; installed
    when missing, as the Makefile's deps target installs packages."""
    if os.access(TIME, os.X_OK):
        return
    print("installing the time package (/usr/bin/time)", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "time"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def run_once(argv, stdin=None, cwd=None):
    """One run: (wall seconds, CPU seconds user+sys, exit status, stdout)."""
    with open(stdin or os.devnull, "rb") as given:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdin=given, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, cwd=cwd)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return wall, usage.ru_utime + usage.ru_stime, child.returncode, out


def time_v_peak(argv, stdin=None, cwd=None):
    """Peak RSS (KB) as `/usr/bin/time -v` prints it for one run."""
    with open(stdin or os.devnull, "rb") as given:
        done = subprocess.run([TIME, "-v"] + argv, stdin=given, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, cwd=cwd)
    found = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return int(found.group(1)) if found else None


class Command:
    def __init__(self, label, argv, stdin=None, cwd=None):
        self.label, self.argv, self.stdin, self.cwd = label, argv, stdin, cwd
        self.walls, self.cpus = [], []
        self.status, self.output, self.peak = None, b"", None

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return statistics.median(self.cpus)


def interleaved(commands, runs):
    """Runs every command RUNS times, interleaved; fills each Command's lists. One unmeasured
    warm-up run each first (page cache, dynamic loader)."""
    for command in commands:
        run_once(command.argv, command.stdin, command.cwd)
    for round_number in range(runs):
        order = commands if round_number % 2 == 0 else list(reversed(commands))
        for command in order:
            wall, cpu, status, out = run_once(command.argv, command.stdin, command.cwd)
            command.walls.append(wall)
            command.cpus.append(cpu)
            command.status, command.output = status, out
    for command in commands:
        command.peak = time_v_peak(command.argv, command.stdin, command.cwd)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    cores = os.cpu_count()
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cores} cores, {model}"


def print_table(commands, reference=None):
    """One line per command: median wall and CPU, peak memory; with REFERENCE, the ratio of its
    median wall to each command's."""
    for c in commands:
        ratio = ""
        if reference is not None and c is not reference:
            ratio = f"  ({reference.label.split(',')[0]} / this: {reference.wall / c.wall:.2f}x)"
        print(f"  {c.label:<44} wall {c.wall * 1000:9.1f} ms  cpu {c.cpu * 1000:9.1f} ms  "
              f"peak {c.peak:7d} KB{ratio}")
