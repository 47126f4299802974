package org.gort.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;

/*
 * The sieve row's spread, run by run: SchedulerBench.sieve's program (2000 primes, gmp), each run
 * on a fresh runtime so that its scheduler counters are its own, timed inside the main goroutine.
 * One line per run: its time, the process's CPU time meanwhile (both Ms busy: twice the time),
 * goroutine switches (sched.schedules), migrations (a G run on another M than the last time),
 * steals and Gs stolen, runnext hand-offs, and the time Ps spent idle; then the median time per
 * switch and the correlation of each count with time. The first runs warm the JIT (-w, default
 * 10) and are left out. bench/go/sieve, built with -tags probe, prints the same counts for Go's.
 *
 * Usage: bench/sieve-runs.sh [-w WARMUP] [RUNS] [GOMAXPROCS]  (default 30 runs at 2 Ps)
 */
public final class SieveRuns {
    private static final String[] COUNTS = {"sched.schedules", "sched.migrations", "sched.steals", "sched.stolen",
            "sched.gmp.runqget.runnext", "sched.idlep.ns"};

    private SieveRuns() {
    }

    public static void main(String[] args) {
        int warmup = 10;
        int runs;
        int procs;
        try {
            List<String> rest = new ArrayList<>(List.of(args));
            if (rest.size() >= 2 && rest.get(0).equals("-w")) {
                warmup = Integer.parseInt(rest.get(1));
                rest = rest.subList(2, rest.size());
            }
            runs = rest.isEmpty() ? 30 : Integer.parseInt(rest.get(0));
            procs = rest.size() < 2 ? 2 : Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            runs = -1;
            procs = -1;
        }
        if (warmup < 0 || runs < 2 || procs < 1) {
            System.err.println("usage: bench/sieve-runs.sh [--no-build] [-w WARMUP] [RUNS] [GOMAXPROCS]: whole numbers,"
                    + " at least 2 runs (counts are correlated) and 1 P");
            System.exit(2);
        }
        List<double[]> rows = new ArrayList<>();
        System.out.println("run\tms\tcpu_ms\tswitches\tmigrations\tsteals\tstolen\trunnext\tidle_p_ms");
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -warmup; r < runs; r++) {
            long[] nanos = new long[2];
            RunHandle h = Runtime.start(RuntimeConfig.builder().scheduler("gmp").gomaxprocs(procs).trace(l -> { }).build(),
                    StrategyCatalog.serviceLoader(), () -> {
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        int last = SchedulerBench.sieve(SchedulerBench.SIEVE_PRIMES);
                        nanos[0] = System.nanoTime() - t0;
                        nanos[1] = os.getProcessCpuTime() - c0;
                        if (last != SchedulerBench.SIEVE_LAST_PRIME) {
                            throw new AssertionError("sieve: prime #2000 is 17389, got " + last);
                        }
                    });
            RunResult res = h.await(Duration.ofMinutes(2));
            if (!res.ok()) {
                throw new IllegalStateException("sieve run failed: " + res.failureHeadline());
            }
            if (r < 0) {
                continue;
            }
            double[] row = new double[COUNTS.length + 1];
            row[0] = nanos[0] / 1e6;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d\t%.1f\t%.0f", r + 1, row[0], nanos[1] / 1e6));
            for (int i = 0; i < COUNTS.length; i++) {
                row[i + 1] = res.metrics().get(COUNTS[i], 0);
                line.append('\t').append(COUNTS[i].endsWith(".ns") ? String.format(Locale.ROOT, "%.1f", row[i + 1] / 1e6)
                        : String.valueOf((long) row[i + 1]));
            }
            System.out.println(line);
            rows.add(row);
        }
        double[] ms = rows.stream().mapToDouble(x -> x[0]).toArray();
        double[] perSwitch = rows.stream().mapToDouble(x -> x[0] * 1e6 / x[1]).sorted().toArray();
        int n = perSwitch.length;
        System.out.printf(Locale.ROOT, "ns per switch (time / switches): median %.0f, range %.0f-%.0f%n",
                n % 2 == 1 ? perSwitch[n / 2] : (perSwitch[n / 2 - 1] + perSwitch[n / 2]) / 2, perSwitch[0], perSwitch[n - 1]);
        for (int i = 0; i < COUNTS.length; i++) {
            int k = i + 1;
            double[] c = rows.stream().mapToDouble(x -> x[k]).toArray();
            System.out.printf(Locale.ROOT, "r(time, %s) = %.2f%n", COUNTS[i], covariance(c, ms) / Math.sqrt(covariance(c, c) * covariance(ms, ms)));
        }
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double covariance(double[] x, double[] y) {
        double mx = mean(x), my = mean(y), s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mx) * (y[i] - my);
        }
        return s / x.length;
    }
}
