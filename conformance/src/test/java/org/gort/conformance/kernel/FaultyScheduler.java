package org.gort.conformance.kernel;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.conformance.Kit;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.gort.spi.sched.SyscallEntry;

/** gmp with one deliberate fault, for the kernel's containment tests. */
final class FaultyScheduler implements Scheduler {
    enum Fault {
        /** ready() throws from its {@code after}-th call on. */
        READY_THROWS,
        /** ready() silently drops every {@code after}-th goroutine. */
        DROPS,
        /** drain() throws. */
        DRAIN_THROWS
    }

    /** The strategy named {@code name}: gmp with {@code fault}. */
    static SchedulerStrategy strategy(String name, Fault fault, int after) {
        return new SchedulerStrategy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "gmp with a deliberate fault: " + fault;
            }

            @Override
            public Scheduler create(SchedContext ctx) {
                return new FaultyScheduler(Kit.catalog().scheduler("gmp").create(ctx), fault, after);
            }
        };
    }

    /** The kit's catalog plus {@code extra}. */
    static StrategyCatalog catalogWith(SchedulerStrategy... extra) {
        StrategyCatalog base = Kit.catalog();
        return new StrategyCatalog() {
            @Override
            public List<SchedulerStrategy> schedulers() {
                return java.util.stream.Stream.concat(base.schedulers().stream(), java.util.Arrays.stream(extra)).toList();
            }

            @Override
            public List<AllocatorStrategy> allocators() {
                return base.allocators();
            }

            @Override
            public List<CollectorStrategy> collectors() {
                return base.collectors();
            }
        };
    }

    /** A configuration for {@code scheduler}, its trace lines collected in {@code trace}. */
    static RuntimeConfig.Builder config(String scheduler, int gomaxprocs, List<String> trace) {
        return Kit.config(scheduler, gomaxprocs).trace(trace::add);
    }

    private final Scheduler gmp;
    private final Fault fault;
    private final int after;
    private final AtomicInteger readies = new AtomicInteger();

    private FaultyScheduler(Scheduler gmp, Fault fault, int after) {
        this.gmp = gmp;
        this.fault = fault;
        this.after = after;
    }

    @Override
    public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
        int n = readies.incrementAndGet();
        if (fault == Fault.READY_THROWS && n >= after) {
            throw new IllegalStateException("a deliberate fault in ready()");
        }
        if (fault == Fault.DROPS && n % after == 0) {
            return; // lost
        }
        gmp.ready(g, why, m, p);
    }

    @Override
    public Goroutine findRunnable(Machine m, Proc p) {
        return gmp.findRunnable(m, p);
    }

    @Override
    public boolean inheritsTimeSlice(Proc p) {
        return gmp.inheritsTimeSlice(p);
    }

    @Override
    public void exited(Goroutine g, Machine m, Proc p) {
        gmp.exited(g, m, p);
    }

    @Override
    public boolean hasRunnable() {
        return gmp.hasRunnable();
    }

    @Override
    public boolean hasRunnable(Proc p) {
        return gmp.hasRunnable(p);
    }

    @Override
    public int globalQueueLength() {
        return gmp.globalQueueLength();
    }

    @Override
    public int localQueueLength(Proc p) {
        return gmp.localQueueLength(p);
    }

    @Override
    public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
        return gmp.shouldPreempt(p, running, ranNanos);
    }

    @Override
    public SyscallEntry onSyscallEntry(Proc p) {
        return gmp.onSyscallEntry(p);
    }

    @Override
    public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
        return gmp.shouldRetake(p, inSyscallNanos, ticksSeen);
    }

    @Override
    public List<Goroutine> drain() {
        if (fault == Fault.DRAIN_THROWS) {
            throw new IllegalStateException("a deliberate fault in drain()");
        }
        return gmp.drain();
    }

    @Override
    public void detach() {
        gmp.detach();
    }
}
