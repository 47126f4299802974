package org.gort.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.StrategyCatalog;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/*
 * Allocator micro-benchmarks: the allocator strategies called directly (Go's mallocgc without
 * the collector), the way the kernel calls them, one benchmark thread per P, each with its own
 * proc id, so a thread stands for a goroutine running on its own P.
 *
 *   alloc16   a 16-byte object with 2 pointers (scan), Go's `&struct{l, r *T}{}`
 *   allocMix  a fixed, repeating mix of sizes (MIX): tiny noscan, small scan objects and arrays
 *             up to 1 KiB, as a program's allocations look to the allocator's fast path
 *   *TwoThreads  the same with two threads on two Ps at once (GOMAXPROCS=2)
 *   bump*     the floor: a bump pointer that zeroes what it hands out, in the same arena
 *             memory (a MemorySegment), no size classes, no free lists, no locks
 *
 * No collector runs: each iteration is one shot of BATCH allocations per thread
 * (SingleShotTime), after which @TearDown sweeps with an empty mark bitmap, which frees every
 * block (startSweepCycle + finishSweep, what a collector does after a cycle that found nothing
 * alive), so every iteration starts from the same warm, committed heap. Go's figure, by
 * contrast, includes its GC's share (bench/go/alloc).
 *
 * Lock traffic comes from the allocator's own counters (AllocStats): at the end of a trial a
 * line "gort-stat <benchmark> allocator=... allocsPerLock=..." is printed, which
 * org.gort.bench.Report reads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 20, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_VM, BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.COMPACT_HEADERS})
public class AllocBench {
    /** Allocations per thread per iteration. */
    static final int BATCH = 1 << 21;
    /** The size mix, cycled through: {size, noscan ? 1 : 0}; mean 118 bytes. See bench/go/alloc. */
    static final int[][] MIX = mix();
    static final long HEAP_BYTES = 4L << 30;
    /** Each thread's bump region: room for one batch of the largest mix entry average and more. */
    static final long BUMP_REGION = 256L << 20;

    @Param({"tcmalloc", "global-freelist"})
    public String allocator;

    /** Ps in the heap; the two-thread benchmarks need 2. */
    @Param({"2"})
    public int gomaxprocs;

    private ManagedHeap heap;
    private Allocator alloc;
    private MemorySegment memory;
    private final AtomicInteger nextProc = new AtomicInteger();
    private AllocStats before;

    /** One benchmark thread: the P it allocates on and its bump-pointer region. */
    @State(Scope.Thread)
    public static class Proc {
        int id;
        long bumpStart;
        long bump;

        @Setup(Level.Trial)
        public void take(AllocBench b) {
            id = b.nextProc.getAndIncrement();
            if (id >= b.gomaxprocs) {
                throw new IllegalStateException("more benchmark threads than Ps: run with gomaxprocs >= threads");
            }
            // A large object of the allocator under test holds the bump region, in the same arena.
            bumpStart = b.alloc.allocate(BUMP_REGION, true, id);
            if (bumpStart == 0) {
                throw new IllegalStateException("no room for a bump region in a " + (HEAP_BYTES >> 20) + " MiB heap");
            }
            bump = bumpStart;
        }

        @TearDown(Level.Iteration)
        public void rewind() {
            bump = bumpStart;
        }
    }

    private static int[][] mix() {
        // {size, noscan}: 10% tiny noscan (8), then scan objects; repeated in this order.
        int[][] shares = {
            {8, 1, 10}, {16, 0, 30}, {32, 0, 20}, {48, 0, 10}, {64, 0, 10},
            {128, 0, 10}, {256, 0, 5}, {512, 0, 3}, {1024, 0, 2},
        };
        int n = 0;
        for (int[] s : shares) {
            n += s[2];
        }
        int[][] out = new int[n][];
        // Interleave rather than group, so consecutive allocations change size class.
        int k = 0;
        int[] left = new int[shares.length];
        for (int i = 0; i < shares.length; i++) {
            left[i] = shares[i][2];
        }
        while (k < n) {
            for (int i = 0; i < shares.length; i++) {
                if (left[i] > 0) {
                    left[i]--;
                    out[k++] = new int[] {shares[i][0], shares[i][1]};
                }
            }
        }
        return out;
    }

    @Setup(Level.Trial)
    public void start() {
        StrategyCatalog catalog = StrategyCatalog.serviceLoader();
        heap = new ManagedHeap(catalog.allocator(allocator), new ManagedHeap.Options(HEAP_BYTES, gomaxprocs));
        alloc = heap.allocator();
        memory = heap.arena().memory();
        before = alloc.stats();
    }

    /** Frees everything the iteration allocated: a sweep that finds no mark bit set. */
    @TearDown(Level.Iteration)
    public void sweep() {
        alloc.startSweepCycle();
        alloc.finishSweep();
    }

    @TearDown(Level.Trial)
    public void report(BenchmarkParams params) {
        if (params.getBenchmark().contains(".bump")) {
            heap.close();
            return;
        }
        AllocStats after = alloc.stats();
        long objects = after.objectsAllocated() - before.objectsAllocated();
        long locks = after.lockAcquisitions() - before.lockAcquisitions();
        long refills = after.cacheRefills() - before.cacheRefills();
        System.out.println(String.format(Locale.ROOT,
                "gort-stat %s allocator=%s gomaxprocs=%d threads=%d objects=%d lockAcquisitions=%d cacheRefills=%d allocsPerLock=%.1f",
                params.getBenchmark().replace("org.gort.bench.", ""), allocator, gomaxprocs, params.getThreads(),
                objects, locks, refills, locks == 0 ? Double.POSITIVE_INFINITY : (double) objects / locks));
        heap.close();
    }

    private long small16(int proc) {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += alloc.allocate(16, false, proc);
        }
        return check(sum);
    }

    private long mixed(int proc) {
        long sum = 0;
        int[][] mix = MIX;
        for (int i = 0; i < BATCH; i++) {
            int[] m = mix[i % mix.length];
            sum += alloc.allocate(m[0], m[1] != 0, proc);
        }
        return check(sum);
    }

    private static long check(long sum) {
        if (sum == 0) {
            throw new IllegalStateException("the allocator returned 0 (heap full): raise HEAP_BYTES");
        }
        return sum;
    }

    private long bumpSmall16(Proc p) {
        long sum = 0;
        long top = p.bump;
        for (int i = 0; i < BATCH; i++) {
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, top, 0L);
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, top + 8, 0L);
            sum += top;
            top += 16;
        }
        p.bump = top;
        return sum;
    }

    private long bumpMixed(Proc p) {
        long sum = 0;
        long top = p.bump;
        int[][] mix = MIX;
        for (int i = 0; i < BATCH; i++) {
            int size = mix[i % mix.length][0];
            memory.asSlice(top, size).fill((byte) 0);
            sum += top;
            top += (size + 7) & ~7;
        }
        p.bump = top;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long alloc16(Proc p) {
        return small16(p.id);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Threads(2)
    public long alloc16TwoThreads(Proc p) {
        return small16(p.id);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long allocMix(Proc p) {
        return mixed(p.id);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Threads(2)
    public long allocMixTwoThreads(Proc p) {
        return mixed(p.id);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bump16(Proc p) {
        return bumpSmall16(p);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bumpMix(Proc p) {
        return bumpMixed(p);
    }
}
