package org.gort.conformance.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.gort.api.RuntimeConfig;
import org.gort.conformance.Kit;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.gort.spi.sched.SyscallEntry;

/*
 * A scheduler with one injected fault, for the kit's tests of the kernel's containment
 * (ContainmentTest here, EjectionTest in the kernel's tests).
 *
 * It is the default scheduler (gmp) with one SPI method broken from its n-th call on:
 *  - THROW: the method throws an IllegalStateException naming itself;
 *  - DROP: ready() forgets every n-th goroutine (it is never handed back, not even by drain);
 *  - STALL: findRunnable() hands out nothing from its n-th call on, and hasRunnable() says so,
 *    while the goroutines stay queued inside (drain still returns them).
 * The kernel must eject it, keep every goroutine and finish the run on the default.
 *  - SLOW: the methods answer correctly but each call takes n microseconds: a slow strategy is
 *    not a faulty one, and must not be ejected; it widens the windows between the kernel's
 *    own reads (the deadlock check asks hasRunnable() between reading its counts and reading
 *    every goroutine's status).
 *  - PAUSE: once armed, the next findRunnable() makes the pause a thief makes before stealing a
 *    running P's runnext (Proc.runnextStealPause), n milliseconds long, before it looks for work:
 *    what the kernel does while an M sleeps there holding its P.
 */
public final class FaultyStrategy implements SchedulerStrategy {
    /** How the broken methods fail. */
    public enum Fault { THROW, DROP, STALL, SLOW, PAUSE }

    private final List<String> methods;
    private final Fault fault;
    private final long from;
    private volatile boolean fired;
    /** PAUSE: armed by the test, taken by exactly one findRunnable(). */
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile boolean pausing;
    private volatile long pauseNanos = -1;
    private volatile boolean pauseResult;

    /**
     * The strategy whose {@code methods} (comma-separated) fail ({@code fault}) from their
     * {@code from}-th call on.
     */
    public FaultyStrategy(String methods, Fault fault, long from) {
        this.methods = List.of(methods.split(","));
        this.fault = fault;
        this.from = from;
    }

    /** True if the fault keeps goroutines from running without an exception (the watchdog's case). */
    public boolean holdsGoroutines() {
        return fault == Fault.DROP || fault == Fault.STALL;
    }

    /** PAUSE: the next findRunnable() pauses. */
    public void arm() {
        armed.set(true);
    }

    /** PAUSE: true once an M has begun its pause. */
    public boolean pausing() {
        return pausing;
    }

    /** PAUSE: how long the pause took (-1 until it ended) and what it returned. */
    public long pauseNanos() {
        return pauseNanos;
    }

    public boolean pauseResult() {
        return pauseResult;
    }

    /** True once the fault has struck. */
    public boolean fired() {
        return fired;
    }

    @Override
    public String name() {
        return Kit.TEST_ONLY_PREFIX + "faulty-" + fault.name().toLowerCase() + "-" + String.join("-", methods);
    }

    @Override
    public String description() {
        return "gmp with " + methods + " broken (" + fault + ") from call " + from;
    }

    @Override
    public Scheduler create(SchedContext ctx) {
        return new Faulty(Kit.catalog().scheduler(RuntimeConfig.DEFAULT_SCHEDULER).create(ctx));
    }

    @Override
    public String toString() {
        return name();
    }

    private final class Faulty implements Scheduler {
        private final Scheduler d;
        private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
        private final AtomicLong readies = new AtomicLong();
        private volatile boolean stalled;

        Faulty(Scheduler delegate) {
            this.d = delegate;
        }

        /** Counts a call of {@code m}; throws if {@code m} is the broken method and its time has come. */
        private void call(String m) {
            if (fault == Fault.SLOW && methods.contains(m)) {
                java.util.concurrent.locks.LockSupport.parkNanos(from * 1_000);
                return;
            }
            if (fault == Fault.THROW && methods.contains(m)
                    && calls.computeIfAbsent(m, k -> new AtomicLong()).incrementAndGet() >= from) {
                fired = true;
                throw new IllegalStateException("injected fault in " + m + "()");
            }
        }

        @Override
        public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
            call("ready");
            if (fault == Fault.DROP && readies.incrementAndGet() % from == 0) {
                fired = true;
                return; // lost
            }
            d.ready(g, why, m, p);
        }

        @Override
        public Goroutine findRunnable(Machine m, Proc p) {
            call("findRunnable");
            if (fault == Fault.PAUSE && armed.compareAndSet(true, false)) {
                fired = true;
                pausing = true;
                long t0 = System.nanoTime();
                pauseResult = p.runnextStealPause(from * 1_000_000);
                pauseNanos = System.nanoTime() - t0;
            }
            if (fault == Fault.STALL
                    && (stalled || calls.computeIfAbsent("stall", k -> new AtomicLong()).incrementAndGet() >= from)) {
                stalled = true;
                fired = true;
                return null;
            }
            return d.findRunnable(m, p);
        }

        @Override
        public boolean inheritsTimeSlice(Proc p) {
            call("inheritsTimeSlice");
            return d.inheritsTimeSlice(p);
        }

        @Override
        public void exited(Goroutine g, Machine m, Proc p) {
            call("exited");
            d.exited(g, m, p);
        }

        @Override
        public boolean hasRunnable() {
            call("hasRunnable");
            return !stalled && d.hasRunnable();
        }

        @Override
        public boolean hasRunnable(Proc p) {
            call("hasRunnable");
            return !stalled && d.hasRunnable(p);
        }

        @Override
        public int globalQueueLength() {
            call("globalQueueLength");
            return d.globalQueueLength();
        }

        @Override
        public int localQueueLength(Proc p) {
            call("localQueueLength");
            return d.localQueueLength(p);
        }

        @Override
        public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
            call("shouldPreempt");
            return d.shouldPreempt(p, running, ranNanos);
        }

        @Override
        public SyscallEntry onSyscallEntry(Proc p) {
            call("onSyscallEntry");
            return d.onSyscallEntry(p);
        }

        @Override
        public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
            call("shouldRetake");
            return d.shouldRetake(p, inSyscallNanos, ticksSeen);
        }

        @Override
        public List<Goroutine> drain() {
            call("drain");
            return new ArrayList<>(d.drain());
        }

        @Override
        public void detach() {
            call("detach");
            d.detach();
        }

        @Override
        public long watchdogNanos() {
            return d.watchdogNanos();
        }

        @Override
        public boolean preempts() {
            call("preempts");
            return d.preempts();
        }

        @Override
        public org.gort.spi.sched.NetpollMode netpollMode() {
            call("netpollMode");
            return d.netpollMode();
        }

        @Override
        public void reportCounters(ObjLongConsumer<String> sink) {
            call("reportCounters");
            d.reportCounters(sink);
        }
    }
}
