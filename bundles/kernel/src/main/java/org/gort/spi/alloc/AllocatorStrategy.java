package org.gort.spi.alloc;

/**
 * An allocation policy, registered as a service with the property {@code gort.strategy.name}
 * (a Declarative Services component in OSGi, a {@code META-INF/services} entry for
 * {@link java.util.ServiceLoader}). The service is stateless; every runtime instance gets a
 * fresh {@link Allocator} from {@link #create}. An allocator is chosen for a whole run: the
 * arena's layout belongs to it, so it cannot be swapped mid-run.
 */
public interface AllocatorStrategy {
    /** The service property that names a strategy of any kind. */
    String NAME_PROPERTY = "gort.strategy.name";

    /** The name users select it by, e.g. {@code tcmalloc}. */
    String name();

    /** One line saying what this strategy is. */
    String description();

    /**
     * An allocator for one heap. Works without a scheduler: a benchmark may create a context
     * with {@code org.gort.kernel.heap.ManagedHeap} and call {@link Allocator#allocate} with
     * explicit proc ids.
     */
    Allocator create(AllocContext ctx);

    /**
     * The tunables this strategy reads from the run's properties, with their defaults (since
     * 1.2): {@code --set key=value} accepts these keys, {@code strategies --verbose} lists
     * them. None by default.
     */
    default java.util.List<org.gort.api.Setting> settings() {
        return java.util.List.of();
    }
}
