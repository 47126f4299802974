#!/usr/bin/env bash
# How often Go's own scheduler steals, starts and parks Ms on a bench/go program, counted with
# Linux uprobes at the entries of runtime.runqsteal, runtime.startm and runtime.stopm: the Go
# side of gort's sched.steals, sched.m.wakes and sched.m.parks (bench/sieve-runs.sh prints
# gort's per run). Counts are per program run (warm-up runs included), at GOMAXPROCS=2.
#
# Usage: bench/go-sched-probes.sh [PROGRAM] [RUNS]   (default sieve, 12)
# Needs root, tracefs at /sys/kernel/tracing with uprobes, and Go. A probe's hit costs a few
# microseconds, so probe only functions the scheduler calls rarely; runqsteal is called only
# by a spinning M (stealWork), not on every switch.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prog="${1:-sieve}"
runs="${2:-12}"
case "$prog" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac
tracefs=/sys/kernel/tracing
[ -w "$tracefs/uprobe_events" ] || { echo "go-sched-probes.sh: needs root and $tracefs/uprobe_events (uprobes)" >&2; exit 1; }
command -v go >/dev/null 2>&1 || { echo "go-sched-probes.sh: no 'go' on PATH (Debian: apt-get install golang-go)" >&2; exit 1; }
[ -f "$here/go/$prog/main.go" ] || { echo "go-sched-probes.sh: no program bench/go/$prog" >&2; exit 2; }

bin="${GORT_BENCH_GOBIN:-${TMPDIR:-/tmp}/gort-bench-go}"
mkdir -p "$bin"
exe="$bin/$prog-probed"
(cd "$here/go" && GOCACHE="${GOCACHE:-$bin/cache}" GOFLAGS=-mod=mod GO111MODULE=on go build -o "$exe" "./$prog")

# A uprobe is placed at a file offset: the symbol's address less its segment's (address - offset).
read -r seg_off seg_addr < <(readelf -lW "$exe" | awk '$1=="LOAD" && / E / {print $2, $3; exit}')
delta=$((seg_addr - seg_off))
group="gortgo$$"
cleanup() {
  echo 0 > "$tracefs/events/$group/enable" 2>/dev/null || true
  for f in runqsteal startm stopm; do echo "-:$group/$f" >> "$tracefs/uprobe_events" 2>/dev/null || true; done
}
trap cleanup EXIT
for f in runqsteal startm stopm; do
  addr=$(go tool nm "$exe" | awk -v s="runtime.$f" '$3==s {print $1}')
  [ -n "$addr" ] || { echo "go-sched-probes.sh: no runtime.$f in $exe" >&2; exit 1; }
  printf 'p:%s/%s %s:0x%x\n' "$group" "$f" "$exe" $((0x$addr - delta)) >> "$tracefs/uprobe_events"
done
echo > "$tracefs/trace"
echo 1 > "$tracefs/events/$group/enable"
GOMAXPROCS=2 "$exe" -wi 0 -i "$runs"
echo 0 > "$tracefs/events/$group/enable"
for f in runqsteal startm stopm; do
  n=$(grep -c " $f:" "$tracefs/trace" || true)
  awk -v f="$f" -v n="$n" -v r="$runs" 'BEGIN {printf "go %s: %d calls in %d runs, %.0f per run\n", f, n, r, n / r}'
done
if grep -q "LOST" "$tracefs/trace"; then
  echo "go-sched-probes.sh: the trace buffer overflowed; the counts are low" >&2
fi
