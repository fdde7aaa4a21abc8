#!/bin/sh
# Times smaudit beside sendmail's own map builders on the same generated files, in the same run:
# the median of RUNS interleaved whole-process runs of each, and peak memory from
# /usr/bin/time -v (bench.py says what each command is). Three smaudit figures per file: the
# parser alone (maps_parse_bench: read, parse, duplicate check), a full `smaudit audit` (parse,
# every rule, JSON report) and `smaudit show --format json` (every entry printed).
# Usage: bench/maps/run.sh [BUILD_DIR] [RUNS]   (default build-bench, 5)
# Needs root: newaliases (sendmail -bi) runs in a UTS namespace of its own (unshare) with a
# qualified host name, so that it looks nothing up in the DNS.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
runs=${2:-5}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target maps_parse_bench smaudit > /dev/null
exec unshare -u sh -c 'hostname mx.example.test && exec /usr/bin/python3 "$@"' sh \
    "$src/bench/maps/bench.py" "$build" "$runs"
