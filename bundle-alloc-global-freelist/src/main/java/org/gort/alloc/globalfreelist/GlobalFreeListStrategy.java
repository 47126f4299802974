package org.gort.alloc.globalfreelist;

import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.AllocatorStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code global-freelist} allocator strategy: the baseline that {@code tcmalloc} is
 * measured against. Every allocation and every sweep takes one global lock; there is no per-P
 * cache. Registered as a Declarative Services component and, for
 * {@link java.util.ServiceLoader}, in {@code META-INF/services}.
 */
@Component(service = AllocatorStrategy.class,
        property = AllocatorStrategy.NAME_PROPERTY + "=" + GlobalFreeListStrategy.NAME)
public final class GlobalFreeListStrategy implements AllocatorStrategy {
    static final String NAME = "global-freelist";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Baseline: power-of-two segregated free lists (8 B to 32 KiB) and a first-fit page heap, "
                + "all under one global lock; no per-P cache, no tiny blocks";
    }

    @Override
    public Allocator create(AllocContext ctx) {
        return new GlobalFreeListAllocator(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
