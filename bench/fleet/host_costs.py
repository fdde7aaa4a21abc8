#!/usr/bin/env python3
"""The cost of each host of a fleet, from `smaudit audit FLEET --host-times FILE` (a
`HOST<TAB>MICROSECONDS` line per host, in report order: the CPU time of the thread that audited
the host). Prints the second host against the last one, and, since one host's figure is noisy,
the median of hosts 2-101 against the median of the last 100 hosts (the first host also makes
the process's one-time tables, so it is left out). bench/fleet/generate.py takes its four
variants in turn (host n is variant n % 4), so each group of 100 holds 25 of each; the single
hosts are also compared with the last host of the second host's variant.
Usage: host_costs.py TIMES_FILE"""
import statistics
import sys


def variant(name):
    n = int(name.lstrip("h"))
    return ["debian-mx", "hub", "submission", "cf"][n % 4]


def main():
    rows = []
    with open(sys.argv[1], encoding="utf-8") as times:
        for line in times:
            host, micros = line.rstrip("\n").split("\t")
            rows.append((host, int(micros) / 1000.0))
    count = len(rows)
    if count < 2:
        sys.exit("host_costs.py: fewer than 2 hosts")

    def show(label, index):
        host, ms = rows[index]
        print(f"  host {index + 1:>6} ({host}, {variant(host):<10}) {ms:7.2f} ms CPU  {label}")
        return ms

    second = show("the second host", 1)
    show("the last host", count - 1)
    same = max(i for i in range(count) if variant(rows[i][0]) == variant(rows[1][0]))
    last_same = show("the last host of the second one's variant", same)
    print(f"  last of that variant / second: {last_same / second:.2f}x")
    if count >= 201:
        first = statistics.median(ms for _, ms in rows[1:101])
        last = statistics.median(ms for _, ms in rows[-100:])
        print(f"  median of hosts 2-101 {first:.2f} ms, of the last 100 hosts {last:.2f} ms: "
              f"{last / first:.2f}x")
        for kind in sorted(set(variant(h) for h, _ in rows)):
            of_kind = [ms for h, ms in rows if variant(h) == kind]
            head = statistics.median(of_kind[1:26])
            tail = statistics.median(of_kind[-25:])
            print(f"    {kind:<10} median of its hosts 2-26 {head:6.2f} ms, of its last 25 "
                  f"{tail:6.2f} ms: {tail / head:.2f}x")
    total = sum(ms for _, ms in rows)
    print(f"  all {count} hosts: {total / 1000:.2f} s CPU in the hosts' audits, "
          f"mean {total / count:.2f} ms")


if __name__ == "__main__":
    main()
