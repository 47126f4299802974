package org.gort.spi.gc;

/**
 * A garbage-collection policy, registered as a service with the property
 * {@code gort.strategy.name} (a Declarative Services component in OSGi, a
 * {@code META-INF/services} entry for {@link java.util.ServiceLoader}). Stateless; every runtime
 * instance gets its own {@link Collector} from {@link #create(Shade, MarkState)}, and a hot swap takes effect at
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
     * The policy for one runtime instance: the one method a collector implements (since 1.7),
     * and the one the kernel calls. {@code shade} is the toolkit's grey-marking operation, the
     * one thing Go's write barriers need; {@code marks} tests and re-greys marked objects, for
     * a barrier outside Go's lineage (Steele's). A collector that needs only {@code shade}
     * ignores {@code marks}.
     *
     * <p>By default this calls the deprecated {@link #create(Shade)}, so that a collector built
     * against 1.6 or earlier, which implements only that, still works.
     */
    default Collector create(Shade shade, MarkState marks) {
        return create(shade);
    }

    /**
     * The form of {@link #create(Shade, MarkState)} without {@code marks}, from before 1.5.
     * Nothing calls it but the default {@code create(Shade, MarkState)}: a collector that
     * implements neither fails its first run with this exception's one-line message.
     *
     * @deprecated since 1.7: implement {@link #create(Shade, MarkState)}.
     */
    @Deprecated(since = "1.7")
    default Collector create(Shade shade) {
        throw new UnsupportedOperationException("collector " + name() + " implements neither create(Shade, MarkState)"
                + " nor the deprecated create(Shade)");
    }

    /**
     * The tunables this strategy reads from the run's properties, with their defaults (since
     * 1.8): {@code --set key=value} accepts these keys, {@code strategies --verbose} lists
     * them. None by default.
     */
    default java.util.List<org.gort.api.Setting> settings() {
        return java.util.List.of();
    }
}
