package org.gort.shell;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gort.api.Check;
import org.gort.api.Params;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyChange;
import org.gort.api.Workload;

/**
 * One workload run started from the shell: its handle, what it was asked to do, the strategy
 * changes that happened to it, and (once it ended) its result with the workload's verdict on
 * its output.
 */
final class Run {
    /** The verdict of a finished run: the kernel's result plus the output check. */
    record Outcome(RunResult result, Check check, Map<String, String> finalStrategies) {
        boolean passed() {
            return result.ok() && check.passed();
        }
    }

    final String workloadName;
    final Workload workload;
    final Params params;
    final RuntimeConfig config;
    final RunHandle handle;
    final boolean background;
    /** How long the run may take before it is stopped ({@code --timeout}). */
    final Duration timeout;
    final long startNanos = System.nanoTime();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** {@code --metrics}: which metrics {@code await} prints under the verdict. */
    volatile String metricsMode = "key";
    private Outcome outcome;

    Run(String workloadName, Workload workload, Params params, RuntimeConfig config, RunHandle handle, boolean background,
        Duration timeout) {
        this.timeout = timeout;
        this.workloadName = workloadName;
        this.workload = workload;
        this.params = params;
        this.config = config;
        this.handle = handle;
        this.background = background;
    }

    /** {@code sieve n=10}. */
    String title() {
        String p = params.toString();
        return p.isEmpty() ? workloadName : workloadName + " " + p;
    }

    boolean isDone() {
        return handle.isDone();
    }

    /** A note about the run that is not a strategy change the kernel made (those are in its result). */
    void event(String what) {
        events.add(what);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    /** Waits for the end (stopping the run when its {@link #timeout} is up) and checks the output. */
    Outcome await() {
        long left = timeout.toNanos() - (System.nanoTime() - startNanos);
        return await(Duration.ofNanos(Math.max(1_000_000, left)));
    }

    /** Waits for the end (at most {@code timeout}, then stops it) and checks the output. */
    synchronized Outcome await(Duration timeout) {
        if (outcome == null) {
            RunResult r = handle.await(timeout);
            Check c;
            if (r.status() != RunStatus.OK) {
                c = Check.failed(r.status().name());
            } else {
                try {
                    c = workload.check(params, r.output());
                } catch (RuntimeException e) {
                    c = Check.failed("the output check threw " + e);
                }
            }
            outcome = new Outcome(r, c, handle.activeStrategies());
        }
        return outcome;
    }

    synchronized Outcome outcomeIfDone() {
        return outcome;
    }

    /** The one line that sums a finished run up. */
    String summary(Outcome o) {
        RunResult r = o.result();
        StringBuilder sb = new StringBuilder(title()).append(": ");
        if (!r.ok()) {
            sb.append(r.status()).append(": ").append(r.failureHeadline());
        } else if (!o.check().passed()) {
            sb.append("FAILED: wrong output: ").append(o.check().difference());
        } else if (workload instanceof org.gort.lab.Program p && !p.checksOutput()) {
            sb.append("OK");
        } else {
            sb.append("OK, output checked");
        }
        double ms = r.metrics() == null ? (System.nanoTime() - startNanos) / 1e6 : r.metrics().get("run.wall.ns", 0) / 1e6;
        sb.append(String.format(", %.1f ms, ", ms)).append(strategies(o.finalStrategies()));
        // Every change the kernel made, counted by kind; an ejection is named (its lines,
        // one per change, come before the summary: see changeLines).
        List<StrategyChange> changes = r.changes();
        long schedSwaps = changes.stream().filter(c -> !c.isEjection() && c.kind().equals("scheduler")).count();
        long gcSwaps = changes.stream().filter(c -> !c.isEjection() && c.kind().equals("collector")).count();
        if (schedSwaps > 0) {
            sb.append(", ").append(schedSwaps).append(schedSwaps == 1 ? " scheduler swap" : " scheduler swaps");
        }
        if (gcSwaps > 0) {
            sb.append(", ").append(gcSwaps).append(gcSwaps == 1 ? " collector swap" : " collector swaps");
        }
        for (StrategyChange c : changes) {
            if (c.isEjection()) {
                sb.append(", ejection: ").append(c.kind()).append(' ').append(c.from()).append(" -> ")
                        .append(c.to() == null ? "none" : c.to());
            }
        }
        return sb.toString();
    }

    /**
     * The run's key metrics, printed under its verdict: the collector's cycles and pauses, the
     * heap's peak, the goroutines' peak, the schedules and steals; with {@code all}, every
     * metric by name, with its {@code runtime/metrics} name where Go has one. Empty when the
     * run reported no metrics or {@code mode} is {@code none}.
     */
    static List<String> metricLines(org.gort.api.Metrics m, String mode) {
        if (m == null || mode.equals("none")) {
            return List.of();
        }
        if (mode.equals("all")) {
            int width = m.values().keySet().stream().mapToInt(String::length).max().orElse(0);
            List<String> lines = new java.util.ArrayList<>();
            m.values().forEach((k, v) -> {
                String go = org.gort.api.GoMetricNames.of(k);
                lines.add(String.format("  %-" + width + "s %s%s", k, number(v), go == null ? "" : "   " + go));
            });
            return lines;
        }
        StringBuilder gc = new StringBuilder("  gc: ");
        long cycles = (long) m.get("gc.cycles", 0);
        gc.append(cycles).append(cycles == 1 ? " cycle" : " cycles");
        long forced = (long) m.get("gc.cycles.forced", 0);
        if (forced > 0) {
            gc.append(" (").append(forced).append(" forced)");
        }
        if (cycles > 0) {
            gc.append(String.format(", max pause %.3f ms, total pause %.3f ms", m.get("gc.pause.max.ns", 0) / 1e6,
                    m.get("gc.pause.total.ns", 0) / 1e6));
        }
        if (m.has("gc.heap.live.max.bytes")) {
            gc.append(", heap peak ").append(bytes(m.get("gc.heap.live.max.bytes", 0)));
        }
        if (m.has("gc.gogc")) {
            double gogc = m.get("gc.gogc", 100);
            gc.append(", GOGC=").append(gogc < 0 ? "off" : Long.toString((long) gogc));
        }
        if (m.get("gc.memory.limit.bytes", 0) > 0) {
            gc.append(", GOMEMLIMIT=").append(bytes(m.get("gc.memory.limit.bytes", 0)));
        }
        StringBuilder sched = new StringBuilder("  sched: ");
        sched.append((long) m.get("sched.goroutines.created", 0)).append(" goroutines created");
        if (m.has("run.goroutines.peak")) {
            sched.append(", peak ").append((long) m.get("run.goroutines.peak", 0));
        }
        sched.append(", ").append((long) m.get("sched.schedules", 0)).append(" schedules, ")
                .append((long) m.get("sched.steals", 0)).append(" steals");
        List<String> lines = new java.util.ArrayList<>();
        if (m.has("gc.cycles")) {
            lines.add(gc.toString());
        }
        lines.add(sched.toString());
        return lines;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.4g", v);
    }

    /** Bytes the way Go's tools print them: {@code 8.0 MiB}. */
    static String bytes(double b) {
        if (b < 1024) {
            return (long) b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format("%.1f %s", b, units[u]);
    }

    /**
     * The run's strategy changes, one line each, in order: every swap and ejection the kernel
     * made (from the result once the run has ended), then the shell's own notes about it.
     */
    List<String> changeLines(Outcome o) {
        List<String> lines = new java.util.ArrayList<>();
        for (StrategyChange c : o == null ? handle.strategyChanges() : o.result().changes()) {
            lines.add(c.describe());
        }
        lines.addAll(events);
        return lines;
    }

    /** {@code sched=gmp alloc=tcmalloc gc=hybrid gomaxprocs=2}, noting what changed since the start. */
    String strategies(Map<String, String> now) {
        return "sched=" + changed(config.scheduler(), now.get(Kind.SCHEDULER.word))
                + " alloc=" + changed(config.allocator(), now.get(Kind.ALLOCATOR.word))
                + " gc=" + changed(config.collector(), now.get(Kind.COLLECTOR.word))
                + " pacer=" + changed(config.pacer(), now.get(Kind.PACER.word))
                + (config.gcstoptheworld() == 0 ? "" : " gcstoptheworld=" + config.gcstoptheworld())
                + " gomaxprocs=" + config.gomaxprocs();
    }

    private static String changed(String first, String now) {
        return now == null || now.equals(first) ? first : first + "->" + now;
    }
}
