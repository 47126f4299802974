package org.gort.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.gort.kernel.profile.Pprof;

/*
 * The run's pprof profiles (Go's runtime/pprof and the go test flags -cpuprofile, -memprofile,
 * -blockprofile, -mutexprofile), written gzipped in pprof's format when the run ends.
 *
 * cpu        A sampler thread wakes 100 times a second (Go's default SetCPUProfileRate) and,
 *            for every M running a user goroutine, reads the M thread's stack down to the
 *            continuation's entry: that is the goroutine's stack. Sample types samples/count
 *            and cpu/nanoseconds, period 10 ms. It sees what runs on the Ms, as Go's SIGPROF
 *            does, but a goroutine burning CPU inside a blocking syscall shows as well.
 * mem        The allocator samples one allocation every MemProfileRate bytes (512 KiB, Go's
 *            default) per P, at the program's allocation site, and scales it up as Go's
 *            scaleHeapSample does (an object of size s stands for 1 / (1 - e^(-s/rate))
 *            objects). alloc_objects/alloc_space count every sampled allocation; in-use
 *            figures count the sampled objects no sweep has freed: at each cycle's mark
 *            termination, a sample allocated before the cycle and left unmarked is freed (Go's
 *            mProf_Free, called by the sweeper), so an address reused later is not counted.
 * block      Every park on a channel, select or sync primitive, when it ends, records the time
 *            parked at the goroutine's stack (Go's blockevent with rate 1): contentions/count
 *            and delay/nanoseconds.
 * mutex      The waits on sync.Mutex and sync.RWMutex, charged as Go charges them: when an
 *            unlock wakes a waiter, the unlocker records the time that waiter has waited at its
 *            own stack (semrelease1 -> mutexevent), so the profile shows who held the lock,
 *            not who asked for it.
 * goroutine  Every goroutine left when the run ends, grouped by stack: goroutine/count.
 *
 * Recording costs nothing while a profile is off: the hooks are null checks. While the block
 * or mutex profile is on, each such park takes its own stack once.
 */
final class Profiles {
    static final long CPU_PERIOD_NANOS = 10_000_000L;
    static final long DEFAULT_MEM_PROFILE_RATE = 512 * 1024;

    private final RuntimeInstance rt;
    final Map<String, Path> files;
    /** Recording on: from the run's start for the profiles it writes, or from a live request on (see {@link #live}). */
    volatile boolean block;
    volatile boolean mutex;
    volatile boolean mem;
    final long memRate;
    private final long startUnixNanos = System.currentTimeMillis() * 1_000_000L;
    private final long startNanos = System.nanoTime();

    /** Stack (leaf first) to {count, nanos}, for the block and the mutex profiles. */
    private final Map<List<Pprof.Frame>, long[]> blockEvents = new ConcurrentHashMap<>();
    private final Map<List<Pprof.Frame>, long[]> mutexEvents = new ConcurrentHashMap<>();
    private final Map<List<Pprof.Frame>, LongAdder> cpuSamples = new ConcurrentHashMap<>();
    /** Sampled allocations: address to {stack, size}, and the per-P byte countdown. */
    private final List<MemSample> memSamples = java.util.Collections.synchronizedList(new ArrayList<>());
    private final long[] nextSample;
    private Thread cpuSampler;

    /** A sampled allocation (Go's bucket with its profile special); {@code freed} once a sweep frees it. */
    static final class MemSample {
        final long addr;
        final long size;
        final List<Pprof.Frame> stack;
        /** The collection cycles begun before its allocation: a cycle that began later did not see it. */
        final long cycle;
        volatile boolean freed;

        MemSample(long addr, long size, List<Pprof.Frame> stack, long cycle) {
            this.addr = addr;
            this.size = size;
            this.stack = stack;
            this.cycle = cycle;
        }
    }

    /** This profile as the heap's sampler: allocations, cycle starts and sweeps. */
    org.gort.kernel.heap.ManagedHeap.AllocationSampler sampler() {
        return new org.gort.kernel.heap.ManagedHeap.AllocationSampler() {
            @Override
            public void allocated(int p, long addr, long size) {
                Profiles.this.allocated(p, addr, size);
            }

            @Override
            public void cycleStarted() {
                Profiles.this.cycleStarted();
            }

            @Override
            public void sweeping(java.util.function.LongPredicate marked) {
                Profiles.this.sweeping(marked);
            }
        };
    }

    /** Collection cycles begun (see {@link #cycleStarted}). */
    private volatile long cycles;

    /** A collection cycle begins (world stopped). */
    void cycleStarted() {
        cycles++;
    }

    /**
     * Go's {@code mProf_Free}, at the sweep of a cycle (world stopped, marking done): every
     * sampled object allocated before the cycle began and left unmarked is freed, and leaves the
     * in-use figures. Its address may hold another object later; it is no longer counted.
     */
    void sweeping(java.util.function.LongPredicate marked) {
        long current = cycles;
        synchronized (memSamples) {
            for (MemSample s : memSamples) {
                if (!s.freed && s.cycle < current && !marked.test(s.addr)) {
                    s.freed = true;
                }
            }
        }
    }

    Profiles(RuntimeInstance rt, Map<String, Path> files, long memRate) {
        this.rt = rt;
        this.files = Map.copyOf(files);
        this.block = files.containsKey("block");
        this.mutex = files.containsKey("mutex");
        this.mem = files.containsKey("mem");
        this.memRate = memRate;
        this.nextSample = new long[rt.gomaxprocs + 1];
        java.util.Arrays.fill(nextSample, memRate);
    }

    /** Starts the CPU sampler if the CPU profile is on. */
    void start() {
        if (!files.containsKey("cpu")) {
            return;
        }
        cpuSampler = new Thread(this::sampleCpu, "gort-cpuprofile");
        cpuSampler.setDaemon(true);
        cpuSampler.start();
    }

    private void sampleCpu() {
        while (!rt.shuttingDown) {
            for (M m : rt.allm) {
                G g = m.curg;
                if (g == null || g.system || g.status != GStatus.RUNNING || m.thread == null) {
                    continue;
                }
                List<Pprof.Frame> stack = programFrames(goroutineFrames(m.thread.getStackTrace()));
                if (!stack.isEmpty() && m.curg == g) {
                    cpuSamples.computeIfAbsent(stack, k -> new LongAdder()).increment();
                }
            }
            try {
                Thread.sleep(CPU_PERIOD_NANOS / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A carrier thread's frames above the continuation's run (the mounted goroutine's). */
    static StackTraceElement[] goroutineFrames(StackTraceElement[] thread) {
        for (int i = 0; i < thread.length; i++) {
            if (thread[i].getClassName().equals("jdk.internal.vm.Continuation")) {
                return java.util.Arrays.copyOf(thread, i);
            }
        }
        return new StackTraceElement[0];
    }

    /** The program's frames of a goroutine stack, leaf first (runtime frames left out, as in a traceback). */
    static List<Pprof.Frame> programFrames(StackTraceElement[] frames) {
        List<Pprof.Frame> out = new ArrayList<>();
        for (StackTraceElement e : frames) {
            if (!Traceback.isRuntime(e.getClassName())) {
                out.add(Pprof.Frame.of(e));
            }
        }
        return List.copyOf(out);
    }

    /** A park that ended, on the goroutine itself: {@code reason}, parked for {@code nanos}. */
    void parked(String reason, long nanos) {
        boolean isBlock = reason.startsWith("chan ") || reason.startsWith("select") || reason.startsWith("sync.");
        if (!(block && isBlock)) {
            return;
        }
        add(blockEvents, programFrames(new Throwable().getStackTrace()), nanos);
    }

    /**
     * Go's {@code mutexevent}: an unlock of a sync.Mutex or sync.RWMutex woke {@code waiter},
     * parked since {@code parkedAt} (0: before the profile recorded); charged to the caller's
     * stack, the unlocker's.
     */
    void unlocked(long parkedAt) {
        if (!mutex || parkedAt == 0) {
            return;
        }
        long nanos = System.nanoTime() - parkedAt;
        add(mutexEvents, programFrames(new Throwable().getStackTrace()), nanos);
    }

    private static void add(Map<List<Pprof.Frame>, long[]> events, List<Pprof.Frame> stack, long nanos) {
        long[] v = events.computeIfAbsent(stack, k -> new long[2]);
        synchronized (v) {
            v[0]++;
            v[1] += nanos;
        }
    }

    /** An allocation of {@code size} bytes at {@code addr} on P {@code p}: sampled every {@link #memRate} bytes. */
    void allocated(int p, long addr, long size) {
        if (p >= 0 && p < nextSample.length - 1) {
            if ((nextSample[p] -= size) > 0) { // P p's own slot: only the M holding p touches it
                return;
            }
            nextSample[p] = memRate;
        } else {
            synchronized (nextSample) { // allocations off any P share the last slot
                if ((nextSample[nextSample.length - 1] -= size) > 0) {
                    return;
                }
                nextSample[nextSample.length - 1] = memRate;
            }
        }
        memSamples.add(new MemSample(addr, size, programFrames(new Throwable().getStackTrace()), cycles));
    }

    /**
     * A profile of the running program now, as Go's {@code /debug/pprof} endpoints serve it:
     * {@code heap}, {@code block} and {@code mutex} from the recording so far (turned on by the
     * caller if it was off), {@code goroutine} from {@code gs} (frames and state of each,
     * read with the world stopped). The CPU and leak profiles are made elsewhere.
     */
    Pprof live(String kind, List<Object[]> gs) {
        Pprof p = switch (kind) {
            case "heap" -> mem();
            case "block" -> events(blockEvents);
            case "mutex" -> events(mutexEvents);
            case "goroutine" -> goroutineProfile(gs);
            default -> throw new IllegalArgumentException(kind);
        };
        return p.time(startUnixNanos, System.nanoTime() - startNanos);
    }

    /** The CPU profile of the samples taken so far (a sampler started for a live request). */
    Pprof liveCpu() {
        return cpu().time(startUnixNanos, System.nanoTime() - startNanos);
    }

    /** Stops the CPU sampler. */
    void stopCpu() {
        if (cpuSampler != null) {
            cpuSampler.interrupt();
        }
    }

    /** The leak profile of {@code leaks}. */
    Pprof leakProfile(List<LeakCheck.Leak> leaks) {
        List<Object[]> gs = new ArrayList<>();
        for (LeakCheck.Leak l : leaks) {
            gs.add(new Object[] {l.frames(), l.state()});
        }
        return goroutineProfile(gs).time(startUnixNanos, System.nanoTime() - startNanos);
    }

    /** Writes every requested profile; returns the problems, one line each. */
    List<String> write(long endNanos) {
        List<String> problems = new ArrayList<>();
        if (cpuSampler != null) {
            cpuSampler.interrupt();
        }
        long duration = endNanos - startNanos;
        files.forEach((kind, file) -> {
            Pprof p = switch (kind) {
                case "cpu" -> cpu();
                case "mem" -> mem();
                case "block" -> events(blockEvents);
                case "mutex" -> events(mutexEvents);
                case "goroutine" -> goroutines();
                default -> null;
            };
            if (p == null) {
                return;
            }
            p.time(startUnixNanos, duration);
            try {
                p.write(file);
            } catch (java.io.IOException | RuntimeException e) {
                problems.add("cannot write the " + kind + " profile to " + file + ": " + e.getMessage());
            }
        });
        return problems;
    }

    private Pprof cpu() {
        Pprof p = new Pprof("samples", "count", "cpu", "nanoseconds").period("cpu", "nanoseconds", CPU_PERIOD_NANOS);
        cpuSamples.forEach((stack, n) -> p.sample(stack, n.sum(), n.sum() * CPU_PERIOD_NANOS));
        return p;
    }

    private Pprof events(Map<List<Pprof.Frame>, long[]> events) {
        Pprof p = new Pprof("contentions", "count", "delay", "nanoseconds").period("contentions", "count", 1);
        events.forEach((stack, v) -> {
            synchronized (v) {
                p.sample(stack, v[0], v[1]);
            }
        });
        return p;
    }

    private Pprof mem() {
        Pprof p = new Pprof("alloc_objects", "count", "alloc_space", "bytes", "inuse_objects", "count", "inuse_space", "bytes")
                .period("space", "bytes", memRate).defaultSampleType("inuse_space");
        Map<List<Pprof.Frame>, double[]> byStack = new HashMap<>();
        List<MemSample> samples;
        synchronized (memSamples) {
            samples = List.copyOf(memSamples);
        }
        for (MemSample s : samples) {
            // Go's scaleHeapSample: a sample of size s stands for 1/(1-e^(-s/rate)) objects.
            double scale = 1 / (1 - Math.exp(-(double) s.size / memRate));
            double[] v = byStack.computeIfAbsent(s.stack, k -> new double[4]);
            v[0] += scale;
            v[1] += scale * s.size;
            if (!s.freed) { // in use until a sweep freed it (mProf_Free)
                v[2] += scale;
                v[3] += scale * s.size;
            }
        }
        byStack.forEach((stack, v) -> p.sample(stack, Math.round(v[0]), Math.round(v[1]), Math.round(v[2]), Math.round(v[3])));
        return p;
    }

    /** The goroutines left (every M has exited, so their stacks can be read), grouped by stack. */
    private Pprof goroutines() {
        List<Object[]> gs = new ArrayList<>();
        for (G g : Traceback.listed(rt, Traceback.Level.ALL)) {
            gs.add(new Object[] {Traceback.frames(g, false), Traceback.state(g)});
        }
        return goroutineProfile(gs);
    }

    /** The leak profile (Go 1.26's goroutineleak): the leaked goroutines by stack, written after the analysis. */
    List<String> writeLeaks(List<LeakCheck.Leak> leaks, long endNanos) {
        Path file = files.get("leak");
        if (file == null) {
            return List.of();
        }
        List<Object[]> gs = new ArrayList<>();
        for (LeakCheck.Leak l : leaks) {
            gs.add(new Object[] {l.frames(), l.state()});
        }
        Pprof p = goroutineProfile(gs).time(startUnixNanos, endNanos - startNanos);
        try {
            p.write(file);
            return List.of();
        } catch (java.io.IOException | RuntimeException e) {
            return List.of("cannot write the leak profile to " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Pprof goroutineProfile(List<Object[]> goroutines) {
        Pprof p = new Pprof("goroutine", "count").period("goroutine", "count", 1);
        Map<List<Pprof.Frame>, Map<String, long[]>> byStack = new HashMap<>();
        for (Object[] g : goroutines) {
            List<StackTraceElement> frames = (List<StackTraceElement>) g[0];
            List<Pprof.Frame> stack = frames == null ? List.of() : frames.stream().map(Pprof.Frame::of).toList();
            byStack.computeIfAbsent(stack, k -> new HashMap<>()).computeIfAbsent((String) g[1], k -> new long[1])[0]++;
        }
        byStack.forEach((stack, states) -> states.forEach((state, n) -> p.sample(stack, Map.of("state", state), n[0])));
        return p;
    }
}
