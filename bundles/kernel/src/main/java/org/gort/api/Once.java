package org.gort.api;

/** {@code sync.Once}: {@link #run} runs its function at most once; concurrent callers wait for it. */
public final class Once {
    private volatile boolean done;
    private final Mutex m = new Mutex();

    public void run(Runnable f) {
        if (done) {
            return;
        }
        m.lock();
        try {
            if (!done) {
                try {
                    f.run();
                } finally {
                    done = true;
                }
            }
        } finally {
            m.unlock();
        }
    }
}
