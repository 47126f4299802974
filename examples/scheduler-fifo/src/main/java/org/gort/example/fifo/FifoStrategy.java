package org.gort.example.fifo;

import java.util.List;
import org.gort.api.Setting;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code fifo} scheduler strategy. Stateless, as every strategy service is: each runtime
 * instance gets its own {@link FifoScheduler}. Registered twice over: as a Declarative
 * Services component (inside OSGi; the {@code gort.strategy.name} property names it to users)
 * and in {@code META-INF/services} (for {@link java.util.ServiceLoader}, outside OSGi).
 */
@Component(service = SchedulerStrategy.class, property = SchedulerStrategy.NAME_PROPERTY + "=" + FifoStrategy.NAME)
public final class FifoStrategy implements SchedulerStrategy {
    static final String NAME = "fifo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Example: one global lock-free FIFO run queue (CAS), round-robin with a 10 ms time slice, no per-P queues";
    }

    @Override
    public Scheduler create(SchedContext ctx) {
        return new FifoScheduler(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The one tunable: --set fifo.timeSliceNS=20ms. */
    @Override
    public List<Setting> settings() {
        return List.of(new Setting(FifoScheduler.TIME_SLICE_KEY, Long.toString(FifoScheduler.TIME_SLICE_NANOS),
                "the time slice after which sysmon preempts a running goroutine (nanoseconds)"));
    }
}
