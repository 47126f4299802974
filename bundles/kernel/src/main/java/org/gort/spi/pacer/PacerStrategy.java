package org.gort.spi.pacer;

import java.util.List;
import org.gort.api.Setting;

/**
 * A pacing policy, registered as a service with the property {@code gort.strategy.name} (a
 * Declarative Services component in OSGi, a {@code META-INF/services} entry for
 * {@link java.util.ServiceLoader}). Stateless; every runtime instance gets its own
 * {@link PacerPolicy} from {@link #create}. A hot swap takes effect when the next cycle
 * starts: the cycle in progress completes under the pacer that set its goal.
 */
public interface PacerStrategy {
    /** The service property that names a strategy of any kind. */
    String NAME_PROPERTY = "gort.strategy.name";

    /** The name users select it by, e.g. {@code go118}. */
    String name();

    /** One line saying what this pacer is. */
    String description();

    /** The policy for one runtime instance. */
    PacerPolicy create(PacerConfig config);

    /**
     * True if this pacer honours a memory limit ({@code GOMEMLIMIT}); the launcher says so in
     * one line when a limit is given to a pacer that ignores it. False by default.
     */
    default boolean honoursMemoryLimit() {
        return false;
    }

    /** The tunables this strategy reads from the run's properties, with their defaults. None by default. */
    default List<Setting> settings() {
        return List.of();
    }
}
