package org.gort.shell;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.gort.api.Workload;
import org.gort.lab.WorkloadCatalog;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The workloads in the service registry: every {@link Workload} service, named by its
 * {@code gort.workload.name} property (or, lacking one, by {@link Workload#name()}); the lab reads
 * it as its {@link WorkloadCatalog}. A bundle
 * that brings workloads adds them as it starts and takes them away as it stops.
 */
@Component(service = WorkloadRegistry.class, immediate = true)
public final class WorkloadRegistry implements WorkloadCatalog {
    static final String NAME_PROPERTY = "gort.workload.name";

    private record Entry(String name, Workload workload, long serviceId) {
    }

    private final Map<Long, Entry> services = new ConcurrentHashMap<>();

    @Reference(service = Workload.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindWorkload(Workload w, ServiceReference<Workload> ref) {
        Object n = ref.getProperty(NAME_PROPERTY);
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        services.put(id, new Entry(n == null ? w.name() : n.toString(), w, id));
    }

    /** A workload found without the service registry ({@link OneShotRun}); {@code id} orders it as a service id would. */
    void addFound(String name, Workload w, long id) {
        services.put(id, new Entry(name, w, id));
    }

    void unbindWorkload(Workload w, ServiceReference<Workload> ref) {
        services.remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /** One workload per name (the earliest registered wins), sorted by name. */
    Map<String, Workload> all() {
        Map<String, Entry> winners = new TreeMap<>();
        for (Entry e : services.values()) {
            winners.merge(e.name(), e, (a, b) -> a.serviceId() <= b.serviceId() ? a : b);
        }
        Map<String, Workload> out = new TreeMap<>();
        winners.forEach((k, v) -> out.put(k, v.workload()));
        return out;
    }

    /** For the lab: the same workloads, in name order. */
    @Override
    public List<Workload> workloads() {
        return List.copyOf(all().values());
    }

    List<String> names() {
        return List.copyOf(all().keySet());
    }

    /** The workload called {@code name}, or a one-line message naming those that exist. */
    Workload find(String name) {
        return workload(name);
    }

    @Override
    public Workload workload(String name) {
        Workload w = all().get(name);
        if (w == null) {
            List<String> names = names();
            throw new CommandException("unknown workload '" + name + "'; available: "
                    + (names.isEmpty() ? "none installed" : String.join(", ", names)));
        }
        return w;
    }
}
