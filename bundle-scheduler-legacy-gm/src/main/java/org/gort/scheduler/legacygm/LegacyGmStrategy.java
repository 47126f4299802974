package org.gort.scheduler.legacygm;

import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.osgi.service.component.annotations.Component;

/** Registers the Go 1.0 scheduler ({@link LegacyGmScheduler}) as {@code legacy-gm}. */
@Component(service = SchedulerStrategy.class, property = SchedulerStrategy.NAME_PROPERTY + "=legacy-gm")
public final class LegacyGmStrategy implements SchedulerStrategy {
    @Override
    public String name() {
        return "legacy-gm";
    }

    @Override
    public String description() {
        return "Go 1.0: one global run queue under one lock, no preemption, thread hand-off around syscalls";
    }

    @Override
    public Scheduler create(SchedContext ctx) {
        return new LegacyGmScheduler(ctx);
    }
}
