#!/usr/bin/env bash
# Measures one scheduler program under gort's strategies, JDK virtual threads and Go in short
# alternating rounds, and prints each round's ratios and their median.
#
# Usage: bench/interleave.sh [-r ROUNDS] [-wi N] [-i N] [--no-build] [--sched LIST] program gomaxprocs
#   program     pingpong, spawn or sieve (SchedulerBench.<program>, VirtualThreadBench.<program>,
#               bench/go/<program>)
#   -r ROUNDS   rounds (default 7); each round runs every contender once, in a fresh JVM or process
#   -wi/-i      warmup and measured iterations per contender and round (default 3 and 3)
#   --sched     comma-separated gort schedulers (default gmp)
#   --no-build  use the existing bench/target/benchmarks.jar
# Output: bench/results/<time>-interleave/{rounds.tsv,summary.txt}, summary printed at the end.
#
# Why: on a virtual machine the host's load changes the speed of every program on it for
# seconds at a time (the same step shows in Go's figures as in gort's). A sequential run can put
# gort in a slow window and its comparator in a fast one; within one round all contenders run
# within seconds of each other, and the median of the per-round ratios discounts the windows.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=7 warmup=3 iters=3 build=1 scheds=gmp
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -wi) warmup="$2"; shift 2 ;;
    -i) iters="$2"; shift 2 ;;
    --sched) scheds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "interleave.sh: unknown option $1 (see bench/interleave.sh --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 2 ]; then
  echo "interleave.sh: give a program and a GOMAXPROCS, e.g. bench/interleave.sh pingpong 2" >&2
  exit 2
fi
program="$1" procs="$2"
case "$program" in pingpong|spawn|sieve) ;; *)
  echo "interleave.sh: unknown program '$program'; choose pingpong, spawn or sieve" >&2; exit 2 ;;
esac
[[ "$procs" =~ ^[12]$ ]] || { echo "interleave.sh: gomaxprocs must be 1 or 2 (the benchmarks' parameters), got '$procs'" >&2; exit 2; }

command -v go >/dev/null 2>&1 || { echo "interleave.sh: no 'go' on PATH; install Go (Debian: apt-get install golang-go)" >&2; exit 1; }
. "$root/bench/common.sh"
bench_setup interleave.sh "$root" "$build"

bin="${GORT_BENCH_GOBIN:-${TMPDIR:-/tmp}/gort-bench-go}"
mkdir -p "$bin"
(cd "$root/bench/go" && GOCACHE="${GOCACHE:-$bin/cache}" GOFLAGS=-mod=mod GO111MODULE=on go build -o "$bin/$program" "./$program")

out="$root/bench/results/$(date +%Y%m%d-%H%M%S)-interleave"
mkdir -p "$out"
IFS=, read -r -a sched_list <<< "$scheds"
contenders=("${sched_list[@]}" virtual-threads go)
printf 'round\t%s\n' "$(IFS=$'\t'; echo "${contenders[*]}")" > "$out/rounds.tsv"

# One JMH figure: the mean of the measured iterations (one fork). gort's forks run with the gort
# script's JIT options, as `./gort run` does (--gort); virtual threads' with the JVM's defaults.
jmh_score() {
  local gort=()
  if [ "$1" = --gort ]; then gort=(--gort); shift; fi
  bench_jmh_score interleave.sh "$out/last" "${gort[@]}" -wi "$warmup" -i "$iters" "$@" || exit 1
}

for ((r = 1; r <= rounds; r++)); do
  row=("$r")
  for s in "${sched_list[@]}"; do
    row+=("$(jmh_score --gort "SchedulerBench\.$program\$" -p scheduler="$s" -p gomaxprocs="$procs")")
  done
  row+=("$(jmh_score "VirtualThreadBench\.$program\$" -p gomaxprocs="$procs")")
  row+=("$(GOMAXPROCS=$procs "$bin/$program" -wi "$warmup" -i "$iters" | sed -n 's/.* mean=\([0-9.]*\).*/\1/p')")
  (IFS=$'\t'; echo "${row[*]}") | tee -a "$out/rounds.tsv"
done

# Per-round ratios of the first gort scheduler to each other contender, and medians.
awk -F'\t' -v program="$program" -v procs="$procs" -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { for (c = 2; c <= NF; c++) name[c] = $c; cols = NF; next }
  {
    n++
    for (c = 2; c <= cols; c++) v[c, n] = $c
    for (c = 3; c <= cols; c++) ratio[c, n] = $2 / $c
  }
  END {
    printf "%s, GOMAXPROCS=%d, %d rounds (%s; load average after: %s)\n\n", program, procs, n, (program == "sieve" ? "ms per run" : "ns/op"), loadavg
    printf "| round |"; for (c = 2; c <= cols; c++) printf " %s |", name[c]
    for (c = 3; c <= cols; c++) printf " %s / %s |", name[2], name[c]; print ""
    printf "|---:|"; for (c = 2; c <= 2 * cols - 2; c++) printf "---:|"; print ""
    for (i = 1; i <= n; i++) {
      printf "| %d |", i; for (c = 2; c <= cols; c++) printf " %.0f |", v[c, i]
      for (c = 3; c <= cols; c++) printf " ×%.2f |", ratio[c, i]; print ""
    }
    printf "| median |"; for (c = 2; c <= cols; c++) { split("", t); for (i = 1; i <= n; i++) t[i] = v[c, i]; printf " %.0f |", median(t, n) }
    for (c = 3; c <= cols; c++) { split("", t); for (i = 1; i <= n; i++) t[i] = ratio[c, i]; printf " ×%.2f |", median(t, n) }
    print ""
    # Virtual threads faster than Go on pingpong: their carriers spun in SynchronousQueue and
    # never parked, so those rounds measured two spinning threads, not a scheduler.
    for (c = 2; c <= cols; c++) { if (name[c] == "virtual-threads") vt = c; if (name[c] == "go") go = c }
    spun = ""
    if (program == "pingpong" && vt && go) for (i = 1; i <= n; i++) if (v[vt, i] < v[go, i]) spun = spun (spun == "" ? "" : ", ") i
    if (spun != "") printf "\nVirtual threads beat Go in round(s) %s: their carriers spun instead of parking (see docs/benchmarks.md).\n", spun
  }' "$out/rounds.tsv" > "$out/summary.txt"
echo
cat "$out/summary.txt"
echo "(results in $out)"
