package org.gort.lab.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.gort.lab.Aggregate;
import org.gort.lab.CompareRequest;
import org.gort.lab.Comparison;
import org.gort.lab.Environment;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.gort.lab.RunRecord;
import org.gort.lab.RunRequest;
import org.gort.lab.Selection;
import org.gort.lab.Verdict;

/*
 * Side-by-side comparison.
 *
 * Order of runs: W warm-up rounds, then R measured rounds; a round runs every selection once,
 * in the order given (A B C A B C ...). Interleaving spreads whatever drifts during the
 * comparison (JIT state, page cache, thermal throttling, a noisy neighbour) over all
 * selections alike instead of charging it to whichever ran last. Every run is a fresh runtime
 * instance.
 *
 * Aggregation: per selection and metric, over the measured runs that ended OK: median, min,
 * max and the order-statistic interval of the median (Stats). A ratio to the baseline
 * (selection 0) is computed for every time-like metric and every metric the request names;
 * a Verdict is made for a shown metric only where the ratio's interval reaches 95% and
 * excludes 1.
 */
public final class Comparer {
    private final Runner runner;

    public Comparer(Runner runner) {
        this.runner = runner;
    }

    public Comparison compare(Workload workload, CompareRequest req, Consumer<String> progress) {
        Params params = workload.params(req.args());
        List<Selection> selections = Selection.labelled(req.selections());
        selections.forEach(runner::validate);
        int total = req.totalRuns();
        int rounds = req.warmups() + req.repeats();
        List<RunRecord> runs = new ArrayList<>();
        long t0 = System.nanoTime();
        int done = 0;
        for (int round = 0; round < rounds; round++) {
            boolean warmup = round < req.warmups();
            int roundNumber = warmup ? round + 1 : round - req.warmups() + 1;
            for (Selection s : selections) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("comparison of " + workload.name() + " interrupted after "
                            + done + " of " + total + " runs");
                }
                progress.accept(progressLine(workload.name(), done, total, warmup, s, System.nanoTime() - t0));
                RunRequest run = RunRequest.of(workload.name(), req.args(), s)
                        .withTraces(req.traces()).withTimeout(req.timeout()).withTimeline(req.timelines());
                RunRecord r = runner.run(workload, params, run, roundNumber, warmup);
                runs.add(r);
                done++;
                if (!r.ok()) {
                    progress.accept("  " + s.label() + (warmup ? " warm-up " : " round ") + roundNumber + ": "
                            + r.outcome() + " " + r.failureHeadline() + " (not measured)");
                }
            }
        }
        progress.accept(String.format(Locale.ROOT, "compare %s: %d runs in %s", workload.name(), total,
                clock(System.nanoTime() - t0)));
        List<String> shown = shownMetrics(req.metrics(), runs);
        List<Aggregate> aggregates = aggregate(selections, runs, req.metrics());
        List<Verdict> verdicts = verdicts(selections, shown, aggregates);
        return new Comparison(workload.name(), params.toString(), selections, req.warmups(), req.repeats(),
                Environment.current(), runs, shown, aggregates, verdicts);
    }

    static String progressLine(String workload, int done, int total, boolean warmup, Selection s, long elapsedNanos) {
        String estimate = done == 0 ? "" : " · ~" + clock(elapsedNanos / done * (total - done)) + " left";
        return String.format(Locale.ROOT, "compare %s: run %d of %d (%s%s) · %s elapsed%s", workload, done + 1, total,
                s.label(), warmup ? ", warm-up" : "", clock(elapsedNanos), estimate);
    }

    /** {@code m:ss}, or {@code h:mm:ss} for long comparisons. */
    static String clock(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** The requested metrics in their order, or every metric that is not zero in every measured OK run. */
    static List<String> shownMetrics(List<String> requested, List<RunRecord> runs) {
        if (!requested.isEmpty()) {
            return requested;
        }
        Set<String> shown = new TreeSet<>();
        for (RunRecord r : runs) {
            if (r.ok() && !r.warmup()) {
                r.metrics().forEach((k, v) -> {
                    if (v != 0 && !Double.isNaN(v)) {
                        shown.add(k);
                    }
                });
            }
        }
        return List.copyOf(shown);
    }

    /** Aggregates for every metric any measured OK run reported, selection by selection. */
    public static List<Aggregate> aggregate(List<Selection> selections, List<RunRecord> runs, List<String> ratioMetrics) {
        Set<String> names = new LinkedHashSet<>(ratioMetrics);
        for (RunRecord r : runs) {
            if (r.ok() && !r.warmup()) {
                names.addAll(r.metrics().keySet());
            }
        }
        List<Aggregate> out = new ArrayList<>();
        for (String metric : new TreeSet<>(names)) {
            double[] baseline = sample(runs, selections.get(0), metric);
            for (int i = 0; i < selections.size(); i++) {
                double[] xs = i == 0 ? baseline : sample(runs, selections.get(i), metric);
                if (xs.length == 0) {
                    continue;
                }
                double[] sorted = Stats.sorted(xs);
                Interval ci = Stats.medianInterval(sorted);
                Ratio ratio = null;
                if (i > 0 && (MetricGuide.timeLike(metric) || ratioMetrics.contains(metric))) {
                    ratio = Stats.hodgesLehmannRatio(baseline, xs);
                }
                out.add(new Aggregate(metric, i, selections.get(i).label(), xs.length, Stats.median(sorted),
                        sorted[0], sorted[sorted.length - 1], ci, ratio));
            }
        }
        return out;
    }

    private static double[] sample(List<RunRecord> runs, Selection s, String metric) {
        return runs.stream()
                .filter(r -> r.ok() && !r.warmup() && r.selection().equals(s))
                .map(r -> r.metrics().get(metric))
                .filter(v -> v != null && !Double.isNaN(v))
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    static List<Verdict> verdicts(List<Selection> selections, List<String> shown, List<Aggregate> aggregates) {
        List<Verdict> out = new ArrayList<>();
        for (String metric : shown) {
            for (Aggregate a : aggregates) {
                if (a.metric().equals(metric) && a.ratio() != null && a.ratio().decisive()) {
                    out.add(new Verdict(a.label(), metric, MetricGuide.phrase(metric), selections.get(0).label(), a.ratio()));
                }
            }
        }
        return out;
    }
}
