package org.gort.kernel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyChange;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;

/*
 * Scheduler hot swap and ejection (the fallback to the default, as Linux sched_ext ejects a
 * BPF scheduler that misbehaves).
 *
 * A swap, asked for by the shell or the lab, or made by an ejection:
 *
 *     stop the world
 *     wait until no ready() from outside any P is in flight (timer thread, an M back from a
 *         syscall without a P), and hold new ones off
 *     old.drain(), old.detach() (either may throw: the old strategy goes away regardless)
 *     create the new strategy on the same Ps; reset spinning
 *     requeue: ready(SWAPPED) every drained G that is still RUNNABLE, then every RUNNABLE G
 *         in allgs that is not on an M and was not drained (the kernel knows every G's status,
 *         so a strategy that lost one cannot lose it for good)
 *     start the world
 *
 * Ejection: a strategy callback threw, or the watchdog convicted it. The first M to notice
 * marks the strategy as being ejected (CAS) and starts a swap to the default on a thread of
 * its own (the M may hold a P, and a stop-the-world waits for every P). If the failing
 * strategy is the default itself there is nothing to fall back to: the run ends with a fatal
 * error.
 *
 * The run's scheduler counters outlive the instances: each instance a swap, an ejection or a
 * recreate (procresize, a live leak analysis) retires adds its counters to retiredCounters,
 * and the run's metrics are those plus the current instance's.
 *
 * Implementation notes. Readies from outside any P are counted in outsideReadies unless a swap
 * is on; a swap sets swapping and then waits for the count to drain. A ready inside a P needs
 * no such gate: the world is stopped during the swap, so no P runs.
 */
final class SchedulerSwaps {
    private final RuntimeInstance rt;
    /**
     * Readies from outside any P (timer thread, an M back from a syscall) must not interleave
     * with a scheduler swap: each counts itself in {@code outsideReadies} unless a swap is on.
     */
    private final AtomicInteger outsideReadies = new AtomicInteger();
    private volatile boolean swapping;
    /** The scheduler being ejected, until its replacement is in. */
    private final AtomicReference<Scheduler> ejecting = new AtomicReference<>();
    private volatile long lastChangeNanos;
    /** The counters of the instances this run replaced, summed by name (written with the world stopped). */
    private final ConcurrentHashMap<String, Long> retiredCounters = new ConcurrentHashMap<>();

    SchedulerSwaps(RuntimeInstance rt) {
        this.rt = rt;
    }

    /** Keeps the counters of a replaced instance for the run's metrics (a faulty one's may be missing). */
    private void retire(Scheduler old) {
        try {
            old.reportCounters((k, v) -> retiredCounters.merge(k, v, Long::sum));
        } catch (RuntimeException | Error ignored) {
            // its counters are missing from the run's metrics; it is going away either way
        }
    }

    /** The run's scheduler counters: the retired instances' plus {@code current}'s, by name. */
    Map<String, Long> counters(Scheduler current) {
        Map<String, Long> all = new TreeMap<>(retiredCounters);
        current.reportCounters((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    /** Enters a ready() from outside any P; waits while a swap is on. */
    void enterOutsideReady() {
        while (true) {
            while (swapping) {
                Thread.onSpinWait();
            }
            outsideReadies.incrementAndGet();
            if (!swapping) {
                rt.deadlock.enterWaker();
                return;
            }
            outsideReadies.decrementAndGet();
        }
    }

    /**
     * Leaves a ready() from outside any P. The check for a dead program skipped the moment
     * while it was in flight, so it runs now if every P is idle (a lost ready leaves nobody
     * else to run it).
     */
    void exitOutsideReady() {
        outsideReadies.decrementAndGet();
        rt.deadlock.exitWaker(); // then the deadlock check
    }

    /**
     * Replaces the scheduler while the program runs: stop the world, drain the old strategy,
     * start the new one on the same Ps, re-ready every runnable G, restart. Returns the pause.
     */
    long swap(SchedulerStrategy next, String why) {
        return swap(next, why, null);
    }

    /**
     * A swap; {@code ejected} is the scheduler an ejection replaces, or null for a swap that was
     * asked for. If {@code ejected} is no longer in use when the world has stopped (a swap got
     * there first), nothing is replaced.
     */
    private long swap(SchedulerStrategy next, String why, Scheduler ejected) {
        StwToken t = rt.world.stop("swap scheduler");
        swapping = true;
        while (outsideReadies.get() != 0) {
            Thread.onSpinWait();
        }
        RuntimeException failed = null;
        try {
            if (ejected == null || rt.sched == ejected) {
                replace(next, why, ejected);
            } else {
                ejecting.compareAndSet(ejected, null);
            }
        } catch (RuntimeException e) {
            failed = e; // the world restarts regardless
        } finally {
            swapping = false;
        }
        long pause = rt.world.start(t);
        if (failed != null) {
            throw failed;
        }
        return pause;
    }

    /** The swap itself, with the world stopped and no ready() from outside any P in flight. */
    private void replace(SchedulerStrategy next, String why, Scheduler ejected) {
        Scheduler old = rt.sched;
        String oldName = rt.schedStrategy.name();
        String fault = null;
        List<Goroutine> drained;
        try {
            drained = old.drain();
        } catch (RuntimeException | Error e) {
            drained = List.of();
            fault = oldName + "'s drain() threw " + e;
        }
        try {
            old.detach();
        } catch (RuntimeException | Error e) {
            // the old strategy is going away either way
            fault = fault != null ? fault : oldName + "'s detach() threw " + e;
        }
        retire(old);
        Scheduler fresh = next.create(rt.ctx);
        rt.sched = fresh;
        rt.schedStrategy = next;
        stopSpinning();
        // Waiting times restart: the new strategy is judged from now (see Watchdog).
        lastChangeNanos = System.nanoTime();
        ejecting.set(null); // before requeue: if fresh throws there, that is an ejection of its own
        requeue(fresh, drained);
        rt.counters.swaps.increment();
        String line = fault == null ? why : why + "; " + fault + ", so its goroutines were re-queued from the kernel's records";
        rt.trace("gort: scheduler " + oldName + " -> " + next.name() + " (" + line + ")");
        if (ejected == null) {
            rt.recordChange("scheduler", oldName, next.name(), StrategyChange.Cause.SWAP, line);
        }
        if (rt.traceRecorder != null) {
            rt.traceRecorder.schedulerSwapped(oldName, next.name(), why);
        }
    }

    /**
     * With the world stopped: drains the scheduler, runs {@code whileDrained} (procresize),
     * then starts a fresh instance of the same strategy on the Ps as they are now and re-readies
     * every runnable G on it. The caller restarts the world.
     */
    void recreate(Runnable whileDrained) {
        swapping = true;
        while (outsideReadies.get() != 0) {
            Thread.onSpinWait();
        }
        try {
            Scheduler old = rt.sched;
            List<Goroutine> drained;
            try {
                drained = old.drain();
            } catch (RuntimeException | Error e) {
                drained = List.of(); // requeue finds its goroutines in allgs
            }
            try {
                old.detach();
            } catch (RuntimeException | Error ignored) {
                // replaced either way
            }
            retire(old);
            whileDrained.run();
            Scheduler fresh;
            try {
                fresh = rt.schedStrategy.create(rt.ctx);
            } catch (RuntimeException | Error e) {
                // The strategy cannot be re-made on the new Ps: the default takes over here,
                // with the world already stopped (an ejection, recorded as one).
                String name = rt.schedStrategy.name();
                if (RuntimeConfig.DEFAULT_SCHEDULER.equals(name)) {
                    throw e;
                }
                String reason = "create() threw " + e;
                rt.counters.ejections.increment();
                rt.recordChange("scheduler", name, RuntimeConfig.DEFAULT_SCHEDULER, StrategyChange.Cause.EJECTION, reason);
                rt.trace("gort: ejecting scheduler " + name + ": " + reason);
                rt.schedStrategy = rt.catalog.scheduler(RuntimeConfig.DEFAULT_SCHEDULER);
                fresh = rt.schedStrategy.create(rt.ctx);
                lastChangeNanos = System.nanoTime();
            }
            rt.sched = fresh;
            stopSpinning();
            requeue(fresh, drained);
        } finally {
            swapping = false;
        }
    }

    /** The Ms that spun for the old scheduler spin no more (see SpinningMs: the count is never reset). */
    private void stopSpinning() {
        rt.nmspinning.stopAll(rt.allm);
    }

    /**
     * Re-readies on {@code fresh} every G the old scheduler returned, plus any runnable G it
     * lost (the kernel knows every G's status, so a faulty strategy cannot lose one). If
     * {@code fresh.ready} throws, {@code fresh} is ejected and the remaining Gs stay RUNNABLE
     * and unqueued: the ejection's own swap, once this stop has ended, finds them in allgs.
     */
    private void requeue(Scheduler fresh, List<Goroutine> drained) {
        java.util.Set<G> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Goroutine x : drained) {
            G g = (G) x;
            if (g.status == GStatus.RUNNABLE && seen.add(g) && !requeue(fresh, g)) {
                return;
            }
        }
        for (G g : rt.allgs.values()) {
            if (g.status == GStatus.RUNNABLE && g.m == null && !seen.contains(g) && !isHeldOnM(g)) {
                seen.add(g);
                if (!requeue(fresh, g)) {
                    return;
                }
            }
        }
    }

    /** {@code fresh.ready(g, SWAPPED)}; false if it threw (fresh is being ejected). */
    private boolean requeue(Scheduler fresh, G g) {
        try {
            fresh.ready(g, ReadyReason.SWAPPED, null, null);
            return true;
        } catch (RuntimeException | Error e) {
            threw(fresh, "ready", e);
            return false;
        }
    }

    private boolean isHeldOnM(G g) {
        for (M m : rt.allm) {
            if (m.curg == g) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code failed}'s {@code method} threw {@code e}: eject it, naming the method. Every call
     * from the kernel into a scheduler strategy is wrapped so that it lands here (the caller
     * then goes on with the answer that cannot lose a goroutine: see MLoop's design comment).
     */
    void threw(Scheduler failed, String method, Throwable e) {
        eject(failed, method + "() threw " + e, null);
    }

    /**
     * A scheduler that threw, lost goroutines or stalled is replaced by the default, as
     * sched_ext does; {@code reason} says what it did, in a few words.
     */
    void eject(Scheduler failed, String reason, G pending) {
        // A G whose ready() threw stays RUNNABLE and unqueued; the swap's requeue finds it,
        // because the swap's stop-the-world waits until the failed call has returned.
        // Every M that hits the failing strategy lands here; only the first one ejects it.
        // The scheduler is read again once the claim is taken: read only before, it could be
        // the failed one still while a swap replaced it and released the claim in between, and
        // a late caller would then eject the default that had just taken over. The swap sets
        // rt.sched before it releases the claim, so a claim taken after the release sees it.
        if (rt.sched != failed || !ejecting.compareAndSet(null, failed)) {
            return;
        }
        if (rt.sched != failed) {
            ejecting.compareAndSet(failed, null);
            return;
        }
        rt.counters.ejections.increment();
        String name = rt.schedStrategy.name();
        String fallback = RuntimeConfig.DEFAULT_SCHEDULER.equals(name) ? null : RuntimeConfig.DEFAULT_SCHEDULER;
        rt.recordChange("scheduler", name, fallback, StrategyChange.Cause.EJECTION, reason);
        if (fallback == null) {
            rt.finish(RunStatus.FATAL, "fatal error: the default scheduler failed: " + reason);
            return;
        }
        rt.trace("gort: ejecting scheduler " + name + ": " + reason);
        // On a thread of its own: the caller may be an M holding a P (or idleLock), and the
        // swap's stop-the-world waits for every P.
        Thread t = new Thread(() -> {
            try {
                swap(rt.catalog.scheduler(fallback), "ejected: " + reason, failed);
            } catch (RuntimeException e) {
                rt.finish(RunStatus.FATAL, "fatal error: could not fall back to " + fallback + ": " + e.getMessage());
            }
        }, "gort-" + rt.id + "-eject");
        t.setDaemon(true);
        t.start();
    }

    /**
     * True from an ejection's decision until its replacement is in: the failing strategy's
     * goroutines are not lost, only not re-queued yet, so nothing may be declared dead.
     */
    boolean ejectionPending() {
        return ejecting.get() != null;
    }

    /** When the scheduler last changed (nanoTime), or 0: the watchdog judges a strategy only from then on. */
    long lastChangeNanos() {
        return lastChangeNanos;
    }
}
