package org.gort.spi.sched;

/**
 * A scheduling policy, registered as a service with the property {@code gort.strategy.name}
 * (a Declarative Services component in OSGi, a {@code META-INF/services} entry for
 * {@link java.util.ServiceLoader}). The service itself is stateless; every runtime instance
 * gets a fresh {@link Scheduler} from {@link #create}.
 */
public interface SchedulerStrategy {
    /** The service property that names a strategy of any kind. */
    String NAME_PROPERTY = "gort.strategy.name";

    /** The name users select it by, e.g. {@code gmp}. */
    String name();

    /** One line saying what this strategy is. */
    String description();

    /** A scheduler for one runtime instance, whose Ps already exist in {@code ctx}. */
    Scheduler create(SchedContext ctx);
}
