# Sourced by bench/run.sh, bench/interleave.sh and bench/rows.sh, not run: the JDK, the JVM
# flags, the benchmark jar and the JMH call they share.
#
# bench_setup <script name> <repository root> <build: 1 or 0>
#   Finds a JDK >= 25 (JAVA_HOME if it is new enough, else the standard JVM directory) and
#   exports it as JAVA_HOME; sets $java, $flags (the JDK 25 flags every gort JVM needs),
#   $gort_jit (the gort script's JIT options: launcher/jit-hints, InlineSmallCode,
#   CompileThresholdScaling; keep them as the script's JVM_OPTS has them) and $jar
#   (bench/target/benchmarks.jar, built first when <build> is 1). Exits with a one-line
#   message naming the script when there is no such JDK or no jar.
# bench_jdk <script name>: only the JDK part ($JAVA_HOME, $java).
# bench_jmh_score <script name> <file prefix> [--gort] JMH args...: one JMH fork of the jar
#   ($flags; with --gort also the gort script's JIT options, as ./gort run has them); prints the
#   Score of its first result. The JMH log goes to <file prefix>.txt and stays there only if the
#   run failed, when the function says so and returns 1.

bench_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

# bench_jdk <script name>: finds the JDK as bench_setup does, exports JAVA_HOME, sets $java.
bench_jdk() {
  local name="$1" jdk="" d
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(bench_java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    jdk="$JAVA_HOME"
  else
    for d in /usr/lib/jvm/*; do
      if [ -x "$d/bin/java" ] && [ "$(bench_java_major "$d")" -ge 25 ] 2>/dev/null; then jdk="$d"; break; fi
    done
  fi
  if [ -z "$jdk" ]; then
    echo "$name: no JDK 25 or newer found; install one (e.g. Temurin 25) or set JAVA_HOME to it" >&2
    exit 1
  fi
  export JAVA_HOME="$jdk"
  java="$jdk/bin/java"
}

bench_setup() {
  local name="$1" root="$2" build="$3"
  bench_jdk "$name"
  flags=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --enable-native-access=ALL-UNNAMED -XX:+UseCompactObjectHeaders)
  gort_jit=(-XX:CompileCommandFile="$root/launcher/jit-hints" -XX:InlineSmallCode=1000 -XX:CompileThresholdScaling=2)
  jar="$root/bench/target/benchmarks.jar"
  if [ "$build" = 1 ]; then
    (cd "$root" && { mvn -q -o install -DskipTests -pl bench -am || mvn -q install -DskipTests -pl bench -am; })
  fi
  [ -f "$jar" ] || { echo "$name: $jar is missing; run without --no-build" >&2; exit 1; }
}

bench_jmh_score() {
  local name="$1" prefix="$2" jvm=()
  shift 2
  if [ "${1:-}" = --gort ]; then
    jvm=(-jvmArgsPrepend "${gort_jit[*]}")
    shift
  fi
  "$java" "${flags[@]}" -jar "$jar" -f 1 "${jvm[@]}" -rf csv -rff "$prefix.csv" "$@" > "$prefix.txt" 2>&1 \
    || { echo "$name: JMH failed; its output is in $prefix.txt" >&2; return 1; }
  awk -F, 'NR == 2 { gsub(/"/, "", $5); print $5 }' "$prefix.csv"
  rm -f "$prefix.csv" "$prefix.txt"
}
