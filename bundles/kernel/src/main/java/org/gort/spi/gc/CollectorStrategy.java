package org.gort.spi.gc;

/**
 * A garbage-collection policy, registered as a service with the property
 * {@code gort.strategy.name}. Stateless; every runtime instance gets its own collector from it.
 */
public interface CollectorStrategy {
    /** The name users select it by, e.g. {@code hybrid}. */
    String name();

    /** One line saying what this collector is. */
    String description();
}
