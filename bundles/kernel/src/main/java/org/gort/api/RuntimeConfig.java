package org.gort.api;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything that selects and tunes one runtime instance: GOMAXPROCS, the three strategies,
 * the seed, GOGC, the heap limit, Go's debug switches and the trace switches. Immutable; build
 * one with {@link #builder()}.
 */
public final class RuntimeConfig {
    public static final String DEFAULT_SCHEDULER = "gmp";
    public static final String DEFAULT_ALLOCATOR = "tcmalloc";
    public static final String DEFAULT_COLLECTOR = "hybrid";
    /**
     * The default pacer (since 1.21): Go 1.18's, with the soft memory limit of Go 1.19, so that
     * {@code --memory-limit} works without naming a pacer, as it does in Go since 1.19.
     */
    public static final String DEFAULT_PACER = "go118";
    /** The watchdog default: a runnable G waiting longer than this ejects the scheduler. */
    public static final long DEFAULT_WATCHDOG_NANOS = 30_000_000_000L;
    /**
     * The default cap on trace events per run ({@link Builder#traceEvents}): about 40 MB of
     * buffers and 130 MB of JSON at most; events past it are counted as dropped.
     */
    public static final long DEFAULT_TRACE_EVENTS_LIMIT = 1_000_000;
    /** The managed heap's limit unless set ({@code --max-heap}): 1 GiB, reserved, committed on first touch. */
    public static final long DEFAULT_MAX_HEAP_BYTES = 1L << 30;
    /**
     * The most lines of output a run's result keeps unless set: about 100 MB of short lines, so
     * that a program printing without end cannot fill the JVM heap.
     */
    public static final long DEFAULT_OUTPUT_LIMIT = 1_000_000;
    /** Go's default {@code sched.maxmcount}: a run may make at most this many Ms (threads). */
    public static final int DEFAULT_MAX_THREADS = 10_000;
    /** The smallest heap limit a run accepts: 1 MiB. */
    public static final long MIN_MAX_HEAP_BYTES = 1L << 20;
    /** The largest heap limit a run accepts: 16 GiB, what a pointer slot's compressed address reaches. */
    public static final long MAX_MAX_HEAP_BYTES = org.gort.kernel.heap.ObjectLayout.MAX_HEAP_BYTES;

    /**
     * {@code bytes} if it is a heap limit a run accepts, between {@link #MIN_MAX_HEAP_BYTES} and
     * {@link #MAX_MAX_HEAP_BYTES}.
     *
     * @throws IllegalArgumentException with one line saying which bound it passes
     */
    public static long checkMaxHeapBytes(long bytes) {
        if (bytes < MIN_MAX_HEAP_BYTES) {
            throw new IllegalArgumentException("the heap limit must be at least 1 MiB, got " + ByteCount.format(bytes));
        }
        if (bytes > MAX_MAX_HEAP_BYTES) {
            throw new IllegalArgumentException("the heap limit must be at most 16 GiB (a pointer slot holds a 32-bit"
                    + " compressed address), got " + ByteCount.format(bytes));
        }
        return bytes;
    }

    /** {@link #gogc()} for {@code GOGC=off}, Go's {@code gcPercent = -1}. */
    public static final int GOGC_OFF = -1;

    /** Parses GOGC as Go reads it: a whole percentage or {@code off}. */
    public static int parseGogc(String value) {
        if (value.trim().equalsIgnoreCase("off")) {
            return GOGC_OFF;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GOGC must be a positive percentage or off, got '" + value + "'");
        }
    }

    private final int gomaxprocs;
    private final String scheduler;
    private final String allocator;
    private final String collector;
    private final String pacer;
    private final long seed;
    private final int gogc;
    private final long maxHeapBytes;
    private final long memoryLimitBytes;
    private final String traceback;
    private final Map<String, Path> profiles;
    private final long memProfileRate;
    private final boolean gccheckmark;
    private final boolean clobberfree;
    private final int gcstoptheworld;
    private final boolean gctrace;
    private final long schedtraceMillis;
    private final boolean scheddetail;
    private final long watchdogNanos;
    private final int maxThreads;
    private final long outputLimit;
    private final Consumer<String> output;
    private final Consumer<String> trace;
    private final Path traceEventsFile;
    private final long traceEventsLimit;
    private final boolean traceKeepLast;
    private final Map<String, String> properties;
    /** The property that turns {@link Builder#checkRoots} on. */
    public static final String CHECK_ROOTS = "checkroots";

    private RuntimeConfig(Builder b) {
        this.gomaxprocs = b.gomaxprocs;
        this.scheduler = b.scheduler;
        this.allocator = b.allocator;
        this.collector = b.collector;
        this.pacer = b.pacer;
        this.seed = b.seed;
        this.gogc = b.gogc;
        this.maxHeapBytes = b.maxHeapBytes;
        this.memoryLimitBytes = b.memoryLimitBytes;
        this.traceback = b.traceback;
        this.profiles = Map.copyOf(b.profiles);
        this.memProfileRate = b.memProfileRate;
        this.gccheckmark = b.gccheckmark;
        this.clobberfree = b.clobberfree;
        this.gcstoptheworld = b.gcstoptheworld;
        this.gctrace = b.gctrace;
        this.schedtraceMillis = b.schedtraceMillis;
        this.scheddetail = b.scheddetail;
        this.watchdogNanos = b.watchdogNanos;
        this.maxThreads = b.maxThreads;
        this.outputLimit = b.outputLimit;
        this.output = b.output;
        this.trace = b.trace;
        this.traceEventsFile = b.traceEventsFile;
        this.traceEventsLimit = b.traceEventsLimit;
        this.traceKeepLast = b.traceKeepLast;
        this.properties = Map.copyOf(b.properties);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.gomaxprocs = gomaxprocs;
        b.scheduler = scheduler;
        b.allocator = allocator;
        b.collector = collector;
        b.pacer = pacer;
        b.seed = seed;
        b.gogc = gogc;
        b.maxHeapBytes = maxHeapBytes;
        b.memoryLimitBytes = memoryLimitBytes;
        b.traceback = traceback;
        b.profiles.putAll(profiles);
        b.memProfileRate = memProfileRate;
        b.gccheckmark = gccheckmark;
        b.clobberfree = clobberfree;
        b.gcstoptheworld = gcstoptheworld;
        b.gctrace = gctrace;
        b.schedtraceMillis = schedtraceMillis;
        b.scheddetail = scheddetail;
        b.watchdogNanos = watchdogNanos;
        b.maxThreads = maxThreads;
        b.outputLimit = outputLimit;
        b.output = output;
        b.trace = trace;
        b.traceEventsFile = traceEventsFile;
        b.traceEventsLimit = traceEventsLimit;
        b.traceKeepLast = traceKeepLast;
        b.properties.putAll(properties);
        return b;
    }

    public int gomaxprocs() { return gomaxprocs; }
    public String scheduler() { return scheduler; }
    public String allocator() { return allocator; }
    public String collector() { return collector; }
    /** The pacer strategy's name ({@link #DEFAULT_PACER} unless set; since 1.21). */
    public String pacer() { return pacer; }
    public long seed() { return seed; }
    /** GOGC, a percentage; {@link #GOGC_OFF} when the percentage goal is off ({@code GOGC=off}). */
    public int gogc() { return gogc; }
    /**
     * GOMEMLIMIT: the soft memory limit in bytes ({@link Long#MAX_VALUE}, Go's default, when
     * none). The pacer caps the heap goal so that the heap stays under it (Go 1.19).
     */
    public long memoryLimitBytes() { return memoryLimitBytes; }
    /**
     * GOTRACEBACK: which goroutines a failure prints, {@code none}, {@code single} (the failing
     * one; every one for a fatal error such as a deadlock), {@code all}, or {@code system}
     * (runtime frames and runtime goroutines too).
     */
    public String traceback() { return traceback; }
    /**
     * The pprof profiles the run writes when it ends, by kind ({@code cpu}, {@code mem},
     * {@code block}, {@code mutex}, {@code goroutine}, {@code leak}); see docs/profiling.md.
     */
    public Map<String, Path> profiles() { return profiles; }
    /** {@code runtime.MemProfileRate}: the heap profile samples one allocation per this many bytes (512 KiB). */
    public long memProfileRate() { return memProfileRate; }
    public long maxHeapBytes() { return maxHeapBytes; }
    public boolean gccheckmark() { return gccheckmark; }
    public boolean clobberfree() { return clobberfree; }
    /** The rooting rule checked on every heap access ({@link Builder#checkRoots}). */
    public boolean checkRoots() { return Boolean.parseBoolean(properties.get(CHECK_ROOTS)); }
    public int gcstoptheworld() { return gcstoptheworld; }
    public boolean gctrace() { return gctrace; }
    public long schedtraceMillis() { return schedtraceMillis; }
    public boolean scheddetail() { return scheddetail; }
    public long watchdogNanos() { return watchdogNanos; }
    /** The most Ms (worker threads) the run may make, Go's {@code sched.maxmcount} ({@link #DEFAULT_MAX_THREADS} unless set). */
    public int maxThreads() { return maxThreads; }
    /**
     * The most lines of output a run keeps in its {@link RunResult} ({@link #DEFAULT_OUTPUT_LIMIT}
     * unless set); every line still reaches {@link #output()}, the rest are counted
     * ({@code run.output.dropped}) and named in a warning.
     */
    public long outputLimit() { return outputLimit; }
    /** Where the program's own output ({@link Go#println}) goes, besides the run result. */
    public Consumer<String> output() { return output; }
    /** Where trace lines ({@code schedtrace}, {@code gctrace}) go. */
    public Consumer<String> trace() { return trace; }
    /**
     * Where the run's execution trace goes (Chrome trace-event JSON, which Perfetto opens),
     * written when the run ends; null when the export is off.
     */
    public Path traceEventsFile() { return traceEventsFile; }
    /** The most trace events one run records; the rest are counted as dropped. */
    public long traceEventsLimit() { return traceEventsLimit; }
    /** True when the trace keeps the last events at the limit (a flight recorder), false when it keeps the first. */
    public boolean traceKeepLast() { return traceKeepLast; }
    /** Strategy-specific knobs, e.g. {@code gmp.forcePreemptNS}. */
    public Map<String, String> properties() { return properties; }

    @Override
    public String toString() {
        return "gomaxprocs=" + gomaxprocs + " sched=" + scheduler + " alloc=" + allocator + " gc=" + collector
                + " seed=" + seed + " GOGC=" + (gogc == GOGC_OFF ? "off" : Integer.toString(gogc))
                + (memoryLimitBytes == Long.MAX_VALUE ? "" : " GOMEMLIMIT=" + ByteCount.formatCompact(memoryLimitBytes)) + (gcstoptheworld == 0 ? "" : " gcstoptheworld=" + gcstoptheworld)
                + (pacer.equals(DEFAULT_PACER) ? "" : " pacer=" + pacer);
    }

    public static final class Builder {
        private int gomaxprocs = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
        private String scheduler = DEFAULT_SCHEDULER;
        private String allocator = DEFAULT_ALLOCATOR;
        private String collector = DEFAULT_COLLECTOR;
        private String pacer = DEFAULT_PACER;
        private long seed = 1;
        private int gogc = 100;
        private long maxHeapBytes = DEFAULT_MAX_HEAP_BYTES;
        private long memoryLimitBytes = Long.MAX_VALUE;
        private String traceback = "single";
        private final Map<String, Path> profiles = new LinkedHashMap<>();
        private long memProfileRate = 512 * 1024;
        private boolean gccheckmark;
        private boolean clobberfree;
        private int gcstoptheworld;
        private boolean gctrace;
        private long schedtraceMillis;
        private boolean scheddetail;
        private long watchdogNanos = DEFAULT_WATCHDOG_NANOS;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private long outputLimit = DEFAULT_OUTPUT_LIMIT;
        private Consumer<String> output = s -> { };
        private Consumer<String> trace = System.err::println;
        private Path traceEventsFile;
        private long traceEventsLimit = DEFAULT_TRACE_EVENTS_LIMIT;
        private boolean traceKeepLast;
        private final Map<String, String> properties = new LinkedHashMap<>();

        public Builder gomaxprocs(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("GOMAXPROCS must be between 1 and 1024, got " + n);
            }
            this.gomaxprocs = n;
            return this;
        }

        public Builder scheduler(String name) { this.scheduler = Objects.requireNonNull(name); return this; }
        public Builder allocator(String name) { this.allocator = Objects.requireNonNull(name); return this; }
        public Builder collector(String name) { this.collector = Objects.requireNonNull(name); return this; }
        public Builder pacer(String name) { this.pacer = Objects.requireNonNull(name); return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }

        /** GOGC: a positive percentage, or {@link #GOGC_OFF} ({@code GOGC=off}). */
        public Builder gogc(int gogc) {
            if (gogc < 1 && gogc != GOGC_OFF) {
                throw new IllegalArgumentException("GOGC must be a positive percentage or off, got " + gogc);
            }
            this.gogc = gogc;
            return this;
        }

        /** The managed heap's limit ({@code --max-heap}); Go-style sizes parse with {@link ByteCount#parse}. */
        /**
         * GOMEMLIMIT, Go 1.19's soft memory limit: the heap goal is capped so that the heap stays
         * under it, whatever GOGC says; with {@code GOGC=off} it is the only trigger. At least
         * 1 MiB; {@link Long#MAX_VALUE} for none.
         */
        public Builder memoryLimitBytes(long bytes) {
            if (bytes < (1L << 20)) {
                throw new IllegalArgumentException("the memory limit must be at least 1 MiB, got " + ByteCount.format(bytes));
            }
            this.memoryLimitBytes = bytes;
            return this;
        }

        /** The profile kinds {@link #profile} takes. */
        public static final java.util.List<String> PROFILE_KINDS = java.util.List.of("cpu", "mem", "block", "mutex", "goroutine", "leak");

        /**
         * Writes a pprof profile of {@code kind} to {@code file} when the run ends (gzipped
         * profile.proto, which {@code go tool pprof} opens). The directory must exist now.
         */
        public Builder profile(String kind, Path file) {
            if (!PROFILE_KINDS.contains(kind)) {
                throw new IllegalArgumentException("no profile kind '" + kind + "'; kinds: " + String.join(", ", PROFILE_KINDS));
            }
            String problem = traceFileProblem(file);
            if (problem != null) {
                throw new IllegalArgumentException(problem.replace("the trace", "the " + kind + " profile"));
            }
            profiles.put(kind, file);
            return this;
        }

        /** {@code runtime.MemProfileRate}: bytes between heap profile samples, at least 1. */
        public Builder memProfileRate(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("MemProfileRate must be at least 1 byte, got " + bytes);
            }
            this.memProfileRate = bytes;
            return this;
        }

        /** GOTRACEBACK: {@code none}, {@code single} (the default), {@code all} or {@code system}. */
        public Builder traceback(String level) {
            if (!java.util.List.of("none", "single", "all", "system").contains(level)) {
                throw new IllegalArgumentException("traceback must be none, single, all or system, got '" + level + "'");
            }
            this.traceback = level;
            return this;
        }

        public Builder maxHeapBytes(long bytes) {
            this.maxHeapBytes = checkMaxHeapBytes(bytes);
            return this;
        }

        public Builder gccheckmark(boolean on) { this.gccheckmark = on; return this; }
        public Builder clobberfree(boolean on) { this.clobberfree = on; return this; }

        /**
         * {@code GODEBUG=gcstoptheworld}: 1 marks with the world stopped whatever the collector
         * (no barrier, no concurrent phase but the sweep), 2 sweeps inside the pause too; 0 is
         * the collector's own design.
         */
        public Builder gcstoptheworld(int mode) {
            if (mode < 0 || mode > 2) {
                throw new IllegalArgumentException("gcstoptheworld must be 0, 1 or 2, got " + mode);
            }
            this.gcstoptheworld = mode;
            return this;
        }
        public Builder gctrace(boolean on) { this.gctrace = on; return this; }

        public Builder schedtrace(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("schedtrace interval must be >= 0 ms, got " + millis);
            }
            this.schedtraceMillis = millis;
            return this;
        }

        public Builder scheddetail(boolean on) { this.scheddetail = on; return this; }

        /**
         * The most Ms (worker threads) the run may make: Go's {@code debug.SetMaxThreads}. A run
         * that needs more ends with Go's {@code fatal error: thread exhaustion}.
         */
        public Builder maxThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("the thread limit must be at least 1, got " + n);
            }
            this.maxThreads = n;
            return this;
        }

        /** The most lines of output the run's result keeps (see {@link RuntimeConfig#outputLimit()}). */
        public Builder outputLimit(long lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("the output limit must be >= 0 lines, got " + lines);
            }
            this.outputLimit = lines;
            return this;
        }

        public Builder watchdogNanos(long nanos) {
            if (nanos <= 0) {
                throw new IllegalArgumentException("the watchdog timeout must be positive");
            }
            this.watchdogNanos = nanos;
            return this;
        }

        public Builder output(Consumer<String> sink) { this.output = Objects.requireNonNull(sink); return this; }
        public Builder output(PrintStream out) { return output(out::println); }
        public Builder trace(Consumer<String> sink) { this.trace = Objects.requireNonNull(sink); return this; }

        /**
         * Records an execution trace and writes it to {@code file} when the run ends: a track
         * per P with the goroutine slices, the stop-the-world spans and the GC phases, in the
         * Chrome trace-event JSON format (open it in Perfetto or chrome://tracing). Null turns
         * the export off. The file's directory must exist and be writable now, so that a bad
         * path fails before the run starts.
         */
        public Builder traceEvents(Path file) {
            if (file != null) {
                String problem = traceFileProblem(file);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
            this.traceEventsFile = file;
            return this;
        }

        /** The most trace events one run keeps ({@link #DEFAULT_TRACE_EVENTS_LIMIT} unless set). */
        public Builder traceEventsLimit(long maxEvents) {
            if (maxEvents < 1) {
                throw new IllegalArgumentException("the trace event limit must be at least 1, got " + maxEvents);
            }
            this.traceEventsLimit = maxEvents;
            return this;
        }

        /**
         * At the event limit, keep the run's last events rather than its first, as Go's
         * {@code runtime/trace.FlightRecorder} does: the trace then shows the window of time
         * that ends when the run ends, on every track.
         */
        public Builder traceKeepLast(boolean keepLast) {
            this.traceKeepLast = keepLast;
            return this;
        }

        private static String traceFileProblem(Path file) {
            Path absolute = file.toAbsolutePath();
            Path dir = absolute.getParent();
            if (Files.isDirectory(absolute)) {
                return "cannot write the trace to " + file + ": it is a directory; name a file in it, e.g. "
                        + file.resolve("trace.json");
            }
            if (dir == null || !Files.isDirectory(dir)) {
                return "cannot write the trace to " + file + ": directory " + dir + " does not exist";
            }
            if (!Files.isWritable(dir) && !Files.isWritable(absolute)) {
                return "cannot write the trace to " + file + ": directory " + dir + " is not writable";
            }
            if (Files.exists(absolute) && !Files.isWritable(absolute)) {
                return "cannot write the trace to " + file + ": the file is not writable";
            }
            return null;
        }

        /**
         * {@code --check-roots}: every heap access, and every address stored into the heap, a root
         * slot, a global or a pointer channel, must name an object that the goroutine allocated or
         * obtained since its last safepoint, or one that is rooted (reachable from the roots);
         * otherwise the access fails at once with a {@link BadPointerException} naming the
         * address, its type and where it was allocated. Slow (a stack walk per allocation): for
         * finding rooting mistakes, not for measuring.
         */
        public Builder checkRoots(boolean on) { return property(CHECK_ROOTS, Boolean.toString(on)); }

        public Builder property(String key, String value) { this.properties.put(key, value); return this; }
        public Builder property(String key, long value) { return property(key, Long.toString(value)); }

        public RuntimeConfig build() {
            return new RuntimeConfig(this);
        }
    }
}
