package org.gort.workloads;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Fairness: a CPU-bound goroutine that never blocks runs for {@code duration} beside
 * latency-sensitive goroutines that sleep {@code sleepMicros} again and again and measure how
 * late they wake (the time from the timer's expiry until they run again).
 *
 * <p>With {@code safepoints=true} the hog passes a safepoint on every turn ({@link
 * Go#checkpoint()}, the preemption check Go compiles into function prologues): GMP's sysmon
 * preempts it after 10 ms, which bounds the sleepers' lateness; legacy GM never preempts, so
 * when the hog and the sleepers share the only P the sleepers starve until the hog ends. With
 * {@code safepoints=false} the hog's loop contains no runtime call at all, so no cooperative
 * scheduler can preempt it: the reason Go 1.14 added asynchronous preemption. Either way the hog
 * stops by itself after {@code duration}, so every run ends.
 *
 * <p>The sleepers go to sleep before the hog starts, so their first wake-up already competes
 * with it. Starvation is the finding, not a failure: the check only asks that every
 * measurement was taken. Output: {@code measurements: <sleepers × samples>} and one line of
 * percentiles. Reported: {@code latency.p50.ns}, {@code latency.p90.ns}, {@code latency.p99.ns},
 * {@code latency.max.ns}, {@code hog.iterations}, {@code hog.ns} (how long the hog really ran).
 */
@Component(service = Workload.class, property = "gort.workload.name=hog")
public final class Hog extends StandardWorkload {
    static final String PERCENTILES_PREFIX = "wake-up lateness ";

    public Hog() {
        super("hog", "fairness: a CPU hog beside sleeping goroutines that measure how late they wake",
                Param.ofMillis("duration", 200, "how long the hog runs").atLeast(0),
                Param.ofBool("safepoints", true, "whether the hog's loop passes a safepoint on every turn"),
                Param.ofInt("sleepers", 4, "latency-sensitive goroutines").atLeast(1),
                Param.ofInt("samples", 25, "wake-ups each sleeper measures").atLeast(1),
                Param.ofLong("sleepMicros", 1000, "how long each sleep is, in microseconds").atLeast(1));
    }

    @Override
    void run(Params p) {
        long durationNanos = TimeUnit.MILLISECONDS.toNanos(p.longValue("duration"));
        boolean safepoints = p.boolValue("safepoints");
        int sleepers = p.intValue("sleepers");
        int samples = p.intValue("samples");
        long sleepNanos = TimeUnit.MICROSECONDS.toNanos(p.longValue("sleepMicros"));
        long[] lateness = new long[sleepers * samples];

        WaitGroup asleep = new WaitGroup();
        WaitGroup finished = new WaitGroup();
        asleep.add(sleepers);
        finished.add(sleepers + 1);
        for (int s = 0; s < sleepers; s++) {
            int first = s * samples;
            Go.go(() -> {
                for (int i = 0; i < samples; i++) {
                    long due = System.nanoTime() + sleepNanos;
                    if (i == 0) {
                        asleep.done();
                    }
                    Go.sleepNanos(sleepNanos);
                    lateness[first + i] = Math.max(0, System.nanoTime() - due);
                }
                finished.done();
            });
        }
        asleep.await();
        Go.go(() -> {
            long start = System.nanoTime();
            long iterations = safepoints ? spinWithSafepoints(start, durationNanos) : spinWithout(start, durationNanos);
            Go.report("hog.ns", System.nanoTime() - start);
            Go.report("hog.iterations", iterations);
            finished.done();
        });
        finished.await();

        Latencies l = new Latencies(lateness);
        Go.println("measurements: " + l.count());
        Go.println(PERCENTILES_PREFIX + "p50=" + Latencies.micros(l.percentile(50)) + " p90="
                + Latencies.micros(l.percentile(90)) + " p99=" + Latencies.micros(l.percentile(99))
                + " max=" + Latencies.micros(l.max()));
        Go.report("latency.p50.ns", l.percentile(50));
        Go.report("latency.p90.ns", l.percentile(90));
        Go.report("latency.p99.ns", l.percentile(99));
        Go.report("latency.max.ns", l.max());
    }

    /** A loop with a function call in it, as Go compiles it: a preemption check per turn. */
    private static long spinWithSafepoints(long start, long durationNanos) {
        long iterations = 0;
        long x = start;
        while (System.nanoTime() - start < durationNanos) {
            x = Mix.work(x, 16);
            iterations++;
            Go.checkpoint();
        }
        sink = x;
        return iterations;
    }

    /** A tight loop with no runtime call: nothing cooperative can stop it before it ends. */
    private static long spinWithout(long start, long durationNanos) {
        long iterations = 0;
        long x = start;
        while (System.nanoTime() - start < durationNanos) {
            x = Mix.work(x, 16);
            iterations++;
        }
        sink = x;
        return iterations;
    }

    /** Keeps the hog's arithmetic observable, so the JIT cannot drop it. */
    static volatile long sink;

    @Override
    public Check check(Params p, List<String> output) {
        long expected = (long) p.intValue("sleepers") * p.intValue("samples");
        String first = output.isEmpty() ? "<no line>" : output.get(0);
        if (!first.equals("measurements: " + expected)) {
            return Check.failed("line 1: expected 'measurements: " + expected + "', got '" + first + "'");
        }
        String second = output.size() < 2 ? "<no line>" : output.get(1);
        if (!second.matches("wake-up lateness p50=\\d+\\.\\dus p90=\\d+\\.\\dus p99=\\d+\\.\\dus max=\\d+\\.\\dus")) {
            return Check.failed("line 2: expected 'wake-up lateness p50=<us> p90=<us> p99=<us> max=<us>', got '" + second + "'");
        }
        if (output.size() > 2) {
            return Check.failed("line 3: expected '<no line>', got '" + output.get(2) + "'");
        }
        return Check.ok();
    }
}
