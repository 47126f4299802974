package org.gort.api;

import org.gort.kernel.SyncImpl;

/** {@code sync.WaitGroup}. */
public final class WaitGroup {
    private final SyncImpl.WaitGroup impl = new SyncImpl.WaitGroup();

    public void add(int delta) {
        impl.add(delta);
    }

    public void done() {
        impl.add(-1);
    }

    /** {@code wg.Wait()}. */
    public void await() {
        impl.await();
    }
}
