#!/usr/bin/env bash
# Runs the Go reference programs in bench/go, each at GOMAXPROCS=1 and 2, and prints one line
# per program and GOMAXPROCS:
#
#   go <bench> procs=<n> <unit> mean=<x> min=<x> max=<x> iters=<n>
#
# Usage: bench/run-go.sh [-wi N] [-i N] [regex]   (regex selects programs by name)
# Needs Go (Debian: apt-get install golang-go; the figures in docs/benchmarks.md are Go 1.19).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
warmup=3
iters=5
pattern='.*'
while [ $# -gt 0 ]; do
  case "$1" in
    -wi) warmup="$2"; shift 2 ;;
    -i) iters="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) pattern="$1"; shift ;;
  esac
done
if ! command -v go >/dev/null 2>&1; then
  echo "run-go.sh: no 'go' on PATH; install Go (Debian: apt-get install golang-go) and retry" >&2
  exit 1
fi
bin="${GORT_BENCH_GOBIN:-${TMPDIR:-/tmp}/gort-bench-go}"
mkdir -p "$bin"
cd "$here/go"
export GOCACHE="${GOCACHE:-$bin/cache}" GOFLAGS=-mod=mod GO111MODULE=on
echo "# $(go version); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for dir in */; do
  prog="${dir%/}"
  [ -f "$prog/main.go" ] || continue
  [[ "$prog" =~ $pattern ]] || continue
  go build -o "$bin/$prog" "./$prog"
  for procs in 1 2; do
    GOMAXPROCS=$procs "$bin/$prog" -wi "$warmup" -i "$iters"
  done
done
