package org.gort.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.gort.api.StrategyCatalog;
import org.gort.api.UnknownStrategyException;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.pacer.PacerStrategy;
import org.gort.spi.sched.SchedulerStrategy;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The strategy catalog inside OSGi, backed by the service registry (the whiteboard pattern):
 * every {@link SchedulerStrategy}, {@link AllocatorStrategy}, {@link CollectorStrategy} and
 * {@link PacerStrategy} service carrying a {@code gort.strategy.name} property is a strategy users can select.
 * Starting a bundle adds its strategies; stopping, updating or uninstalling it removes them.
 *
 * <p>Invariants:
 * <ul>
 *   <li>One strategy per (kind, name) is visible: when several services claim a name, the one
 *       with the highest {@code service.ranking}, then the lowest {@code service.id}, wins, as
 *       {@code BundleContext.getServiceReference} chooses. The others stand by and take over
 *       when the winner goes.</li>
 *   <li>Departure listeners hear of a strategy going away after its entry is removed, so a
 *       fallback chosen by a listener can never be the departing strategy itself. A departure
 *       says whether the departing service is the one last handed out under its name
 *       ({@link Departure#inUse}): a duplicate that stood by and was never handed out can leave
 *       without moving the run that uses its namesake.</li>
 *   <li>A second service under a name already taken is warned about once, naming both bundles
 *       and which one is used.</li>
 *   <li>Bind and unbind may run on any thread at any time (dynamic, greedy references);
 *       readers see a consistent snapshot per kind.</li>
 * </ul>
 */
@Component(service = {StrategyCatalog.class, RegistryCatalog.class}, immediate = true)
public final class RegistryCatalog implements StrategyCatalog {

    /** A strategy service as the registry shows it. */
    record Entry(Kind kind, String name, Object service, String description, String bundle, String version,
                 long serviceId, int ranking) {
    }

    /**
     * A strategy that left the registry, and why.
     *
     * @param inUse whether it is the service last handed out under its name (which a run may hold)
     */
    record Departure(Kind kind, String name, String bundle, String reason, boolean inUse) {
    }

    /** The logger, made on first use: a run that logs nothing does not start SLF4J (a search of every jar). */
    private static final class Log {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RegistryCatalog.class);
    }

    /** The highest ranking first, then the earliest service (a method, not Comparator's combinators, whose lambdas every start would spin). */
    private static final Comparator<Entry> PRECEDENCE = RegistryCatalog::precedence;

    private static int precedence(Entry a, Entry b) {
        int byRanking = Integer.compare(b.ranking(), a.ranking());
        return byRanking != 0 ? byRanking : Long.compare(a.serviceId(), b.serviceId());
    }

    private final Map<Kind, Map<Long, Entry>> services = new EnumMap<>(Kind.class);
    /** The service id last handed out under each name, by kind. */
    private final Map<Kind, Map<String, Long>> handedOut = new EnumMap<>(Kind.class);
    private final List<Consumer<Departure>> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<Kind, String>> arrivalListeners = new CopyOnWriteArrayList<>();

    public RegistryCatalog() {
        for (Kind k : Kind.values()) {
            services.put(k, new ConcurrentHashMap<>());
            handedOut.put(k, new ConcurrentHashMap<>());
        }
    }

    // ------------------------------------------------------------------ whiteboard

    @Reference(service = SchedulerStrategy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + SchedulerStrategy.NAME_PROPERTY + "=*)")
    void bindScheduler(SchedulerStrategy s, ServiceReference<SchedulerStrategy> ref) {
        add(Kind.SCHEDULER, s, s.description(), ref);
    }

    void unbindScheduler(SchedulerStrategy s, ServiceReference<SchedulerStrategy> ref) {
        remove(Kind.SCHEDULER, ref);
    }

    @Reference(service = AllocatorStrategy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + AllocatorStrategy.NAME_PROPERTY + "=*)")
    void bindAllocator(AllocatorStrategy a, ServiceReference<AllocatorStrategy> ref) {
        add(Kind.ALLOCATOR, a, a.description(), ref);
    }

    void unbindAllocator(AllocatorStrategy a, ServiceReference<AllocatorStrategy> ref) {
        remove(Kind.ALLOCATOR, ref);
    }

    @Reference(service = CollectorStrategy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + SchedulerStrategy.NAME_PROPERTY + "=*)")
    void bindCollector(CollectorStrategy c, ServiceReference<CollectorStrategy> ref) {
        add(Kind.COLLECTOR, c, c.description(), ref);
    }

    void unbindCollector(CollectorStrategy c, ServiceReference<CollectorStrategy> ref) {
        remove(Kind.COLLECTOR, ref);
    }

    @Reference(service = PacerStrategy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + PacerStrategy.NAME_PROPERTY + "=*)")
    void bindPacer(PacerStrategy p, ServiceReference<PacerStrategy> ref) {
        add(Kind.PACER, p, p.description(), ref);
    }

    void unbindPacer(PacerStrategy p, ServiceReference<PacerStrategy> ref) {
        remove(Kind.PACER, ref);
    }

    private void add(Kind kind, Object service, String description, ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        add(new Entry(kind, String.valueOf(ref.getProperty(SchedulerStrategy.NAME_PROPERTY)), service,
                description, b == null ? "?" : b.getSymbolicName(), b == null ? "?" : b.getVersion().toString(),
                (Long) ref.getProperty(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0));
    }

    /**
     * A strategy found without the service registry ({@link OneShotRun}: {@link java.util.ServiceLoader}
     * on the bundles' jars), named by {@code name}; {@code id} orders it as a service id would.
     */
    void addFound(Kind kind, Object service, String name, String description, String bundle, String version, long id) {
        add(new Entry(kind, name, service, description, bundle, version, id, 0));
    }

    private void add(Entry e) {
        Kind kind = e.kind();
        services.get(kind).put(e.serviceId(), e);
        warnIfDuplicate(e);
        for (var l : arrivalListeners) {
            l.accept(kind, e.name());
        }
    }

    private void remove(Kind kind, ServiceReference<?> ref) {
        Entry gone = services.get(kind).remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (gone == null) {
            return;
        }
        Bundle b = ref.getBundle();
        String reason = b == null || b.getState() == Bundle.UNINSTALLED ? "its bundle " + gone.bundle() + " was uninstalled"
                : b.getState() == Bundle.STOPPING || b.getState() == Bundle.RESOLVED || b.getState() == Bundle.INSTALLED
                ? "its bundle " + gone.bundle() + " " + gone.version() + " is stopping (stopped, updated or uninstalled)"
                : "its service from bundle " + gone.bundle() + " was unregistered";
        boolean inUse = handedOut.get(kind).remove(gone.name(), gone.serviceId());
        Departure d = new Departure(kind, gone.name(), gone.bundle(), reason, inUse);
        for (Consumer<Departure> l : listeners) {
            l.accept(d);
        }
    }

    /** One line when {@code added} takes a name another bundle's service already has: which one is used, and what to do. */
    private void warnIfDuplicate(Entry added) {
        List<Entry> same = services.get(added.kind()).values().stream()
                .filter(e -> e.name().equals(added.name()) && e.serviceId() != added.serviceId()).toList();
        if (same.isEmpty()) {
            return;
        }
        Entry winner = entries(added.kind()).stream().filter(e -> e.name().equals(added.name())).findFirst().orElse(added);
        Entry other = winner == added ? same.get(0) : winner;
        Entry standby = winner == added ? other : added;
        Log.LOG.warn("{} {} is provided twice: by {} {} (used) and by {} {} (stands by: new runs get it if the first goes); "
                + "remove one", added.kind(), added.name(), winner.bundle(), winner.version(), standby.bundle(), standby.version());
    }

    void addListener(Consumer<Departure> l) {
        listeners.add(l);
    }

    void removeListener(Consumer<Departure> l) {
        listeners.remove(l);
    }

    /** Hears of every strategy that joins the registry, by kind and name. */
    void addArrivalListener(java.util.function.BiConsumer<Kind, String> l) {
        arrivalListeners.add(l);
    }

    void removeArrivalListener(java.util.function.BiConsumer<Kind, String> l) {
        arrivalListeners.remove(l);
    }

    // ------------------------------------------------------------------ queries

    /** The visible strategies of {@code kind}, one per name, sorted by name. */
    List<Entry> entries(Kind kind) {
        Map<String, Entry> winners = new java.util.TreeMap<>();
        for (Entry e : services.get(kind).values()) {
            winners.merge(e.name(), e, (a, b) -> PRECEDENCE.compare(a, b) <= 0 ? a : b);
        }
        return List.copyOf(winners.values());
    }

    boolean has(Kind kind, String name) {
        return entries(kind).stream().anyMatch(e -> e.name().equals(name));
    }

    /** The names of {@code kind}, for messages. */
    List<String> names(Kind kind) {
        return entries(kind).stream().map(Entry::name).toList();
    }

    /** Fails with a one-line message naming what exists unless {@code name} is a {@code kind} strategy. */
    void require(Kind kind, String name) {
        if (!has(kind, name)) {
            List<String> names = names(kind);
            throw new UnknownStrategyException("unknown " + kind + " '" + name + "'; available: "
                    + (names.isEmpty() ? "none installed" : String.join(", ", names)));
        }
    }

    /** The strategy registered under {@code name} (the service property, which names it to users). */
    Object lookup(Kind kind, String name) {
        for (Entry e : entries(kind)) {
            if (e.name().equals(name)) {
                handedOut.get(kind).put(name, e.serviceId());
                return e.service();
            }
        }
        require(kind, name);
        throw new IllegalStateException("unreachable");
    }

    @Override
    public SchedulerStrategy scheduler(String name) {
        return (SchedulerStrategy) lookup(Kind.SCHEDULER, name);
    }

    @Override
    public AllocatorStrategy allocator(String name) {
        return (AllocatorStrategy) lookup(Kind.ALLOCATOR, name);
    }

    @Override
    public CollectorStrategy collector(String name) {
        return (CollectorStrategy) lookup(Kind.COLLECTOR, name);
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> servicesOf(Kind kind) {
        List<T> out = new ArrayList<>();
        for (Entry e : entries(kind)) {
            out.add((T) e.service());
        }
        return out;
    }

    @Override
    public List<SchedulerStrategy> schedulers() {
        return servicesOf(Kind.SCHEDULER);
    }

    @Override
    public List<AllocatorStrategy> allocators() {
        return servicesOf(Kind.ALLOCATOR);
    }

    @Override
    public List<CollectorStrategy> collectors() {
        return servicesOf(Kind.COLLECTOR);
    }

    @Override
    public PacerStrategy pacer(String name) {
        return (PacerStrategy) lookup(Kind.PACER, name);
    }

    @Override
    public List<PacerStrategy> pacers() {
        return servicesOf(Kind.PACER);
    }
}
