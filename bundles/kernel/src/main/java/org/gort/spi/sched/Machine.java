package org.gort.spi.sched;

import java.util.random.RandomGenerator;

/** An M: a platform thread owned by the kernel that runs one G at a time while it holds a P. */
public interface Machine {
    int id();

    /** Go's {@code m.spinning}: looking for work while holding a P. See {@link SchedContext#setSpinning}. */
    boolean spinning();

    /** A per-M random source, seeded from the run's seed (Go's {@code fastrand}). */
    RandomGenerator random();
}
