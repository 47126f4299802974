package org.gort.spi.gc;

/**
 * A garbage-collection policy, registered as a service with the property
 * {@code gort.strategy.name} (a Declarative Services component in OSGi, a
 * {@code META-INF/services} entry for {@link java.util.ServiceLoader}). Stateless; every runtime
 * instance gets its own {@link Collector} from {@link #create}, and a hot swap takes effect at
 * the next cycle: a cycle in progress completes under the collector that began it.
 */
public interface CollectorStrategy {
    /** The service property that names a strategy of any kind. */
    String NAME_PROPERTY = "gort.strategy.name";

    /** The name users select it by, e.g. {@code hybrid}. */
    String name();

    /** One line saying what this collector is. */
    String description();

    /**
     * The policy for one runtime instance. {@code shade} is the toolkit's grey-marking
     * operation, the one thing Go's write barriers need.
     */
    Collector create(Shade shade);

    /**
     * The policy for one runtime instance, for a barrier that also needs to test or re-grey
     * marked objects (since 1.5). The kernel calls this one; by default it is {@link #create(Shade)}.
     */
    default Collector create(Shade shade, MarkState marks) {
        return create(shade);
    }
}
