package org.gort.gc.stw;

import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Shade;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code stw} collector strategy. Stateless; each runtime instance gets its own
 * {@link StwCollector}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = CollectorStrategy.class, property = CollectorStrategy.NAME_PROPERTY + "=" + StwStrategy.NAME)
public final class StwStrategy implements CollectorStrategy {
    static final String NAME = "stw";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.4 and earlier: stop the world, mark from all roots, sweep, restart";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new StwCollector(shade);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
