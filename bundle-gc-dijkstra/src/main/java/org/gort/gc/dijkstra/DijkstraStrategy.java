package org.gort.gc.dijkstra;

import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Shade;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code dijkstra} collector strategy. Stateless; each runtime instance gets its own
 * {@link DijkstraCollector}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = CollectorStrategy.class, property = CollectorStrategy.NAME_PROPERTY + "=" + DijkstraStrategy.NAME)
public final class DijkstraStrategy implements CollectorStrategy {
    static final String NAME = "dijkstra";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go 1.5-1.7: concurrent tri-color mark with Dijkstra's insertion barrier, stacks re-scanned with the world stopped at mark termination";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new DijkstraCollector(shade);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
