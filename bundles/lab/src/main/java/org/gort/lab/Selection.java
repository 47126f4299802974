package org.gort.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.gort.api.ByteCount;
import org.gort.api.RuntimeConfig;

/**
 * One choice of strategies and knobs for a run: scheduler, allocator, collector, GOMAXPROCS,
 * GOGC, seed, the heap limit, the thread limit and strategy properties (e.g.
 * {@code gmp.forcePreemptNS}), with a label that names it in tables. Written and parsed as
 * words, e.g. {@code "sched=legacy-gm procs=4 gogc=200 maxheap=512MiB maxthreads=100"}.
 *
 * @param label        what tables call it; empty means "derive one" (see {@link #labelled})
 * @param maxHeapBytes the managed heap's limit ({@code --max-heap}, {@link RuntimeConfig#maxHeapBytes})
 * @param gogc         GOGC, or {@link RuntimeConfig#GOGC_OFF}
 * @param memoryLimitBytes GOMEMLIMIT ({@code --memory-limit}), {@link Long#MAX_VALUE} for none
 * @param maxThreads   the most Ms (threads) a run may make ({@code --max-threads},
 *                     {@link RuntimeConfig#maxThreads}; since 1.6)
 * @param properties   strategy-specific knobs, passed to the runtime as they are
 */
public record Selection(String label, String scheduler, String allocator, String collector, String pacer,
                        int gomaxprocs, int gogc, long seed, long maxHeapBytes, long memoryLimitBytes,
                        int maxThreads, Map<String, String> properties) {

    public Selection {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(pacer, "pacer");
        if (gomaxprocs < 1 || gomaxprocs > 1024) {
            throw new IllegalArgumentException("GOMAXPROCS must be between 1 and 1024, got " + gomaxprocs);
        }
        if (gogc < 1 && gogc != RuntimeConfig.GOGC_OFF) {
            throw new IllegalArgumentException("GOGC must be a positive percentage or off, got " + gogc);
        }
        if (memoryLimitBytes < (1L << 20)) {
            throw new IllegalArgumentException("the memory limit must be at least 1 MiB, got " + ByteCount.format(memoryLimitBytes));
        }
        RuntimeConfig.checkMaxHeapBytes(maxHeapBytes);
        if (maxThreads < 1) {
            throw new IllegalArgumentException("the thread limit must be at least 1, got " + maxThreads);
        }
        properties = Map.copyOf(new TreeMap<>(properties));
    }

    /** A selection with the default thread limit (the form before the thread limit was a field). */
    public Selection(String label, String scheduler, String allocator, String collector, String pacer,
                     int gomaxprocs, int gogc, long seed, long maxHeapBytes, long memoryLimitBytes,
                     Map<String, String> properties) {
        this(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes,
                RuntimeConfig.DEFAULT_MAX_THREADS, properties);
    }

    /** A selection with the default pacer (the form before the pacer was a field). */
    public Selection(String label, String scheduler, String allocator, String collector,
                     int gomaxprocs, int gogc, long seed, long maxHeapBytes, long memoryLimitBytes,
                     Map<String, String> properties) {
        this(label, scheduler, allocator, collector, RuntimeConfig.DEFAULT_PACER, gomaxprocs, gogc, seed, maxHeapBytes,
                memoryLimitBytes, properties);
    }

    /** A selection with the default heap limit (the form before the heap limit was a field). */
    public Selection(String label, String scheduler, String allocator, String collector,
                     int gomaxprocs, int gogc, long seed, Map<String, String> properties) {
        this(label, scheduler, allocator, collector, gomaxprocs, gogc, seed, RuntimeConfig.DEFAULT_MAX_HEAP_BYTES, properties);
    }

    /** A selection with no memory limit (the form before GOMEMLIMIT was a field). */
    public Selection(String label, String scheduler, String allocator, String collector,
                     int gomaxprocs, int gogc, long seed, long maxHeapBytes, Map<String, String> properties) {
        this(label, scheduler, allocator, collector, gomaxprocs, gogc, seed, maxHeapBytes, Long.MAX_VALUE, properties);
    }

    /**
     * The runtime's defaults (gmp, tcmalloc, hybrid, GOGC=100, seed 1, a 1 GiB heap limit, at most
     * 10 000 threads), GOMAXPROCS = the cores.
     */
    public static Selection defaults() {
        return new Selection("", RuntimeConfig.DEFAULT_SCHEDULER, RuntimeConfig.DEFAULT_ALLOCATOR,
                RuntimeConfig.DEFAULT_COLLECTOR, Math.max(1, Runtime.getRuntime().availableProcessors()),
                100, 1, Map.of());
    }

    /** Parses {@link #parse(String, Selection) words} over {@link #defaults()}. */
    public static Selection parse(String words) {
        return parse(words, defaults());
    }

    /**
     * Parses {@code key=value} words (separated by spaces or commas) over {@code base}. Keys:
     * {@code sched|scheduler}, {@code alloc|allocator}, {@code gc|collector},
     * {@code procs|gomaxprocs}, {@code gogc}, {@code seed}, {@code maxheap} (a byte count as
     * {@link ByteCount#parse} reads it), {@code maxthreads}, {@code label}; a key with a dot is a
     * strategy property.
     */
    public static Selection parse(String words, Selection base) {
        Selection s = base;
        for (String word : words.trim().split("[\\s,]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            if (eq <= 0 || eq == word.length() - 1) {
                throw new IllegalArgumentException("expected key=value in a selection, got '" + word
                        + "'; keys: sched, alloc, gc, pacer, procs, gogc, gomemlimit, seed, maxheap, maxthreads, label, or a strategy property like gmp.forcePreemptNS");
            }
            String key = word.substring(0, eq);
            String value = word.substring(eq + 1);
            s = switch (key) {
                case "sched", "scheduler" -> s.withScheduler(value);
                case "alloc", "allocator" -> s.withAllocator(value);
                case "gc", "collector" -> s.withCollector(value);
                case "pacer" -> s.withPacer(value);
                case "procs", "gomaxprocs", "GOMAXPROCS" -> s.withGomaxprocs(whole(key, value));
                case "gogc", "GOGC" -> s.withGogc(RuntimeConfig.parseGogc(value));
                case "gomemlimit", "GOMEMLIMIT", "memlimit", "memory-limit" -> s.withMemoryLimit(ByteCount.parse(value));
                case "seed" -> s.withSeed(Long.parseLong(value));
                case "maxheap", "max-heap" -> s.withMaxHeap(ByteCount.parse(value));
                case "maxthreads", "max-threads" -> s.withMaxThreads(whole(key, value));
                case "label" -> s.withLabel(value);
                default -> {
                    if (!key.contains(".")) {
                        throw new IllegalArgumentException("unknown selection key '" + key
                                + "'; keys: sched, alloc, gc, pacer, procs, gogc, gomemlimit, seed, maxheap, maxthreads, label, or a strategy property like gmp.forcePreemptNS");
                    }
                    yield s.withProperty(key, value);
                }
            };
        }
        return s;
    }

    private static int whole(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
        }
    }

    public Selection withLabel(String l) {
        return new Selection(l, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withScheduler(String name) {
        return new Selection(label, name, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withAllocator(String name) {
        return new Selection(label, scheduler, name, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withCollector(String name) {
        return new Selection(label, scheduler, allocator, name, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    /** This selection with the pacer {@code name} (since 1.5). */
    public Selection withPacer(String name) {
        return new Selection(label, scheduler, allocator, collector, name, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withGomaxprocs(int n) {
        return new Selection(label, scheduler, allocator, collector, pacer, n, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withGogc(int percent) {
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, percent, seed, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    public Selection withSeed(long s) {
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, s, maxHeapBytes, memoryLimitBytes, maxThreads, properties);
    }

    /** The managed heap's limit, at least 1 MiB ({@code --max-heap}). */
    public Selection withMaxHeap(long bytes) {
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, bytes, memoryLimitBytes, maxThreads, properties);
    }

    /** The most Ms (threads) a run may make, at least 1 ({@code --max-threads}; since 1.6). */
    public Selection withMaxThreads(int n) {
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, n, properties);
    }

    /** GOMEMLIMIT for this selection ({@code --memory-limit}). */
    public Selection withMemoryLimit(long bytes) {
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, bytes, maxThreads, properties);
    }

    public Selection withProperty(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        p.put(key, value);
        return new Selection(label, scheduler, allocator, collector, pacer, gomaxprocs, gogc, seed, maxHeapBytes, memoryLimitBytes, maxThreads, p);
    }

    /** Every field as words, in the form {@link #parse} reads (without the label). */
    public String describe() {
        StringBuilder sb = new StringBuilder()
                .append("sched=").append(scheduler)
                .append(" alloc=").append(allocator)
                .append(" gc=").append(collector)
                .append(pacer.equals(RuntimeConfig.DEFAULT_PACER) ? "" : " pacer=" + pacer)
                .append(" procs=").append(gomaxprocs)
                .append(" gogc=").append(gogcWord(gogc))
                .append(" seed=").append(seed);
        if (memoryLimitBytes != Long.MAX_VALUE) {
            sb.append(" gomemlimit=").append(ByteCount.formatCompact(memoryLimitBytes));
        }
        if (maxHeapBytes != RuntimeConfig.DEFAULT_MAX_HEAP_BYTES) {
            sb.append(" maxheap=").append(ByteCount.formatCompact(maxHeapBytes));
        }
        if (maxThreads != RuntimeConfig.DEFAULT_MAX_THREADS) {
            sb.append(" maxthreads=").append(maxThreads);
        }
        properties.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /** GOGC as Go spells it: the percentage, or {@code off}. */
    public static String gogcWord(int gogc) {
        return gogc == RuntimeConfig.GOGC_OFF ? "off" : Integer.toString(gogc);
    }

    /** The label, or the full description when there is none. */
    public String name() {
        return label.isEmpty() ? describe() : label;
    }

    /** Applies this selection to a runtime configuration. */
    public RuntimeConfig.Builder applyTo(RuntimeConfig.Builder b) {
        b.scheduler(scheduler).allocator(allocator).collector(collector).pacer(pacer)
                .gomaxprocs(gomaxprocs).gogc(gogc).seed(seed).maxHeapBytes(maxHeapBytes)
                .maxThreads(maxThreads);
        if (memoryLimitBytes != Long.MAX_VALUE) {
            b.memoryLimitBytes(memoryLimitBytes);
        }
        properties.forEach(b::property);
        return b;
    }

    /**
     * Gives every unlabelled selection a label made of what sets it apart from the others
     * ({@code legacy-gm}, {@code stw procs=4}); selections that do not differ at all are
     * numbered. Labels are made unique.
     */
    public static List<Selection> labelled(List<Selection> selections) {
        List<Function<Selection, String>> fields = List.of(
                s -> s.scheduler, s -> s.allocator, s -> s.collector, s -> s.pacer,
                s -> "procs=" + s.gomaxprocs, s -> "gogc=" + gogcWord(s.gogc), s -> "seed=" + s.seed,
                s -> "maxheap=" + ByteCount.formatCompact(s.maxHeapBytes),
                s -> "maxthreads=" + s.maxThreads,
                s -> "gomemlimit=" + (s.memoryLimitBytes == Long.MAX_VALUE ? "none" : ByteCount.formatCompact(s.memoryLimitBytes)),
                s -> s.properties.toString());
        List<Function<Selection, String>> differing = new ArrayList<>();
        for (Function<Selection, String> f : fields) {
            if (selections.stream().map(f).distinct().count() > 1) {
                differing.add(f);
            }
        }
        List<Selection> out = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int i = 0; i < selections.size(); i++) {
            Selection s = selections.get(i);
            String label = s.label;
            if (label.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Function<Selection, String> f : differing) {
                    String part = f.apply(s);
                    if (part.startsWith("{")) { // properties: list only this selection's own
                        s.properties.forEach((k, v) -> parts.add(k + "=" + v));
                    } else {
                        parts.add(part);
                    }
                }
                label = parts.isEmpty() ? "#" + (i + 1) : String.join(" ", parts);
            }
            String unique = label;
            for (int n = 2; used.contains(unique); n++) {
                unique = label + " #" + n;
            }
            used.add(unique);
            out.add(s.withLabel(unique));
        }
        return List.copyOf(out);
    }
}
