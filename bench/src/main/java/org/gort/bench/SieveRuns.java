package org.gort.bench;

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
 * One line per run: its time, goroutine switches (sched.schedules), migrations (a G run on
 * another M than the last time), steals and Gs stolen, and runnext hand-offs; then the least-
 * squares line of time against migrations and the correlation of each count with time. The
 * first runs warm the JIT (-w, default 10) and are left out.
 *
 * Usage: bench/sieve-runs.sh [-w WARMUP] [RUNS] [GOMAXPROCS]  (default 30 runs at 2 Ps)
 */
public final class SieveRuns {
    private static final String[] COUNTS = {"sched.schedules", "sched.migrations", "sched.steals", "sched.stolen",
            "sched.gmp.runqget.runnext"};

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
                    + " at least 2 runs (a line is fitted) and 1 P");
            System.exit(2);
        }
        List<double[]> rows = new ArrayList<>();
        System.out.println("run\tms\tswitches\tmigrations\tsteals\tstolen\trunnext");
        for (int r = -warmup; r < runs; r++) {
            long[] nanos = new long[1];
            RunHandle h = Runtime.start(RuntimeConfig.builder().scheduler("gmp").gomaxprocs(procs).trace(l -> { }).build(),
                    StrategyCatalog.serviceLoader(), () -> {
                        long t0 = System.nanoTime();
                        int last = SchedulerBench.sieve(SchedulerBench.SIEVE_PRIMES);
                        nanos[0] = System.nanoTime() - t0;
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
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d\t%.1f", r + 1, row[0]));
            for (int i = 0; i < COUNTS.length; i++) {
                row[i + 1] = res.metrics().get(COUNTS[i], 0);
                line.append('\t').append((long) row[i + 1]);
            }
            System.out.println(line);
            rows.add(row);
        }
        double[] ms = rows.stream().mapToDouble(x -> x[0]).toArray();
        double[] migrations = rows.stream().mapToDouble(x -> x[2]).toArray();
        double slope = covariance(migrations, ms) / covariance(migrations, migrations);
        System.out.printf(Locale.ROOT, "time = %.0f ms + %.0f ns x migrations%n", mean(ms) - slope * mean(migrations), slope * 1e6);
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
