package org.gort.bench;

import java.util.concurrent.TimeUnit;
import org.gort.kernel.Coroutine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/*
 * The floor under every gort scheduler figure: one suspend and one resume of the continuation
 * that carries a goroutine (org.gort.kernel.Coroutine, i.e. jdk.internal.vm.Continuation), on
 * one thread, with no scheduler, no channel and no other thread involved. A gort round trip
 * costs at least two of these (one per goroutine), plus the run-queue and channel work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_VM, BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.COMPACT_HEADERS})
public class ContinuationBench {
    private Coroutine coroutine;

    @Setup
    public void start() {
        coroutine = new Coroutine(this, () -> {
            while (true) {
                Coroutine.suspend();
            }
        });
        coroutine.resume(); // the first resume only enters the body
    }

    /** ns per yield + resume. */
    @Benchmark
    public void yieldResume() {
        coroutine.resume();
    }
}
