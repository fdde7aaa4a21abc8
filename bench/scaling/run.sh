#!/bin/sh
# Does smaudit's time grow in proportion to its input? Each input at 1x and 10x (and without the
# part that grows, 0x), audited in the same run: the median of RUNS interleaved whole-process
# runs of each (bench.py says what the inputs are). The issue's target: 10x input, at most 12x
# time, for access maps, .cf rules and .mc includes.
# Usage: bench/scaling/run.sh [BUILD_DIR] [RUNS]   (default build-bench, 11)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
runs=${2:-11}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMAUDIT_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target smaudit > /dev/null
exec /usr/bin/python3 "$src/bench/scaling/bench.py" "$build/smaudit" "$runs"
