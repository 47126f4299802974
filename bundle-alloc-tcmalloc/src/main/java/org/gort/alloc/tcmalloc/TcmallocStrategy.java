package org.gort.alloc.tcmalloc;

import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.AllocatorStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code tcmalloc} allocator strategy: Go's allocator (size classes, per-P mcache,
 * mcentral, mheap, tiny blocks). Stateless; each heap gets its own {@link TcmallocAllocator}.
 * Registered as a Declarative Services component and, for {@link java.util.ServiceLoader}, in
 * {@code META-INF/services}.
 */
@Component(service = AllocatorStrategy.class, property = AllocatorStrategy.NAME_PROPERTY + "=" + TcmallocStrategy.NAME)
public final class TcmallocStrategy implements AllocatorStrategy {
    static final String NAME = "tcmalloc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Go's allocator: 68 size classes (Go 1.19), per-P mcache with allocCache, mcentral per span class, "
                + "mheap page heap, tiny blocks for noscan objects under 16 bytes";
    }

    @Override
    public Allocator create(AllocContext ctx) {
        return new TcmallocAllocator(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
