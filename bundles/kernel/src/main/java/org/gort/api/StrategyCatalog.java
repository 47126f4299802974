package org.gort.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.gort.spi.sched.SchedulerStrategy;

/**
 * Where a runtime instance finds strategies by name. Outside OSGi the default catalog reads
 * {@code META-INF/services} through {@link ServiceLoader}; inside Felix the shell bundle
 * supplies one backed by the service registry (the whiteboard), so the kernel never depends
 * on Felix.
 */
public interface StrategyCatalog {

    List<SchedulerStrategy> schedulers();

    List<org.gort.spi.alloc.AllocatorStrategy> allocators();

    List<org.gort.spi.gc.CollectorStrategy> collectors();

    /** The pacers (since 1.21); none by default, for a catalog written before they were a kind. */
    default List<org.gort.spi.pacer.PacerStrategy> pacers() {
        return List.of();
    }

    default SchedulerStrategy scheduler(String name) {
        return find("scheduler", schedulers(), SchedulerStrategy::name, name);
    }

    default org.gort.spi.alloc.AllocatorStrategy allocator(String name) {
        return find("allocator", allocators(), org.gort.spi.alloc.AllocatorStrategy::name, name);
    }

    default org.gort.spi.gc.CollectorStrategy collector(String name) {
        return find("collector", collectors(), org.gort.spi.gc.CollectorStrategy::name, name);
    }

    default org.gort.spi.pacer.PacerStrategy pacer(String name) {
        return find("pacer", pacers(), org.gort.spi.pacer.PacerStrategy::name, name);
    }

    /** Looks a strategy up by name, or fails with a one-line message naming the ones that exist. */
    static <T> T find(String kind, List<T> all, Function<T, String> nameOf, String name) {
        for (T t : all) {
            if (nameOf.apply(t).equals(name)) {
                return t;
            }
        }
        List<String> names = all.stream().map(nameOf).sorted().toList();
        throw new UnknownStrategyException("unknown " + kind + " '" + name + "'; available: "
                + (names.isEmpty() ? "none installed" : String.join(", ", names)));
    }

    /** The catalog of strategies visible to {@code loader} through {@link ServiceLoader}. */
    static StrategyCatalog serviceLoader(ClassLoader loader) {
        List<SchedulerStrategy> s = load(SchedulerStrategy.class, loader, SchedulerStrategy::name);
        List<org.gort.spi.alloc.AllocatorStrategy> a =
                load(org.gort.spi.alloc.AllocatorStrategy.class, loader, org.gort.spi.alloc.AllocatorStrategy::name);
        List<org.gort.spi.gc.CollectorStrategy> c =
                load(org.gort.spi.gc.CollectorStrategy.class, loader, org.gort.spi.gc.CollectorStrategy::name);
        List<org.gort.spi.pacer.PacerStrategy> pc =
                load(org.gort.spi.pacer.PacerStrategy.class, loader, org.gort.spi.pacer.PacerStrategy::name);
        return new StrategyCatalog() {
            @Override
            public List<SchedulerStrategy> schedulers() {
                return s;
            }

            @Override
            public List<org.gort.spi.alloc.AllocatorStrategy> allocators() {
                return a;
            }

            @Override
            public List<org.gort.spi.gc.CollectorStrategy> collectors() {
                return c;
            }

            @Override
            public List<org.gort.spi.pacer.PacerStrategy> pacers() {
                return pc;
            }
        };
    }

    /** The {@link #serviceLoader(ClassLoader)} catalog of the thread context class loader. */
    static StrategyCatalog serviceLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return serviceLoader(cl != null ? cl : StrategyCatalog.class.getClassLoader());
    }

    private static <T> List<T> load(Class<T> type, ClassLoader loader, Function<T, String> nameOf) {
        List<T> out = new ArrayList<>();
        ServiceLoader.load(type, loader).forEach(out::add);
        out.sort(Comparator.comparing(nameOf));
        return List.copyOf(out);
    }
}
