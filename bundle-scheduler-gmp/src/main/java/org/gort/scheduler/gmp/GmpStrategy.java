package org.gort.scheduler.gmp;

import java.util.List;
import org.gort.api.Setting;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code gmp} scheduler strategy: Go's scheduler since Go 1.1. Stateless; each runtime
 * instance gets its own {@link GmpScheduler}. Registered as a Declarative Services component
 * and, for {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = SchedulerStrategy.class, property = SchedulerStrategy.NAME_PROPERTY + "=" + GmpStrategy.NAME)
public final class GmpStrategy implements SchedulerStrategy {
    static final String NAME = "gmp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.1+ GMP: per-P lock-free run queues with runnext, work stealing, spinning Ms, sysmon preemption and syscall hand-off";
    }

    @Override
    public Scheduler create(SchedContext ctx) {
        return new GmpScheduler(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting(GmpScheduler.FORCE_PREEMPT_KEY,
                Long.toString(GmpScheduler.DEFAULT_FORCE_PREEMPT_NS),
                "Go's forcePreemptNS: sysmon preempts a goroutine that has run this long (nanoseconds)").whileRunning(),
                new Setting(GmpScheduler.RUNNEXT_KEY, "true",
                        "Go's runnext (CL 9289, Go 1.5): a readied or new goroutine runs next on its P; false puts it at the run queue's tail"));
    }
}
