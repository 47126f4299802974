package org.gort.kernel;

import java.util.Locale;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.MeteredLock;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.SchedContext;

/** The scheduler strategy's view of the kernel: the Ps, idle and spinning counts, startm, counters. */
final class SchedContextImpl implements SchedContext {
    private final RuntimeInstance rt;

    SchedContextImpl(RuntimeInstance rt) {
        this.rt = rt;
    }

    @Override
    public int gomaxprocs() {
        return rt.gomaxprocs;
    }

    @Override
    public Proc proc(int id) {
        return rt.allp[id];
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public int idleProcs() {
        return rt.npidle;
    }

    @Override
    public int spinningMs() {
        return rt.nmspinning.get();
    }

    @Override
    public void setSpinning(Machine m, boolean spinning) {
        rt.nmspinning.set((M) m, spinning);
    }

    @Override
    public boolean tryStartSpinning() {
        return rt.nmspinning.tryStart();
    }

    @Override
    public void cancelSpinning() {
        rt.nmspinning.cancel();
    }

    @Override
    public boolean startM(boolean spinning) {
        return rt.mloop.startm(null, spinning);
    }

    @Override
    public boolean stopPending() {
        return rt.gcwaiting;
    }

    @Override
    public MeteredLock newMeteredLock(String name) {
        MeteredLock l = new MeteredLock(name);
        rt.counters.locks.add(l);
        return l;
    }

    @Override
    public void countSteal(int goroutinesStolen) {
        rt.counters.steals.increment();
        rt.counters.stolen.add(goroutinesStolen);
    }

    @Override
    public long configLong(String key, long defaultValue) {
        String v = rt.properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property " + key + " must be a whole number, got '" + v + "'");
        }
    }

    @Override
    public boolean configBoolean(String key, boolean defaultValue) {
        String v = rt.properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("property " + key + " must be true or false, got '" + v + "'");
        };
    }

    @Override
    public java.util.List<org.gort.spi.sched.Goroutine> netpoll() {
        return rt.netpoll.pollForScheduler();
    }
}
