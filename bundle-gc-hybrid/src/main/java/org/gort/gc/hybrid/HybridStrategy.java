package org.gort.gc.hybrid;

import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Shade;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code hybrid} collector strategy. Stateless; each runtime instance gets its own
 * {@link HybridCollector}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = CollectorStrategy.class, property = CollectorStrategy.NAME_PROPERTY + "=" + HybridStrategy.NAME)
public final class HybridStrategy implements CollectorStrategy {
    static final String NAME = "hybrid";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.8+: concurrent tri-color mark with the hybrid barrier (proposal 17503), stacks scanned one at a time and never re-scanned, objects allocated black";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new HybridCollector(shade);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
