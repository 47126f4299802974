package org.gort.pacer.go15;

import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;
import org.gort.spi.pacer.PacerStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code go15} pacer strategy. Stateless; each runtime instance gets its own
 * {@link Go15Pacer}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = PacerStrategy.class, property = PacerStrategy.NAME_PROPERTY + "=" + Go15Strategy.NAME)
public final class Go15Strategy implements PacerStrategy {
    static final String NAME = "go15";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.5-1.17: goal GOGC over the marked heap, trigger ratio from a proportional controller"
                + " (gain 0.5, 30 % goal utilization), assists from the expected heap scan work; no memory limit";
    }

    @Override
    public PacerPolicy create(PacerConfig config) {
        return new Go15Pacer(config);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
