#!/usr/bin/env bash
# The rows of docs/benchmarks.md's table, one command each: gort and Go (or, for start-up, gort
# with and without its AOT cache) run alternately, round after round, and the ratio of each round
# and the median of the ratios are printed.
#
# Usage: bench/rows.sh [-r ROUNDS] [--no-build] ROW...
#   pingpong-p1, pingpong-p2, sieve, spawn
#             the JMH scheduler benchmarks against bench/go (bench/interleave.sh; sieve and spawn
#             at GOMAXPROCS=2); default 5 rounds
#   bt16, bt18, bt20
#             binary-trees cold: one `./gort run binary-trees n=N` against one bench/go/binarytrees
#             process (-wi 0 -i 1), whole-process wall time and peak resident memory; default 5
#             rounds (3 for bt20)
#   jvm16, jvm18, jvm20
#             the floor under the bt rows: bench/java/BinaryTrees.java (the same program on the
#             JVM's own objects, collector and virtual threads, no gort) against the same Go
#             process, cold; default as btN
#   parked    10^6 goroutines parked on one channel: the time to create and park them (timed
#             inside each program: bench/gort/parked.java, bench/go/parked) and the process's
#             peak resident memory; default 5 rounds
#   startup   `./gort run sieve n=10`, whole process: the default fast path with its AOT cache,
#             the same with GORT_AOT=0, the framework's path (GORT_FELIX=1) with its cache, and
#             `java -version` (the floor of any JVM); default 11 rounds
#   pause     hybrid with 10^5 parked goroutines, worst stop-the-world time per cycle (a cycle's
#             pauses added up, as Go's MemStats.PauseNs, over the cycles during the churn):
#             GcHarness (-only parkedheap -collectors hybrid -goroutines 100000, the gort
#             script's JIT options; churn.cycle.pause.max.median, the median of its five runs'
#             worst) against bench/go/parkedheap's pausemaxmedian, the same over its five runs;
#             default 5 rounds
#   bt16-warm binary-trees n=16 warmed: GcHarness -only binarytrees -collectors hybrid (mean of
#             five runs) against bench/go/binarytrees -n 16 -wi 3 -i 5 (mean); default 5 rounds
#   sieve-fresh
#             the sieve on a fresh runtime or process, one run each: JMH single-shot iterations
#             (-bm ss, a runtime per iteration; 5 warm-up, 10 measured) against 10 fresh
#             bench/go/sieve processes (-wi 0 -i 1), GOMAXPROCS=2, means; no run overlaps the
#             previous run's leftover filters, as every run after the first does in the sieve
#             row; default 5 rounds
#   switch-floor
#             the floors under pingpong-p1 and -p2: gort's pingpong at P=1 and P=2 against Go's
#             round trip plus what the JVM's switch costs more, at the rates Go's run switches
#             and migrates (bench/go/pingpong -tags probe, as sieve-floor builds it): per switch
#             a continuation's yield and resume (ContinuationBench, the gort script's JIT
#             options), per migration its extra cost on the other thread (as sieve-floor);
#             needs patch(1); default 5 rounds
#   bt16-floor
#             the floor under bt16: start-up (`./gort run sieve n=10`) plus one warmed n=16 run
#             (GcHarness, as bt16-warm) against one cold Go process, with gort's cold run
#             (`./gort run binary-trees n=16`) in the same round; default 5 rounds
#   sieve-floor
#             the floor under the sieve row: what a switch and a migration (a goroutine resumed
#             on another M than the last) cost. Per round: a continuation's extra cost when
#             resumed on the other thread (ContinuationMigrationBench, (hop - stay) / 2), then
#             10 sieves on fresh runtimes (bench/sieve-runs.sh's runs) against 10 Go processes
#             built on a copy of Go's runtime with bench/go/runtime-probe.patch (bench/go/sieve
#             -tags probe), which counts switches, migrations and steals: once as Go runs, once
#             spinning that extra cost on each migration, and a third time spinning besides a
#             continuation's yield and resume (ContinuationBench) on each switch: the floor;
#             GOMAXPROCS=2, medians; needs patch(1); default 5 rounds
#   all       every row above, in that order
#   -r ROUNDS  rounds for every row named
#   --no-build use the jars as built (else ./gort build first, which also trains the AOT cache)
# Output: bench/results/<time>-rows/<row>.tsv and summary.md (printed at the end).
#
# Whole-process times, CPU time (user + system) and peak memory come from /usr/bin/time (GNU
# time). On a shared machine the load moves every figure; the per-round ratio compares runs made
# seconds apart, CPU time moves less with the load than wall time, and the summary records the
# load average before and after each row.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds='' build=1
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,65p' "$0"; exit 0 ;;
    -*) echo "rows.sh: unknown option $1 (see bench/rows.sh --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
all_rows=(pingpong-p1 pingpong-p2 sieve spawn bt16 bt18 bt20 jvm16 jvm18 jvm20 parked startup pause bt16-warm
  sieve-fresh switch-floor bt16-floor sieve-floor)
[ $# -gt 0 ] || { echo "rows.sh: name a row (${all_rows[*]}, or all)" >&2; exit 2; }
rows=()
for r in "$@"; do
  if [ "$r" = all ]; then
    rows+=("${all_rows[@]}")
  elif [[ " ${all_rows[*]} " == *" $r "* ]]; then
    rows+=("$r")
  else
    echo "rows.sh: unknown row '$r'; choose ${all_rows[*]}, or all" >&2; exit 2
  fi
done
[ -x /usr/bin/time ] || { echo "rows.sh: needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
command -v go >/dev/null 2>&1 || { echo "rows.sh: no 'go' on PATH; install Go (Debian: apt-get install golang-go)" >&2; exit 1; }

# The start-up caches are skipped, silently, once a jar is newer than they are (the gort
# script's aot_fresh); the cold rows would then measure a start without them. With --no-build
# they are trained again here when stale, as ./gort build does.
aot_stale() {
  local c j
  for c in "$root/launcher/target/gort.aot" "$root/launcher/target/gort-run.aot"; do
    [ -f "$c" ] || return 0
    for j in "$root/gort" "$root/launcher/target/gort-launcher.jar" "$root"/launcher/target/lib/*.jar \
        "$root"/launcher/target/bundles/*.jar; do
      if [ -f "$j" ] && [ "$j" -nt "$c" ]; then return 0; fi
    done
  done
  return 1
}
if [ "$build" = 1 ]; then
  "$root/gort" build
elif aot_stale; then
  echo "rows.sh: the start-up caches are older than the jars; training them again (./gort aot)" >&2
  "$root/gort" aot || echo "rows.sh: could not train the start-up caches; the cold rows run without them" >&2
fi
bin="${GORT_BENCH_GOBIN:-${TMPDIR:-/tmp}/gort-bench-go}"
mkdir -p "$bin"
(cd "$root/bench/go" && export GOCACHE="${GOCACHE:-$bin/cache}" GOFLAGS=-mod=mod GO111MODULE=on \
  && go build -o "$bin/binarytrees" ./binarytrees && go build -o "$bin/parked" ./parked \
  && go build -o "$bin/parkedheap" ./parkedheap && go build -o "$bin/pingpong" ./pingpong && go build -o "$bin/sieve" ./sieve)

out="$root/bench/results/$(date +%Y%m%d-%H%M%S)-rows"
mkdir -p "$out"
{
  echo "# bench/rows.sh ${rows[*]}"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; $(go version | cut -d' ' -f3); git $(cd "$root" && git rev-parse --short HEAD)"
} > "$out/summary.md"

load() { cut -d' ' -f1-3 /proc/loadavg; }

# median of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# table <tsv> <title> <ratio columns, space-separated> <heading>...: appends to the summary (and
# prints) a section <title> with the load, a table of the tsv's rounds under the headings (one
# per tsv column, the round first; ratio columns get a ×) and a row of the columns' medians.
table() {
  local tsv="$1" title="$2" ratios=" $3 " before="$4" c v n
  shift 4
  n=$#
  {
    echo; echo "## $title (load before: $before, after: $(load))"; echo
    printf '|'; printf ' %s |' "$@"; echo
    printf '|'; for ((c = 1; c <= n; c++)); do printf -- '---:|'; done; echo
    awk -F'\t' -v ratios="$ratios" 'NR > 1 {
      printf "|"; for (c = 1; c <= NF; c++) printf (index(ratios, " " c " ") ? " ×%s |" : " %s |"), $c; print "" }' "$tsv"
    printf '| median |'
    for ((c = 2; c <= n; c++)); do
      v=$(awk -F'\t' -v c="$c" 'NR > 1 { print $c }' "$tsv" | median)
      case "$ratios" in *" $c "*) printf ' ×%s |' "$v" ;; *) printf ' %s |' "$v" ;; esac
    done
    echo
  } | tee -a "$out/summary.md"
}

# need_jar: the JDK, JVM flags and benchmark jar of bench/common.sh, set up once for the rows
# that run a JVM of their own.
need_jar() {
  if [ -z "${jar:-}" ]; then
    . "$root/bench/common.sh"
    bench_setup rows.sh "$root" 0
  fi
}

# harness args...: one GcHarness JVM with the gort script's JIT options; its output.
harness() {
  "$java" "${flags[@]}" "${gort_jit[@]}" -Xms2g -Xmx6g -cp "$jar" org.gort.bench.GcHarness "$@" 2>&1
}

# timed <file> cmd...: runs cmd with stdout to <file>.out; appends "<wall s> <peak KB> <CPU s>"
# (CPU: user + system, every thread) to <file>
timed() {
  local f="$1"; shift
  /usr/bin/time -f '%e %M %U %S' -o "$f.time" "$@" > "$f.out" 2> "$f.err" \
    || { echo "rows.sh: '$*' failed; see $f.err" >&2; cat "$f.err" >&2; exit 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$f.time" >> "$f"
}

# The JMH rows: bench/interleave.sh prints its own per-round table and medians.
jmh_row() {
  local name="$1" program="$2" procs="$3" n="${rounds:-5}"
  local before; before=$(load)
  "$root/bench/interleave.sh" --no-build -r "$n" "$program" "$procs" | tee "$out/$name.txt"
  { echo; echo "## $name (load before: $before)"; echo; sed -n '/^|/p' "$out/$name.txt"; } >> "$out/summary.md"
}

# A cold row: per round one gort process and one Go process, each under /usr/bin/time.
# cold_row <name> <default rounds> <gort figure sed|''> <go figure sed|''> -- gort args -- go cmd
cold_row() {
  local name="$1" n="${rounds:-$2}" gsed="$3" osed="$4"; shift 5
  local gargs=() gocmd=()
  while [ "$1" != -- ]; do gargs+=("$1"); shift; done
  shift
  gocmd=("$@")
  local before; before=$(load)
  local tsv="$out/$name.tsv" t="$out/$name.tmp"
  printf 'round\tgort_s\tgo_s\tratio\tgort_MB\tgo_MB\tmem_ratio\tgort_cpu_s\tgo_cpu_s\tcpu_ratio\n' > "$tsv"
  echo "$name: ${gargs[*]} against ${gocmd[*]##*/}, $n rounds"
  for ((r = 1; r <= n; r++)); do
    rm -f "$t.g" "$t.o"
    if [ "${gargs[0]}" = --cmd ]; then
      timed "$t.g" "${gargs[@]:1}" # a floor: another program in gort's column
    else
      timed "$t.g" "$root/gort" "${gargs[@]}"
    fi
    timed "$t.o" "${gocmd[@]}"
    local gs gk gc os ok oc
    read -r gs gk gc < "$t.g"; read -r os ok oc < "$t.o"
    # a figure the program prints replaces the whole-process time
    if [ -n "$gsed" ]; then gs=$(sed -n "$gsed" "$t.g.out" | head -1); fi
    if [ -n "$osed" ]; then os=$(sed -n "$osed" "$t.o.out" | head -1); fi
    awk -v r="$r" -v gs="$gs" -v os="$os" -v gk="$gk" -v ok="$ok" -v gc="$gc" -v oc="$oc" 'BEGIN {
      printf "%d\t%.3f\t%.3f\t%.2f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\n", r, gs, os, gs / os, gk / 1024, ok / 1024, gk / ok,
        gc, oc, (oc > 0 ? gc / oc : 0) }' | tee -a "$tsv"
  done
  rm -f "$t".*
  summarize_cold "$name" "$tsv" "$before" "${gargs[*]}" "${gocmd[*]##*/}"
}

summarize_cold() {
  local name="$1" tsv="$2" before="$3" g="$4" o="$5"
  case "$g" in --cmd\ *) g="${g#--cmd }" ;; *) g="./gort $g" ;; esac
  table "$tsv" "$name: $g against $o" "4 7 10" "$before" \
    round "gort s" "Go s" ratio "gort MB" "Go MB" "memory ratio" "gort CPU s" "Go CPU s" "CPU ratio"
}

# Start-up: the same command with and without the AOT cache, alternately.
startup_row() {
  local n="${rounds:-11}" before; before=$(load)
  local tsv="$out/startup.tsv" t="$out/startup.tmp" jdk="" d
  # the JDK ./gort finds: JAVA_HOME if it is 25 or newer, else the newest in /usr/lib/jvm
  . "$root/bench/common.sh"
  if [ -n "${JAVA_HOME:-}" ] && [ "$(bench_java_major "$JAVA_HOME" 2>/dev/null)" -ge 25 ] 2>/dev/null; then
    jdk="$JAVA_HOME"
  else
    for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
      d="${d%/}"
      if [ "$(bench_java_major "$d" 2>/dev/null)" -ge 25 ] 2>/dev/null; then jdk="$d"; break; fi
    done
  fi
  [ -n "$jdk" ] || { echo "rows.sh: no JDK 25 or newer for the java -version column" >&2; exit 1; }
  [ -f "$root/launcher/target/gort-run.aot" ] || echo "rows.sh: no launcher/target/gort-run.aot (run ./gort build): the cache columns run without it" >&2
  printf 'round\tfast_s\tfast_nocache_s\tfelix_s\tjava_version_s\tfast_vs_felix\tfast_cpu_s\tfast_nocache_cpu_s\tfelix_cpu_s\tfast_MB\tfelix_MB\n' > "$tsv"
  echo "startup: ./gort run sieve n=10 (fast path with its AOT cache; GORT_AOT=0; GORT_FELIX=1 with the framework's cache) and java -version, $n rounds"
  for ((r = 1; r <= n; r++)); do
    rm -f "$t.a" "$t.b" "$t.c" "$t.d"
    timed "$t.a" "$root/gort" run sieve n=10
    GORT_AOT=0 timed "$t.b" "$root/gort" run sieve n=10
    GORT_FELIX=1 timed "$t.c" "$root/gort" run sieve n=10
    timed "$t.d" "$jdk/bin/java" -version
    local as ak ac bs bk bc cs ck cc ds dk dc
    read -r as ak ac < "$t.a"; read -r bs bk bc < "$t.b"; read -r cs ck cc < "$t.c"; read -r ds dk dc < "$t.d"
    awk -v r="$r" -v as="$as" -v bs="$bs" -v cs="$cs" -v ds="$ds" -v ac="$ac" -v bc="$bc" -v cc="$cc" -v ak="$ak" -v ck="$ck" 'BEGIN {
      printf "%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\n", r, as, bs, cs, ds, as / cs, ac, bc, cc, ak / 1024, ck / 1024 }' | tee -a "$tsv"
  done
  rm -f "$t".*
  table "$tsv" "startup: ./gort run sieve n=10, whole process" "6" "$before" \
    round "fast path s" "fast, GORT_AOT=0 s" "GORT_FELIX=1 s" "java -version s" "fast / Felix" "fast CPU s" \
    "fast, no cache CPU s" "Felix CPU s" "fast MB" "Felix MB"
}

# A collector-harness row: per round one GcHarness JVM (warmed runs inside it, the gort
# script's JIT options) and one Go process; the ratio of the figures each prints.
# harness_row <name> <figure> <unit> <gort figure key> <go figure sed> -- harness args -- go cmd
harness_row() {
  local name="$1" what="$2" unit="$3" key="$4" osed="$5" n="${rounds:-5}"; shift 6
  local hargs=() gocmd=()
  while [ "$1" != -- ]; do hargs+=("$1"); shift; done
  shift
  gocmd=("$@")
  need_jar
  local before; before=$(load)
  local tsv="$out/$name.tsv" g o
  printf 'round\tgort_%s\tgo_%s\tratio\n' "$unit" "$unit" > "$tsv"
  echo "$name: GcHarness ${hargs[*]} against ${gocmd[*]##*/}, $n rounds"
  for ((r = 1; r <= n; r++)); do
    # The harness's whole figure line (warm-up runs, the JIT's milliseconds per measured run,
    # the pause phases' medians) is kept beside the table.
    g=$(harness "${hargs[@]}" | { grep '^gort-stat' || true; } | tee -a "$out/$name.stat" | sed -n "s/^gort-stat .* $key=\([0-9.]*\).*/\1/p" | head -1)
    o=$("${gocmd[@]}" 2>&1 | sed -n "$osed" | head -1)
    [ -n "$g" ] && [ -n "$o" ] || { echo "rows.sh: $name: no figure (gort '$g', Go '$o')" >&2; exit 1; }
    awk -v r="$r" -v g="$g" -v o="$o" 'BEGIN { printf "%d\t%.4g\t%.4g\t%.2f\n", r, g, o, g / o }' | tee -a "$tsv"
  done
  table "$tsv" "$name: $what" "4" "$before" round "gort $unit" "Go $unit" ratio
}

# The sieve without the previous run's leftovers: each of its runs leaves 2000 filters that go
# on filtering (up to about the 4000th prime) until every one is blocked, so in the sieve row
# every run but a process's or runtime's first shares the cores with that drain, in Go as in
# gort. Here each run is alone: a JMH single-shot iteration (a fresh runtime each) against a
# fresh Go process.
sieve_fresh_row() {
  local n="${rounds:-5}" before; before=$(load)
  need_jar
  local tsv="$out/sieve-fresh.tsv" g o i
  printf 'round\tgort_ms\tgo_ms\tratio\n' > "$tsv"
  echo "sieve-fresh: one sieve per fresh runtime (JMH -bm ss) against one per fresh Go process, GOMAXPROCS=2, $n rounds"
  for ((r = 1; r <= n; r++)); do
    g=$(bench_jmh_score rows.sh "$out/sieve-fresh" --gort -bm ss -wi 5 -i 10 'SchedulerBench\.sieve$' \
      -p scheduler=gmp -p gomaxprocs=2) || exit 1
    o=$(for ((i = 0; i < 10; i++)); do GOMAXPROCS=2 "$bin/sieve" -wi 0 -i 1 | sed -n 's/.* mean=\([0-9.]*\).*/\1/p'; done \
      | awk '{ s += $1 } END { print s / NR }')
    awk -v r="$r" -v g="$g" -v o="$o" 'BEGIN { printf "%d\t%.1f\t%.1f\t%.2f\n", r, g, o, g / o }' | tee -a "$tsv"
  done
  table "$tsv" "sieve-fresh: one run per fresh runtime or process, GOMAXPROCS=2, ms" "4" "$before" \
    round gort Go ratio
}

# The floor under bt16 cold: what a cold run could cost if every method were compiled before its
# first call, i.e. the process's start-up plus one warmed run, against Go's cold process.
bt16_floor_row() {
  local n="${rounds:-5}" before; before=$(load)
  need_jar
  local tsv="$out/bt16-floor.tsv" t="$out/bt16-floor.tmp" w s c o
  printf 'round\tstartup_s\twarmed_s\tfloor_s\tgort_cold_s\tgo_cold_s\tfloor_ratio\tgort_ratio\n' > "$tsv"
  echo "bt16-floor: start-up + one warmed n=16 run, and gort's cold run, against Go's cold run, $n rounds"
  for ((r = 1; r <= n; r++)); do
    rm -f "$t.s" "$t.c" "$t.o"
    timed "$t.s" "$root/gort" run sieve n=10
    w=$(harness -only binarytrees -collectors hybrid | sed -n 's/^gort-stat .* mean.s=\([0-9.]*\).*/\1/p' | head -1)
    [ -n "$w" ] || { echo "rows.sh: bt16-floor: GcHarness printed no figure" >&2; exit 1; }
    timed "$t.c" "$root/gort" run binary-trees n=16
    timed "$t.o" "$bin/binarytrees" -n 16 -wi 0 -i 1
    read -r s _ _ < "$t.s"; read -r c _ _ < "$t.c"; read -r o _ _ < "$t.o"
    awk -v r="$r" -v s="$s" -v w="$w" -v c="$c" -v o="$o" 'BEGIN {
      printf "%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.2f\n", r, s, w, s + w, c, o, (s + w) / o, c / o }' | tee -a "$tsv"
  done
  rm -f "$t".*
  table "$tsv" "bt16-floor: start-up + warmed run against Go's cold run, s" "7 8" "$before" \
    round start-up "warmed run" floor "gort cold" "Go cold" "floor / Go" "gort / Go"
}

# probe_build <program>: bench/go/<program> -tags probe as $bin/<program>-probe, built on a copy
# of Go's runtime with bench/go/runtime-probe.patch.
probe_build() {
  local prog="$1" groot="$bin/goroot-probe" patchf="$root/bench/go/runtime-probe.patch" f fresh=1
  for f in "$patchf" "$root"/bench/go/"$prog"/*.go "$root"/bench/go/internal/*/*.go; do
    [ -x "$bin/$prog-probe" ] && [ "$bin/$prog-probe" -nt "$f" ] || fresh=0
  done
  [ "$fresh" = 1 ] && return
  command -v patch >/dev/null 2>&1 || { echo "rows.sh: the floor rows need patch (apt-get install patch)" >&2; exit 1; }
  if ! [ -f "$groot/.patched" ] || [ "$patchf" -nt "$groot/.patched" ]; then
    rm -rf "$groot"
    mkdir -p "$groot"
    cp -rL "$(go env GOROOT)/." "$groot/" # links resolved: Debian's GOROOT links into /usr/share
    patch -s -p1 -d "$groot/src/runtime" < "$patchf" \
      || { echo "rows.sh: $patchf is for Go 1.19's runtime and did not apply to $(go version)" >&2; exit 1; }
    touch "$groot/.patched"
  fi
  (cd "$root/bench/go" && GOROOT="$groot" GOCACHE="$bin/cache-probe" GOFLAGS=-mod=mod GO111MODULE=on \
    "$groot/bin/go" build -tags probe -o "$bin/$prog-probe" "./$prog")
}

# migration_extra <prefix>: what a continuation costs more, per resume, when resumed on the
# other thread than on its own (ContinuationMigrationBench, (hop - stay) / 2), in whole ns.
migration_extra() {
  local hop stay x
  hop=$(bench_jmh_score rows.sh "$1" --gort -wi 2 -i 3 'ContinuationMigrationBench' -p mode=hop) || exit 1
  stay=$(bench_jmh_score rows.sh "$1" --gort -wi 2 -i 3 'ContinuationMigrationBench' -p mode=stay) || exit 1
  x=$(awk -v h="$hop" -v s="$stay" 'BEGIN { x = (h - s) / 2; printf "%d", x < 0 ? 0 : x }')
  if [ "$x" -gt 5000 ]; then
    echo "rows.sh: a resume on the other thread measured $x ns more: ContinuationMigrationBench's two" \
      "spinning threads need both cores to themselves; run the floor rows on a quiet machine" >&2
    exit 1
  fi
  echo "$x"
}

# switch_cost <prefix>: a continuation's yield and resume on one thread (ContinuationBench), in ns.
switch_cost() {
  bench_jmh_score rows.sh "$1" --gort -wi 3 -i 3 'ContinuationBench\.yieldResume$' || exit 1
}

# The floor under the sieve row. A sieve's time follows its switches and migrations, and Go's
# runs switch and migrate about as often as gort's; what differs is the cost of each. So Go runs
# the sieve three times a round: as it is; spinning in execute, on each migration, what a
# continuation costs more when resumed on the other thread; and spinning besides, on each
# switch, a continuation's yield and resume (both measured in the same round). Spun, not added
# up, because with two Ps running at once a cost added to each switch does not add to the
# wall time one for one. The third is the floor; gort against it is the ratio gort would have
# if its own path cost no more than Go's.
sieve_floor_row() {
  local n="${rounds:-5}" before; before=$(load)
  need_jar
  probe_build sieve
  local tsv="$out/sieve-floor.tsv" t="$out/sieve-floor.tmp" x y g gs gm o osw om os f i
  printf 'round\textra_ns\tgort_ms\tgort_switches\tgort_migrations\tgo_ms\tgo_switches\tgo_migrations\tgo_spin_ms\tratio\tratio_spin\tswitch_ns\tfloor_ms\tratio_floor\n' > "$tsv"
  echo "sieve-floor: gort's sieve against Go's, as it is, spinning a continuation's migration cost per migration, and its switch cost per switch too, $n rounds"
  for ((r = 1; r <= n; r++)); do
    x=$(migration_extra "$t")
    y=$(switch_cost "$t") || exit 1
    "$java" "${flags[@]}" "${gort_jit[@]}" -Xms2g -Xmx2g -cp "$jar" org.gort.bench.SieveRuns -w 8 10 2 > "$t.g" \
      || { echo "rows.sh: sieve-floor: SieveRuns failed" >&2; cat "$t.g" >&2; exit 1; }
    g=$(awk -F'\t' '$1 ~ /^[0-9]+$/ { print $2 }' "$t.g" | median)
    gs=$(awk -F'\t' '$1 ~ /^[0-9]+$/ { print $4 }' "$t.g" | median)
    gm=$(awk -F'\t' '$1 ~ /^[0-9]+$/ { print $5 }' "$t.g" | median)
    for ((i = 0; i < 10; i++)); do GOMAXPROCS=2 "$bin/sieve-probe" -wi 0 -i 1; done > "$t.o"
    for ((i = 0; i < 10; i++)); do GOMAXPROCS=2 "$bin/sieve-probe" -wi 0 -i 1 -spin "$x"; done > "$t.s"
    for ((i = 0; i < 10; i++)); do GOMAXPROCS=2 "$bin/sieve-probe" -wi 0 -i 1 -spin "$x" -switch-spin "${y%.*}"; done > "$t.f"
    o=$(sed -n 's/.* mean=\([0-9.]*\).*/\1/p' "$t.o" | median)
    osw=$(sed -n 's/.* switches=\([0-9]*\).*/\1/p' "$t.o" | median)
    om=$(sed -n 's/.* migrations=\([0-9]*\).*/\1/p' "$t.o" | median)
    os=$(sed -n 's/.* mean=\([0-9.]*\).*/\1/p' "$t.s" | median)
    f=$(sed -n 's/.* mean=\([0-9.]*\).*/\1/p' "$t.f" | median)
    awk -v r="$r" -v x="$x" -v g="$g" -v gs="$gs" -v gm="$gm" -v o="$o" -v osw="$osw" -v om="$om" -v os="$os" -v y="$y" -v f="$f" 'BEGIN {
      printf "%d\t%d\t%.1f\t%d\t%d\t%.1f\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.1f\t%.1f\t%.2f\n", r, x, g, gs, gm, o, osw, om, os, g / o, g / os,
        y, f, g / f }' | tee -a "$tsv"
  done
  rm -f "$t".*
  table "$tsv" "sieve-floor: fresh runs, GOMAXPROCS=2, medians of 10; Go as it is, spinning the extra cost per migration, and spinning a switch per switch too (the floor)" "10 11 14" "$before" \
    round "extra ns" "gort ms" "gort switches" "gort migrations" "Go ms" "Go switches" "Go migrations" "Go+spin ms" "gort / Go" "gort / Go+spin" \
    "yield + resume ns" "floor ms" "gort / floor"
}

# The floors under the pingpong rows. A round trip is two goroutine switches, and on the JVM a
# switch is at least a continuation's yield and resume (ContinuationBench: no scheduler, no
# channel); a migration (a goroutine resumed on another M than the last) costs a continuation
# more than it costs a goroutine (ContinuationMigrationBench, as in sieve-floor). The floor is
# Go's round trip plus what those cost, per round trip, at the rates Go's own run switches and
# migrates (bench/go/pingpong -tags probe counts them): Go's path on the JVM's switch. Go's own
# switch (mcall, gogo) is under 2% of its round trip and is not taken off. gort against it is
# the ratio gort's channel and scheduler would give if the JVM's switch cost what Go's does.
switch_row() {
  local n="${rounds:-5}" before; before=$(load)
  need_jar
  probe_build pingpong
  local tsv="$out/switch-floor.tsv" t="$out/switch-floor.tmp" y x g1 g2 p
  local wi=3 it=3 ops=100000 # Go's runs: the probe counts all of them, warm-up included
  printf 'round\tswitch_ns\tmigration_ns\tgort_p1_ns\tgo_p1_ns\tfloor_p1_ns\tratio_p1\tfloor_ratio_p1\tgort_p2_ns\tgo_p2_ns\tgo_p2_migrations_per_trip\tfloor_p2_ns\tratio_p2\tfloor_ratio_p2\n' > "$tsv"
  echo "switch-floor: gort's pingpong against Go's, and against Go's plus a continuation's switch and migration costs at Go's rates, $n rounds"
  for ((r = 1; r <= n; r++)); do
    y=$(switch_cost "$t") || exit 1
    x=$(migration_extra "$t")
    g1=$(bench_jmh_score rows.sh "$t" --gort -wi 3 -i 3 'SchedulerBench\.pingpong$' -p scheduler=gmp -p gomaxprocs=1) || exit 1
    g2=$(bench_jmh_score rows.sh "$t" --gort -wi 3 -i 3 'SchedulerBench\.pingpong$' -p scheduler=gmp -p gomaxprocs=2) || exit 1
    for p in 1 2; do
      GOMAXPROCS=$p "$bin/pingpong-probe" -wi "$wi" -i "$it" -n "$ops" > "$t.o$p"
    done
    awk -v r="$r" -v y="$y" -v x="$x" -v g1="$g1" -v g2="$g2" -v trips="$(((wi + it) * ops))" '
      FNR == 1 { p++ }
      / mean=/ { sub(/.* mean=/, ""); sub(/ .*/, ""); o[p] = $0 }
      /^probe / { split($0, f, /[ =]/); sw[p] = f[3] / trips; mg[p] = f[5] / trips }
      END {
        f1 = o[1] + sw[1] * y + mg[1] * x; f2 = o[2] + sw[2] * y + mg[2] * x
        printf "%d\t%.1f\t%d\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.1f\t%.1f\t%.4f\t%.1f\t%.2f\t%.2f\n", r, y, x,
          g1, o[1], f1, g1 / o[1], g1 / f1, g2, o[2], mg[2], f2, g2 / o[2], g2 / f2 }' "$t.o1" "$t.o2" | tee -a "$tsv"
  done
  rm -f "$t".*
  table "$tsv" "switch-floor: ns per round trip; the floor is Go's round trip plus a continuation's switch per switch and migration per migration" "7 8 13 14" "$before" \
    round "yield + resume" "migration" "gort P=1" "Go P=1" "floor P=1" "gort / Go" "gort / floor" \
    "gort P=2" "Go P=2" "Go migrations per trip" "floor P=2" "gort / Go" "gort / floor"
}

for row in "${rows[@]}"; do
  case "$row" in
    pingpong-p1) jmh_row "$row" pingpong 1 ;;
    pingpong-p2) jmh_row "$row" pingpong 2 ;;
    sieve) jmh_row "$row" sieve 2 ;;
    spawn) jmh_row "$row" spawn 2 ;;
    bt16|bt18|bt20)
      d="${row#bt}" def=5
      [ "$d" = 20 ] && def=3
      cold_row "$row" "$def" '' '' -- run binary-trees "n=$d" -- "$bin/binarytrees" -n "$d" -wi 0 -i 1 ;;
    jvm16|jvm18|jvm20)
      d="${row#jvm}" def=5
      [ "$d" = 20 ] && def=3
      if [ -z "${java:-}" ]; then
        . "$root/bench/common.sh"
        bench_jdk rows.sh
        mkdir -p "$bin/floor"
        "$JAVA_HOME/bin/javac" -d "$bin/floor" "$root/bench/java/BinaryTrees.java"
      fi
      cold_row "$row" "$def" '' '' -- --cmd "$java" -cp "$bin/floor" BinaryTrees "$d" -- "$bin/binarytrees" -n "$d" -wi 0 -i 1 ;;
    parked)
      cold_row parked 5 's/.* s=\([0-9.]*\).*/\1/p' 's/.* s=\([0-9.]*\).*/\1/p' \
        -- run "$root/bench/gort/parked.java" 1000000 -- "$bin/parked" -n 1000000 ;;
    startup) startup_row ;;
    pause)
      harness_row pause "hybrid, 10^5 parked goroutines, worst pause per cycle" us churn.cycle.pause.max.median.us \
        's/.*pausemaxmedian .*mean=\([0-9.]*\).*/\1/p' \
        -- -only parkedheap -collectors hybrid -goroutines 100000 -- "$bin/parkedheap" -goroutines 100000 ;;
    bt16-warm)
      harness_row bt16-warm "binary-trees n=16 warmed, mean of five runs" s mean.s \
        's/.* mean=\([0-9.]*\).*/\1/p' \
        -- -only binarytrees -collectors hybrid -- "$bin/binarytrees" -n 16 -wi 3 -i 5 ;;
    sieve-fresh) sieve_fresh_row ;;
    switch-floor) switch_row ;;
    bt16-floor) bt16_floor_row ;;
    sieve-floor) sieve_floor_row ;;
  esac
done
echo
echo "(results in $out; summary in $out/summary.md)"
