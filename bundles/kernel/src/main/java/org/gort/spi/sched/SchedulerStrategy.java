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

    /**
     * The tunables this strategy reads from the run's properties, with their defaults (since
     * 1.3): {@code --set key=value} accepts these keys, {@code strategies --verbose} lists
     * them. None by default.
     */
    default java.util.List<org.gort.api.Setting> settings() {
        return java.util.List.of();
    }
}
