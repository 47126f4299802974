package org.gort.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.gort.api.Workload;

/**
 * Where the lab finds workloads by name. Outside OSGi the default catalog reads
 * {@code META-INF/services/org.gort.api.Workload}; inside Felix the shell supplies one backed by
 * the service registry.
 */
public interface WorkloadCatalog {

    /** Every workload installed, in a stable order. */
    List<Workload> workloads();

    /** The workload named {@code name}, or a one-line error naming the ones that exist. */
    default Workload workload(String name) {
        for (Workload w : workloads()) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        List<String> names = workloads().stream().map(Workload::name).sorted().toList();
        throw new IllegalArgumentException("unknown workload '" + name + "'; available: "
                + (names.isEmpty() ? "none installed" : String.join(", ", names)));
    }

    default boolean has(String name) {
        return workloads().stream().anyMatch(w -> w.name().equals(name));
    }

    /** A fixed catalog, e.g. of the workloads a test defines. */
    static WorkloadCatalog of(List<Workload> workloads) {
        List<Workload> sorted = new ArrayList<>(workloads);
        sorted.sort(Comparator.comparing(Workload::name));
        List<Workload> fixed = List.copyOf(sorted);
        return () -> fixed;
    }

    /** The workloads visible to {@code loader} through {@link ServiceLoader}, read once. */
    static WorkloadCatalog serviceLoader(ClassLoader loader) {
        List<Workload> found = new ArrayList<>();
        ServiceLoader.load(Workload.class, loader).forEach(found::add);
        return of(found);
    }

    /** {@link #serviceLoader(ClassLoader)} of the thread context class loader. */
    static WorkloadCatalog serviceLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return serviceLoader(cl != null ? cl : WorkloadCatalog.class.getClassLoader());
    }
}
