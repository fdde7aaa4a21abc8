#!/bin/sh
# A whole /etc/mail audited by smaudit beside the real sendmail loading its sendmail.cf, in the
# same run: the median of RUNS interleaved whole-process runs of each, and peak memory
# (bench.py says exactly what each command is).
# Usage: bench/etc-mail/run.sh [BUILD_DIR] [RUNS] [DIR]   (default build-bench, 31, /etc/mail)
# Needs root: sendmail runs in a UTS namespace of its own (unshare) with a qualified host name,
# as in the relay tests, so that it looks nothing up in the DNS (it would wait a minute for it).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
runs=${2:-31}
dir=${3:-/etc/mail}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target smaudit > /dev/null
exec unshare -u sh -c 'hostname mx.example.test && exec /usr/bin/python3 "$@"' sh \
    "$src/bench/etc-mail/bench.py" "$build/smaudit" "$dir" "$runs"
