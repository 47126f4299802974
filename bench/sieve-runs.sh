#!/usr/bin/env bash
# The sieve row's spread run by run: each run of SchedulerBench.sieve's program on a fresh
# runtime, with its time, CPU time and scheduler counters (switches, migrations, steals, idle Ps),
# then the time per switch and each count's correlation with time (see
# bench/src/main/java/org/gort/bench/SieveRuns.java).
#
# Usage: bench/sieve-runs.sh [--no-build] [-w WARMUP] [RUNS] [GOMAXPROCS]   (default 10, 30, 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
case "${1:-}" in -h|--help) sed -n '2,6p' "$0"; exit 0 ;; esac
. "$root/bench/common.sh"
bench_setup sieve-runs.sh "$root" "$build"
exec "$java" "${flags[@]}" "${gort_jit[@]}" -Xms2g -Xmx2g -cp "$jar" org.gort.bench.SieveRuns "$@"
