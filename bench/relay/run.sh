#!/bin/sh
# A full relay probe run on Debian's default configuration (or CF) through smaudit's relay
# simulator beside the same probes through the real `sendmail -bt`, in the same run
# (relay_bench.cpp): the verdicts compared and the median times of RUNS runs.
# Usage: bench/relay/run.sh [BUILD_DIR] [CF] [RUNS]   (default build-bench, /etc/mail/sendmail.cf, 20)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
cf=${2:-/etc/mail/sendmail.cf}
runs=${3:-20}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target relay_bench > /dev/null
# root: sendmail runs in a UTS namespace of its own (unshare), as in the tests
"$build/relay_bench" "$cf" "$runs"
