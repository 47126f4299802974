package org.gort.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's trace lines, parsed: {@code schedtrace} and {@code scheddetail} (written by sysmon,
 * {@code runtime/proc.go schedtrace}) and {@code gctrace} (one line per cycle,
 * {@code runtime/mgc.go gcMarkTermination}). The patterns follow Go's print statements field by
 * field, so a line that gort writes differently from Go does not parse; they also accept the
 * fields newer Go versions add ({@code needspinning}, {@code timerslen}, {@code m=nil}, the
 * stacks and globals of gctrace), so real Go output parses too.
 */
public final class Traces {
    private static final String ID = "(-?\\d+|nil)";
    private static final String NUM = "(\\d+(?:\\.\\d+)?)";

    /** {@code SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=6 spinningthreads=0 idlethreads=1 runqueue=0 [12 7 3 0]}, or the scheddetail header. */
    public static final Pattern SCHED = Pattern.compile(
            "^SCHED (\\d+)ms: gomaxprocs=(\\d+) idleprocs=(\\d+) threads=(\\d+) spinningthreads=(\\d+)"
                    + "(?: needspinning=\\d+)? idlethreads=(\\d+) runqueue=(\\d+)"
                    + "(?:(?<detail> gcwaiting=(?:\\d+|true|false) nmidlelocked=\\d+ stopwait=\\d+ sysmonwait=(?:\\d+|true|false))"
                    + "|(?: \\[(?<local>\\d+(?: \\d+)*)\\]))$");
    /** {@code   P0: status=1 schedtick=10 syscalltick=0 m=3 runqsize=0 gfreecnt=0}. */
    public static final Pattern SCHED_P = Pattern.compile(
            "^  P(\\d+): status=(\\d+) schedtick=(\\d+) syscalltick=(\\d+) m=" + ID
                    + " runqsize=(\\d+) gfreecnt=(\\d+)(?: timerslen=\\d+)?$");
    /** {@code   M3: p=0 curg=5 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=-1}. */
    public static final Pattern SCHED_M = Pattern.compile(
            "^  M(\\d+): p=" + ID + " curg=" + ID + " mallocing=(\\d+) throwing=(\\d+) preemptoff=(.*?) locks=(\\d+)"
                    + " dying=(\\d+) spinning=(true|false) blocked=(true|false) lockedg=" + ID + "$");
    /** {@code   G7: status=4(chan receive) m=-1 lockedm=-1}. */
    public static final Pattern SCHED_G = Pattern.compile(
            "^  G(\\d+): status=(\\d+)\\((.*)\\) m=" + ID + " lockedm=" + ID + "$");
    /** {@code gc 1 @0.012s 2%: 0.015+0.45+0.003 ms clock, 0.060+0.10/0.40/0.95+0.012 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P}. */
    public static final Pattern GC = Pattern.compile(
            "^gc (\\d+) @" + NUM + "s (\\d+)%: " + NUM + "\\+" + NUM + "\\+" + NUM + " ms clock, "
                    + NUM + "\\+" + NUM + "/" + NUM + "/" + NUM + "\\+" + NUM + " ms cpu, "
                    + "(\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal(?:, (\\d+) MB stacks, (\\d+) ?MB globals)?, (\\d+) P"
                    + "(?<forced> \\(forced\\))?$");

    private Traces() {
    }

    /**
     * One {@code schedtrace} line.
     *
     * @param localRunqueues the length of each P's run queue; empty for a scheddetail header
     *                       (the P lines carry them then)
     */
    public record SchedSample(long ms, int gomaxprocs, int idleprocs, int threads, int spinningThreads,
                              int idleThreads, int runqueue, List<Integer> localRunqueues, boolean detail) {
    }

    /**
     * One {@code gctrace} line. Clock and CPU times in milliseconds, heap sizes in MB; stacks
     * and globals are -1 when the line predates them.
     */
    public record GcCycle(int n, double atSeconds, int cpuPercent,
                          double sweepTermClockMs, double markClockMs, double markTermClockMs,
                          double sweepTermCpuMs, double assistCpuMs, double backgroundCpuMs, double idleCpuMs,
                          double markTermCpuMs, long heapStartMB, long heapEndMB, long liveMB, long goalMB,
                          long stacksMB, long globalsMB, int procs, boolean forced) {
        /** The two stop-the-world phases together: sweep termination and mark termination. */
        public double pauseMs() {
            return sweepTermClockMs + markTermClockMs;
        }
    }

    public static Optional<SchedSample> parseSched(String line) {
        Matcher m = SCHED.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Integer> local = new ArrayList<>();
        String l = m.group("local");
        if (l != null) {
            for (String s : l.split(" ")) {
                local.add(Integer.parseInt(s));
            }
        }
        return Optional.of(new SchedSample(Long.parseLong(m.group(1)), i(m, 2), i(m, 3), i(m, 4), i(m, 5), i(m, 6),
                i(m, 7), List.copyOf(local), m.group("detail") != null));
    }

    public static Optional<GcCycle> parseGc(String line) {
        Matcher m = GC.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new GcCycle(i(m, 1), d(m, 2), i(m, 3), d(m, 4), d(m, 5), d(m, 6), d(m, 7), d(m, 8),
                d(m, 9), d(m, 10), d(m, 11), l(m, 12), l(m, 13), l(m, 14), l(m, 15),
                m.group(16) == null ? -1 : l(m, 16), m.group(17) == null ? -1 : l(m, 17), i(m, 18),
                m.group("forced") != null));
    }

    /** Every schedtrace (or scheddetail header) line among {@code lines}, parsed. */
    public static List<SchedSample> schedSamples(List<String> lines) {
        return lines.stream().map(Traces::parseSched).flatMap(Optional::stream).toList();
    }

    /** Every gctrace line among {@code lines}, parsed. */
    public static List<GcCycle> gcCycles(List<String> lines) {
        return lines.stream().map(Traces::parseGc).flatMap(Optional::stream).toList();
    }

    /** True when {@code line} is in one of Go's trace formats above. */
    public static boolean recognized(String line) {
        return SCHED.matcher(line).matches() || SCHED_P.matcher(line).matches() || SCHED_M.matcher(line).matches()
                || SCHED_G.matcher(line).matches() || GC.matcher(line).matches();
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }

    private static long l(Matcher m, int g) {
        return Long.parseLong(m.group(g));
    }

    private static double d(Matcher m, int g) {
        return Double.parseDouble(m.group(g));
    }
}
