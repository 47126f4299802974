package org.gort.pacer.go118;

import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;
import org.gort.spi.pacer.PacerStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code go118} pacer strategy. Stateless; each runtime instance gets its own
 * {@link Go118Pacer}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = PacerStrategy.class, property = PacerStrategy.NAME_PROPERTY + "=" + Go118Strategy.NAME)
public final class Go118Strategy implements PacerStrategy {
    static final String NAME = "go118";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.18+ (proposal 44167): GOGC over heap, stacks and globals, trigger from a PI controller on the"
                + " cons/mark ratio; Go 1.19's soft memory limit with its 50 % GC CPU limiter (proposal 48409)";
    }

    @Override
    public PacerPolicy create(PacerConfig config) {
        return new Go118Pacer(config);
    }

    @Override
    public boolean honoursMemoryLimit() {
        return true;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
