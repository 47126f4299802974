package org.gort.spi.gc;

/**
 * The {@code GODEBUG=gctrace=1} line, in the format Go's runtime prints (mgc.go,
 * gcMarkTermination), number formatting included ({@code fmtNSAsMS}, {@code itoaDiv}):
 *
 * <pre>
 * gc 1 @0.012s 2%: 0.015+0.45+0.003 ms clock, 0.030+0.10/0.20/0.05+0.006 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P
 * </pre>
 *
 * clock: sweep termination + concurrent mark + mark termination; cpu: sweep termination +
 * assist/background/idle marking + mark termination; heap at start, at mark termination, and
 * marked live; the goal; stacks and globals scanned; GOMAXPROCS; {@code (forced)} after an
 * explicit {@code runtime.GC()}. Go's runtime package documentation spells the globals field
 * {@code #MB globals}; the runtime prints a space, as here.
 */
public final class GcTrace {
    private GcTrace() {
    }

    /**
     * @param gcCpuFraction the share of the run's CPU (elapsed time times GOMAXPROCS since the
     *                      program started) spent in GC so far, Go's {@code gc_cpu_fraction}
     */
    public static String line(CycleStats c, long programStartNanos, double gcCpuFraction) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("gc ").append(c.number())
                .append(" @").append(itoaDiv(Math.max(0, c.tSweepTerm() - programStartNanos) / 1_000_000, 3)).append("s ")
                .append((int) (gcCpuFraction * 100)).append("%: ")
                .append(fmtNSAsMS(c.tMark() - c.tSweepTerm())).append('+')
                .append(fmtNSAsMS(c.tMarkTerm() - c.tMark())).append('+')
                .append(fmtNSAsMS(c.tEnd() - c.tMarkTerm())).append(" ms clock, ")
                .append(fmtNSAsMS(c.sweepTermCpuNanos())).append('+')
                .append(fmtNSAsMS(c.assistNanos())).append('/')
                .append(fmtNSAsMS(c.backgroundNanos())).append('/')
                .append(fmtNSAsMS(c.idleNanos())).append('+')
                .append(fmtNSAsMS(c.markTermCpuNanos())).append(" ms cpu, ")
                .append(c.heapStart() >> 20).append("->").append(c.heapAtMarkTerm() >> 20).append("->")
                .append(c.heapMarked() >> 20).append(" MB, ")
                .append(c.heapGoal() >> 20).append(" MB goal, ")
                .append(c.stackBytes() >> 20).append(" MB stacks, ")
                .append(c.globalBytes() >> 20).append(" MB globals, ")
                .append(c.gomaxprocs()).append(" P");
        if (c.forced()) {
            sb.append(" (forced)");
        }
        return sb.toString();
    }

    /** Go's {@code fmtNSAsMS}: whole milliseconds from 10 ms up, else two significant digits, at most three decimals. */
    static String fmtNSAsMS(long ns) {
        if (ns < 0) {
            ns = 0;
        }
        if (ns >= 10_000_000) {
            return itoaDiv(ns / 1_000_000, 0);
        }
        long x = ns / 1_000;
        if (x == 0) {
            return "0";
        }
        int dec = 3;
        while (x >= 100) {
            x /= 10;
            dec--;
        }
        return itoaDiv(x, dec);
    }

    /** Go's {@code itoaDiv}: {@code val / 10^dec} with {@code dec} decimals. */
    static String itoaDiv(long val, int dec) {
        char[] buf = new char[24];
        int i = buf.length - 1;
        int idec = i - dec;
        while (val >= 10 || i >= idec) {
            buf[i] = (char) ('0' + val % 10);
            i--;
            if (i == idec) {
                buf[i] = '.';
                i--;
            }
            val /= 10;
        }
        buf[i] = (char) ('0' + val);
        return new String(buf, i, buf.length - i);
    }
}
