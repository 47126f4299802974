package org.gort.conformance;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.gort.api.StrategyCatalog;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.SchedulerStrategy;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * The kit's report per strategy: every test {@link KitExtension} saw, attributed to each
 * strategy among its arguments, and at the end of the run a table (kind, strategy, tests,
 * passed, failed, ejections, time) followed by every failure on one line. A test under a
 * collector, an allocator and a scheduler counts for all three; tests that name their
 * strategies in their code (policy tests, the kit's own fault injection) are counted on a
 * line of their own. Registered as a JUnit platform listener through
 * {@code META-INF/services}, so it prints under Maven and under {@code ./gort kit} alike.
 */
public final class KitReport implements TestExecutionListener {
    /** The row of tests that have no strategy among their arguments. */
    static final String FIXED = "(fixed strategies)";

    private static final Object LOCK = new Object();
    private static final Map<String, Row> ROWS = new LinkedHashMap<>();
    private static final List<String> FAILURES = new ArrayList<>();
    private static int tests;
    private static int failed;
    private static volatile Map<String, String> kinds;

    /** One strategy's line of the table. */
    static final class Row {
        final String kind;
        final String name;
        int tests;
        int passed;
        int failed;
        long ejections;
        long nanos;

        Row(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }
    }

    /** Installed strategy names by kind ("scheduler", "allocator", "collector"). */
    static Map<String, String> kinds() {
        Map<String, String> k = kinds;
        if (k == null) {
            StrategyCatalog c = Kit.catalog();
            k = new HashMap<>();
            for (SchedulerStrategy s : c.schedulers()) {
                k.put(s.name(), "scheduler");
            }
            for (AllocatorStrategy a : c.allocators()) {
                k.put(a.name(), "allocator");
            }
            for (CollectorStrategy g : c.collectors()) {
                k.put(g.name(), "collector");
            }
            for (org.gort.spi.pacer.PacerStrategy p : c.pacers()) {
                k.put(p.name(), "pacer");
            }
            kinds = k;
        }
        return k;
    }

    /** The arguments that name an installed strategy, in order. */
    static List<String> strategiesIn(List<Object> arguments) {
        Map<String, String> k = kinds();
        List<String> out = new ArrayList<>();
        for (Object a : arguments) {
            if (a instanceof String s && k.containsKey(s) && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    static void record(String displayName, List<String> strategies, Throwable failure, long nanos, long ejections) {
        synchronized (LOCK) {
            tests++;
            if (failure != null) {
                failed++;
                FAILURES.add(displayName + ": " + headline(failure));
            }
            List<String> names = strategies.isEmpty() ? List.of(FIXED) : strategies;
            for (String n : names) {
                Row r = ROWS.computeIfAbsent(n, x -> new Row(kinds().getOrDefault(x, ""), x));
                r.tests++;
                if (failure == null) {
                    r.passed++;
                } else {
                    r.failed++;
                }
                r.ejections += ejections;
                r.nanos += nanos;
            }
        }
    }

    private static String headline(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** True if every test recorded passed (and at least one ran). */
    public static boolean allPassed() {
        synchronized (LOCK) {
            return tests > 0 && failed == 0;
        }
    }

    /** The number of tests recorded under {@code strategy}. */
    public static int testsOf(String strategy) {
        synchronized (LOCK) {
            Row r = ROWS.get(strategy);
            return r == null ? 0 : r.tests;
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        print(System.out);
    }

    /** Prints the table and the failures; nothing if no kit test ran. */
    public static void print(PrintStream out) {
        synchronized (LOCK) {
            if (tests == 0) {
                return;
            }
            Map<String, Row> sorted = new TreeMap<>();
            List<String> only = KitExtension.only();
            for (Row r : ROWS.values()) {
                if (!only.isEmpty() && !only.contains(r.name)) {
                    continue; // a partner in a combination, not under test
                }
                int order = switch (r.kind) {
                    case "scheduler" -> 0;
                    case "allocator" -> 1;
                    case "collector" -> 2;
                    default -> 3;
                };
                sorted.put(order + r.name, r);
            }
            StringBuilder sb = new StringBuilder();
            sb.append("\ngort conformance kit, per strategy (a test under several strategies counts for each)\n");
            sb.append(String.format(Locale.ROOT, "%-10s %-22s %6s %7s %7s %10s %9s%n",
                    "kind", "strategy", "tests", "passed", "failed", "ejections", "time"));
            for (Row r : sorted.values()) {
                sb.append(String.format(Locale.ROOT, "%-10s %-22s %6d %7d %7d %10d %8.1fs%n",
                        r.kind.isEmpty() ? "-" : r.kind, r.name, r.tests, r.passed, r.failed, r.ejections,
                        r.nanos / 1e9));
            }
            sb.append(String.format(Locale.ROOT, "%d tests: %d passed, %d failed%n", tests, tests - failed, failed));
            for (String f : FAILURES) {
                sb.append("FAILED ").append(f).append('\n');
            }
            out.print(sb);
            out.flush();
        }
    }
}
