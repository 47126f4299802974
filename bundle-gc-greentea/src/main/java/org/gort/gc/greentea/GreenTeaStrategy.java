package org.gort.gc.greentea;

import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Shade;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code greentea} collector strategy. Stateless; each runtime instance gets its own
 * {@link GreenTeaCollector}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = CollectorStrategy.class, property = CollectorStrategy.NAME_PROPERTY + "=" + GreenTeaStrategy.NAME)
public final class GreenTeaStrategy implements CollectorStrategy {
    static final String NAME = "greentea";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.25+ (Green Tea): the hybrid barrier's concurrent mark, small objects marked by span from a FIFO span queue and scanned together in address order";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new GreenTeaCollector(shade);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
