#!/usr/bin/env bash
# Builds the JMH uber-jar, runs the selected benchmarks and the matching Go reference programs
# in one go, and writes a report with ratios and targets.
#
# Usage: bench/run.sh [-f N] [-wi N] [-i N] [--no-build] [--no-go] [--quiet L] [regex]
#   regex      JMH benchmark selection (default: all), e.g. 'SchedulerBench|VirtualThreadBench';
#              when it matches "GcHarness", the collector harness runs too
#   -f/-wi/-i  JMH forks, warmup and measured iterations (default: each benchmark's own
#              annotations); the Go programs use -wi/-i too (default 3 and 5)
#   --no-build use the existing bench/target/benchmarks.jar
#   --no-go    skip the Go programs
#   --quiet L  on a shared machine: before each part, wait (up to 30 min) until the 1-minute
#              load average is below L; the load averages are recorded either way
# Output: bench/results/<time>/{machine.txt,jmh.txt,jmh-gort.csv,jmh-vt.csv,gc.txt,go.txt,report.md}; the
# report is printed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command_line="bench/run.sh $*"
forks=1 warmup='' iters='' build=1 go=1 quiet='' pattern='.*'
while [ $# -gt 0 ]; do
  case "$1" in
    -f) forks="$2"; shift 2 ;;
    -wi) warmup="$2"; shift 2 ;;
    -i) iters="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-go) go=0; shift ;;
    --quiet) quiet="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
    *) pattern="$1"; shift ;;
  esac
done

. "$root/bench/common.sh"
bench_setup run.sh "$root" "$build"

out="$root/bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
  echo "date: $(date -Is)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "java: $("$java" -version 2>&1 | head -1)"
  echo "go: $(command -v go >/dev/null && go version || echo none)"
  echo "git: $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: $command_line"
} > "$out/machine.txt"
cat "$out/machine.txt"

# Waits for the machine to calm down (with --quiet) and notes the load in machine.txt.
settle() {
  if [ -n "$quiet" ]; then
    local waited=0
    while awk -v l="$quiet" '{ exit !($1 >= l) }' /proc/loadavg && [ "$waited" -lt 1800 ]; do
      sleep 15; waited=$((waited + 15))
    done
  fi
  echo "load average before $1: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
}

jmh_opts=(-f "$forks")
[ -n "$warmup" ] && jmh_opts+=(-wi "$warmup")
[ -n "$iters" ] && jmh_opts+=(-i "$iters")
: > "$out/jmh.txt"
# gort's benchmarks run with the gort script's JIT options, as `./gort run` does; virtual threads
# with the JVM's defaults. Each group is one JMH run, with its own CSV (jmh-gort.csv, jmh-vt.csv).
selected=$("$java" "${flags[@]}" -jar "$jar" -l "$pattern" | grep '^org\.gort\.bench\.' || true)
if [ -n "$selected" ]; then
  settle JMH
  gort_benches=$(grep -v '\.VirtualThreadBench\.' <<< "$selected" | sed 's/.*/^&$/' || true)
  vt_benches=$(grep '\.VirtualThreadBench\.' <<< "$selected" | sed 's/.*/^&$/' || true)
  for group in gort vt; do
    if [ "$group" = gort ]; then benches=$gort_benches; jvm=(-jvmArgsPrepend "${gort_jit[*]}"); else benches=$vt_benches; jvm=(); fi
    [ -n "$benches" ] || continue
    # shellcheck disable=SC2086 # one regex per benchmark
    "$java" "${flags[@]}" -jar "$jar" "${jmh_opts[@]}" "${jvm[@]}" -rf csv -rff "$out/jmh-$group.csv" $benches 2>&1 | tee -a "$out/jmh.txt"
  done
fi

: > "$out/gc.txt"
gc=0
if [[ GcHarness =~ $pattern ]]; then
  gc=1
  settle GcHarness
  gc_opts=()
  [ -n "$warmup" ] && gc_opts+=(-wi "$warmup")
  [ -n "$iters" ] && gc_opts+=(-i "$iters")
  # A failed run is a "failed" line in the report, not the end of the benchmarks. The harness runs
  # runtimes as `./gort run` does, with the script's JIT options.
  "$java" "${flags[@]}" "${gort_jit[@]}" -Xms2g -Xmx6g -cp "$jar" org.gort.bench.GcHarness "${gc_opts[@]}" 2>&1 | tee "$out/gc.txt" || true
fi

: > "$out/go.txt"
if [ "$go" = 1 ]; then
  # The Go programs whose name begins the name of a selected benchmark method
  # (SchedulerBench.sieve -> go/sieve, AllocBench.alloc16TwoThreads -> go/alloc).
  methods=$("$java" "${flags[@]}" -jar "$jar" -l "$pattern" | sed -n 's/^.*\.\([A-Za-z0-9]*\)$/\1/p' | tr 'A-Z' 'a-z' | sort -u)
  selected=""
  [ "$gc" = 1 ] && selected="binarytrees|parkedheap"
  for dir in "$root"/bench/go/*/; do
    p="$(basename "$dir")"
    [ -f "$dir/main.go" ] || continue
    if printf '%s\n' $methods | grep -q "^$p"; then
      selected="$selected${selected:+|}$p"
    fi
  done
  if [ -n "$selected" ]; then
    settle Go
    "$root/bench/run-go.sh" -wi "${warmup:-3}" -i "${iters:-5}" "^($selected)\$" 2>&1 | tee "$out/go.txt"
  fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

"$java" -cp "$jar" org.gort.bench.Report "$out" > "$out/report.md"
echo
cat "$out/report.md"
echo "(results in $out)"
