package org.gort.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/*
 * Ms that outlived their run.
 *
 * A run ends by letting every M reach a safepoint, where its goroutine unwinds. A goroutine in a
 * loop with no runtime call never reaches one (preemption is cooperative, as in Go before 1.14),
 * and the JVM has no way left to stop a thread from outside (Thread.stop is gone). Such an M's
 * thread keeps spinning after its run has ended, on a core the next measurement needs. Shutdown
 * records each M still alive after its grace period here, with what it was running; the entry
 * stays while the thread lives, and goes once the goroutine reaches a safepoint (or returns)
 * and the thread exits. The shell counts them in status and refuses to measure while any runs.
 *
 * Implementation notes: entries are added by the thread ending a run and read by any thread;
 * a copy-on-write list is enough for a handful of entries, and a dead thread's entry is dropped
 * by whoever lists them next.
 */
final class StrandedThreads {
    private record Entry(Thread thread, String description) {
    }

    private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

    private StrandedThreads() {
    }

    /** Records {@code thread}, still alive after its run ended. */
    static void add(Thread thread, String description) {
        ENTRIES.add(new Entry(thread, description));
    }

    /** The threads of ended runs that are still alive, each described in one phrase. */
    static List<String> alive() {
        List<String> out = new ArrayList<>();
        for (Entry e : ENTRIES) {
            if (e.thread.isAlive()) {
                out.add(e.description);
            } else {
                ENTRIES.remove(e);
            }
        }
        return out;
    }
}
