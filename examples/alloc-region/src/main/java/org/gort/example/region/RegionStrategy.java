package org.gort.example.region;

import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.AllocatorStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code region} allocator strategy: per-P bump-pointer regions, reclaimed whole. Stateless;
 * each heap gets its own {@link RegionAllocator}. Registered as a Declarative Services
 * component (inside OSGi) and in {@code META-INF/services} (for {@link java.util.ServiceLoader}).
 */
@Component(service = AllocatorStrategy.class, property = AllocatorStrategy.NAME_PROPERTY + "=" + RegionStrategy.NAME)
public final class RegionStrategy implements AllocatorStrategy {
    static final String NAME = "region";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Example: per-P bump-pointer regions of 64 KiB, no free lists; a region is reused only when a GC cycle finds it empty";
    }

    @Override
    public Allocator create(AllocContext ctx) {
        return new RegionAllocator(ctx);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
