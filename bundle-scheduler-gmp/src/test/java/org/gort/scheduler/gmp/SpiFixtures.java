package org.gort.scheduler.gmp;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.MeteredLock;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.SchedContext;

/**
 * Small real implementations of the scheduler SPI's handles and kernel services, enough to drive
 * a {@link GmpScheduler} without the kernel: Ps whose status and schedtick the test sets, Ms
 * with a seeded random source, and a context that keeps Go's {@code npidle}/{@code nmspinning}
 * bookkeeping, a manual clock, and records the Ms that {@code startm} started.
 */
final class SpiFixtures {
    private SpiFixtures() {
    }

    static final class TestG implements Goroutine {
        private final long id;
        private Object link;

        TestG(long id) {
            this.id = id;
        }

        @Override public long id() { return id; }
        @Override public int lastProc() { return -1; }
        @Override public Object schedLink() { return link; }
        @Override public void setSchedLink(Object link) { this.link = link; }
        @Override public String toString() { return "G" + id; }
    }

    static final class TestProc implements Proc {
        private final int id;
        volatile long schedtick;
        volatile ProcStatus status = ProcStatus.RUNNING;

        TestProc(int id) {
            this.id = id;
        }

        @Override public int id() { return id; }
        @Override public long schedtick() { return schedtick; }
        @Override public long syscalltick() { return 0; }
        @Override public ProcStatus status() { return status; }
        @Override public String toString() { return "P" + id; }
    }

    static final class TestMachine implements Machine {
        private final int id;
        private final RandomGenerator random;
        volatile boolean spinning;

        TestMachine(int id, long seed) {
            this.id = id;
            this.random = new SplittableRandom(seed);
        }

        @Override public int id() { return id; }
        @Override public boolean spinning() { return spinning; }
        @Override public RandomGenerator random() { return random; }
        @Override public String toString() { return "M" + id; }
    }

    /** The kernel side of the SPI for one runtime instance, minus threads. */
    static final class TestContext implements SchedContext {
        final TestProc[] procs;
        final AtomicInteger nmspinning = new AtomicInteger();
        final AtomicLong clock = new AtomicLong(1_000_000_000L);
        final Map<String, Long> config = new ConcurrentHashMap<>();
        final Map<String, Boolean> switches = new ConcurrentHashMap<>();
        final AtomicLong steals = new AtomicLong();
        final AtomicLong goroutinesStolen = new AtomicLong();
        final List<MeteredLock> locks = new CopyOnWriteArrayList<>();
        /** Ms started by {@code startM}, each holding the P it was given. */
        final List<TestMachine> startedMs = new CopyOnWriteArrayList<>();
        final List<TestProc> startedOnProcs = new CopyOnWriteArrayList<>();
        /** {@code sched.gcwaiting}, set by a test. */
        volatile boolean stopPending;
        private final AtomicInteger nextMId = new AtomicInteger(100);

        @Override public boolean stopPending() { return stopPending; }

        TestContext(int gomaxprocs) {
            procs = new TestProc[gomaxprocs];
            for (int i = 0; i < gomaxprocs; i++) {
                procs[i] = new TestProc(i);
            }
        }

        @Override public int gomaxprocs() { return procs.length; }
        @Override public Proc proc(int id) { return procs[id]; }
        @Override public long nanoTime() { return clock.get(); }

        @Override
        public int idleProcs() {
            int n = 0;
            for (TestProc p : procs) {
                if (p.status == ProcStatus.IDLE) {
                    n++;
                }
            }
            return n;
        }

        @Override public int spinningMs() { return nmspinning.get(); }

        @Override
        public void setSpinning(Machine m, boolean spinning) {
            TestMachine tm = (TestMachine) m;
            if (tm.spinning == spinning) {
                throw new IllegalStateException(m + " is already " + (spinning ? "spinning" : "not spinning"));
            }
            tm.spinning = spinning;
            if (nmspinning.addAndGet(spinning ? 1 : -1) < 0) {
                throw new IllegalStateException("negative nmspinning");
            }
        }

        @Override public boolean tryStartSpinning() { return nmspinning.compareAndSet(0, 1); }

        @Override
        public void cancelSpinning() {
            if (nmspinning.decrementAndGet() < 0) {
                throw new IllegalStateException("negative nmspinning");
            }
        }

        @Override
        public synchronized boolean startM(boolean spinning) {
            for (TestProc p : procs) {
                if (p.status == ProcStatus.IDLE) {
                    p.status = ProcStatus.RUNNING;
                    TestMachine m = new TestMachine(nextMId.getAndIncrement(), 42);
                    m.spinning = spinning; // already counted by tryStartSpinning
                    startedMs.add(m);
                    startedOnProcs.add(p);
                    return true;
                }
            }
            return false;
        }

        @Override
        public MeteredLock newMeteredLock(String name) {
            MeteredLock lock = new MeteredLock(name);
            locks.add(lock);
            return lock;
        }

        @Override
        public void countSteal(int goroutinesStolen) {
            steals.incrementAndGet();
            this.goroutinesStolen.addAndGet(goroutinesStolen);
        }

        @Override
        public long configLong(String key, long defaultValue) {
            return config.getOrDefault(key, defaultValue);
        }

        @Override
        public boolean configBoolean(String key, boolean defaultValue) {
            return switches.getOrDefault(key, defaultValue);
        }

        MeteredLock lock(String name) {
            return locks.stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no metered lock named " + name));
        }
    }
}
