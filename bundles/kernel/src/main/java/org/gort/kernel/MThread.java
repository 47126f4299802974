package org.gort.kernel;

/** The platform thread of an M; goroutines find their M through it ({@link Current}). */
final class MThread extends Thread {
    final M m;

    MThread(M m, String name) {
        super(name);
        this.m = m;
        setDaemon(true);
    }

    @Override
    public void run() {
        m.rt.mstart(m);
    }
}
