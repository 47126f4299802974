package org.gort.gc.yuasa;

import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Shade;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code yuasa} collector strategy. Stateless; each runtime instance gets its own
 * {@link YuasaCollector}. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = CollectorStrategy.class, property = CollectorStrategy.NAME_PROPERTY + "=" + YuasaStrategy.NAME)
public final class YuasaStrategy implements CollectorStrategy {
    static final String NAME = "yuasa";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Concurrent tri-color mark with Yuasa's deletion barrier: every stack snapshotted when marking starts, objects allocated black";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new YuasaCollector(shade);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
