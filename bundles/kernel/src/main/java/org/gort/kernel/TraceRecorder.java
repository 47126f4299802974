package org.gort.kernel;

import java.io.IOException;
import java.io.Writer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Metrics;
import org.gort.api.RuntimeConfig;
import org.gort.spi.gc.Phase;

/*
 * The execution trace export: what ran where, in the Chrome trace-event JSON format, which
 * Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * Format. One object: {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}.
 * The run is one process (pid = the instance id). Each P is one thread (tid = P id), named
 * "P0", "P1", ... by thread_name metadata; two more tracks sit above them, "STW" and "GC".
 * Times are microseconds since the run started, printed to the nanosecond (3 decimals).
 *
 *   G slice        ph "X" on a P's track, name "G<id>", cat "goroutine": from the moment an M
 *                  resumes the G holding that P (execute, or exitsyscall taking a P back) to
 *                  the moment the G suspends or enters a syscall. args: goid, m, end (park,
 *                  gosched, preempted, exit, abort, syscall), reason (a park's wait reason),
 *                  system (a mark worker, the sweeper), from ("syscall" when the slice resumes
 *                  a G whose previous slice ended in one). Slices on one P never overlap: a
 *                  slice ends before its M lets the P go. A slice held across a stop of the
 *                  world (its G stopped at a safepoint) spans the stop.
 *   idle mark      ph "X" on a P's track, cat "gc": an M with nothing to run marked on its P.
 *   stop the world ph "X" on "STW", name = the reason ("GC sweepterm", "swap scheduler"),
 *                  from the request to the restart, with a nested "stopping" slice for the
 *                  time to safepoint.
 *   GC phase       ph "X" on "GC": sweep termination, mark, mark termination, sweep, from
 *                  the moment the cycle's coordinator enters it until the next begins or,
 *                  for a stop-the-world phase, until the world restarts; a concurrent sweep
 *                  lasts until the background sweeper finished or the next cycle began.
 *                  args: cycle, phase (Go's short name), stw.
 *   scheduler swap ph "i", scope global, on "STW", with the reason.
 *   collector swap ph "i", scope global, on "GC", with the reason, when the swap takes effect.
 *
 * Buffering. G slices are the only frequent events (one per schedule, plus one per syscall
 * return that keeps or finds a P), so each M records its own into an MBuffer that only its
 * thread appends to: no lock, no CAS, a release store of the count after each event so that
 * the writer at the end sees whole events even from an M that never exited. Storage is columns
 * of primitive arrays in chunks of CHUNK events, about 40 bytes an event. Memory is bounded by
 * a budget of events per run (RuntimeConfig.traceEventsLimit) that an M draws from a chunk at a
 * time, one atomic add per CHUNK events: at most (limit + CHUNK per M) events are ever held.
 * By default the trace keeps the first events; once the budget is spent an M only counts what
 * it drops (and does not ask again), and the count goes into the file's otherData and the
 * metrics (trace.events.dropped). The rare events (stops, GC phases, swaps) go to one
 * synchronized list, from the same budget. When the run ends, after every M has exited, the
 * buffers are merged by start time and written in one pass.
 *
 * Keeping the last events (RuntimeConfig.traceKeepLast, Go's trace.FlightRecorder). An M files
 * each chunk it fills and asks for the next (nextChunk, under the recorder's lock, once per
 * chunk): a new one while the budget lasts, then the oldest full chunk of any M (the one whose
 * last event started first), whose events are dropped. Evicting the globally oldest chunk keeps
 * every M's history reaching back about equally far, however unequal their rates. The writer
 * then cuts every track at one instant, just after the last start in any evicted chunk, so the
 * file shows everything that started between that instant and the end of the run
 * (otherData.windowStart), and what started before it is counted as dropped. The rare events keep no budget but at most `limit` of them, oldest
 * out first, which may move the window too. An M with no full chunk gets a new one over the
 * budget: at most one chunk per M past the limit. Chunks are smaller for small limits (limit/8,
 * at least 16 events).
 *
 * Snapshots (RunHandle.writeTrace, Go's FlightRecorder.WriteTo): with the world stopped no M
 * appends, so the buffers are copied then, and written after the restart.
 *
 * Cost when off. RuntimeConfig.traceEventsFile() is null, forRun returns null, and every hook
 * is "if (traceRecorder != null)" on a final field: execute, the scheduling hot path, loads it
 * once into a local and tests that local before and after the G's slice; no clock read, no
 * allocation, no call.
 */
public final class TraceRecorder {
    /** Events per buffer chunk, and the budget an M draws at a time. */
    static final int CHUNK = 4096;

    private static final String[] END_NAMES = {"park", "gosched", "preempted", "exit", "abort", "syscall"};
    private static final byte END_PARK = 0, END_GOSCHED = 1, END_PREEMPTED = 2, END_EXIT = 3, END_ABORT = 4, END_SYSCALL = 5;
    private static final byte END_MASK = 0x07;
    private static final byte FLAG_SYSTEM = 0x10;
    private static final byte FLAG_FROM_SYSCALL = 0x20;
    /** A P span that is not a goroutine: an M marking on its idle P. */
    private static final byte FLAG_IDLE_MARK = 0x40;

    private final RuntimeInstance rt;
    private final Path file;
    private final long limit;
    private final boolean keepLast;
    /** Events per chunk: CHUNK, or fewer when keeping the last events under a small limit. */
    private final int chunk;
    private final long startNanos;
    /** Events still to hand out; may go below zero by what was refused. */
    private final AtomicLong budget;
    private final List<MBuffer> buffers = new ArrayList<>(); // guarded by this
    private final java.util.ArrayDeque<Span> rare = new java.util.ArrayDeque<>(); // guarded by this
    private long rareDropped;                                 // guarded by this
    private long rareWindowStart = Long.MIN_VALUE;            // guarded by this; keepLast only
    private long evictedWindowStart = Long.MIN_VALUE;         // guarded by this; keepLast only
    private Span openPhase;                                   // guarded by this
    private long openPhaseCycle;                              // guarded by this
    private boolean openPhaseStopsWorld;                      // guarded by this

    private TraceRecorder(RuntimeInstance rt, Path file, long limit, boolean keepLast) {
        this.rt = rt;
        this.file = file;
        this.limit = limit;
        this.keepLast = keepLast;
        this.chunk = keepLast ? (int) Math.min(CHUNK, Math.max(16, limit / 8)) : CHUNK;
        this.startNanos = rt.startNanos;
        this.budget = new AtomicLong(limit);
    }

    /** The recorder for {@code rt}'s run, or null when the export is off. */
    static TraceRecorder forRun(RuntimeInstance rt, RuntimeConfig config) {
        Path f = config.traceEventsFile();
        return f == null ? null : new TraceRecorder(rt, f, config.traceEventsLimit(), config.traceKeepLast());
    }

    // ------------------------------------------------------------------ G slices (the M's own thread)

    /** {@code m} starts running {@code g} on {@code p}; {@code afterSyscall} when g resumes after one. */
    void sliceBegin(M m, P p, G g, boolean afterSyscall) {
        MBuffer b = m.traceBuffer;
        if (b == null) {
            b = register(m);
        }
        b.openG = g.id;
        b.openProc = p.id;
        b.openFlags = (byte) ((g.system ? FLAG_SYSTEM : 0) | (afterSyscall ? FLAG_FROM_SYSCALL : 0));
        b.openStart = System.nanoTime();
        b.open = true;
    }

    /** The G {@code m} ran has suspended; why is in {@code g.yield} (and {@code g.waitReason} for a park). */
    void sliceEnd(M m, G g) {
        MBuffer b = m.traceBuffer;
        if (b == null || !b.open) {
            return; // the slice already ended at a syscall's entry
        }
        byte end = switch (g.yield) {
            case PARK -> END_PARK;
            case GOSCHED -> END_GOSCHED;
            case PREEMPTED -> END_PREEMPTED;
            case EXIT -> END_EXIT;
            case ABORT, NONE -> END_ABORT;
            case SYSCALL_NO_P -> END_SYSCALL;
        };
        b.close(System.nanoTime(), end, end == END_PARK ? g.waitReason : null, this);
    }

    /** The G {@code m} runs enters a blocking syscall: its slice ends here, the P may leave. */
    void syscallEntered(M m) {
        MBuffer b = m.traceBuffer;
        if (b != null && b.open) {
            b.close(System.nanoTime(), END_SYSCALL, null, this);
        }
    }

    /** {@code m} marked on its idle P {@code p} from {@code start} until now. */
    void idleMark(M m, P p, long start) {
        MBuffer b = m.traceBuffer;
        if (b == null) {
            b = register(m);
        }
        b.openG = 0;
        b.openProc = p.id;
        b.openFlags = FLAG_IDLE_MARK;
        b.openStart = start;
        b.open = true;
        b.close(System.nanoTime(), END_EXIT, null, this);
    }

    private synchronized MBuffer register(M m) {
        MBuffer b = new MBuffer(m.id, chunk);
        buffers.add(b);
        m.traceBuffer = b;
        return b;
    }

    /** Up to {@code want} events from the run's budget; 0 when it is spent. */
    private long reserve(long want) {
        if (keepLast && want > 1) {
            // Whole chunks: a chunk or nothing (and once spent, the budget is not touched again).
            return budget.get() >= want && budget.getAndAdd(-want) >= want ? want : 0;
        }
        long got = budget.getAndAdd(-want);
        if (got >= want) {
            return want;
        }
        if (got > 0) {
            return got; // the last of the budget; the rest of want is refused
        }
        return 0;
    }

    /**
     * One M's slices, columnar, in chunks. Only the M's thread writes events.
     *
     * <p>Keeping the first events: {@link #chunks} is indexed by event number; {@link #count} is
     * published with a release store after each event, and {@code chunks} (replaced, never
     * modified in place, when it grows) before the count that first covers a new chunk.
     *
     * <p>Keeping the last events: full chunks wait in {@link #full}, oldest first, and the M
     * writes into {@link #current}; when it is full the M asks the recorder for another
     * ({@link TraceRecorder#nextChunk}), which takes a new one from the budget or, once the budget
     * is spent, the oldest full chunk of any M. {@code full} is guarded by the recorder's lock;
     * {@code count} counts the events in {@code current}.
     */
    static final class MBuffer {
        private static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(MBuffer.class, "count", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int mid;
        private final int chunk;
        private volatile Chunk[] chunks = new Chunk[4];
        @SuppressWarnings("unused") // through COUNT
        private long count;
        /** Events granted from the budget so far: the buffer may hold this many (keeping the first). */
        private long granted;
        /** The budget was spent when this M last asked: it only counts from now on (keeping the first). */
        private boolean spent;
        /** Keeping the last: full chunks, oldest first (guarded by the recorder), and the one being written. */
        private final java.util.ArrayDeque<Chunk> full = new java.util.ArrayDeque<>();
        private volatile Chunk current;
        private long dropped;      // guarded by the recorder when keeping the last
        private long droppedSlices; // likewise

        boolean open;
        long openStart;
        long openG;
        int openProc;
        byte openFlags;

        MBuffer(int mid, int chunk) {
            this.mid = mid;
            this.chunk = chunk;
        }

        void close(long end, byte why, String reason, TraceRecorder rec) {
            open = false;
            long n = (long) COUNT.getOpaque(this);
            Chunk c;
            int i;
            if (rec.keepLast) {
                c = current;
                if (c == null || n == chunk) {
                    c = rec.nextChunk(this); // publishes the new current and resets the count
                    n = 0;
                }
                i = (int) n;
            } else {
                if (n >= granted) {
                    long got = spent ? 0 : rec.reserve(chunk);
                    if (got == 0) {
                        spent = true; // no more trips to the shared budget
                        dropped++;
                        if ((openFlags & FLAG_IDLE_MARK) == 0) {
                            droppedSlices++;
                        }
                        return;
                    }
                    granted += got;
                }
                Chunk[] cs = chunks;
                int ci = (int) (n / chunk);
                if (ci >= cs.length || cs[ci] == null) {
                    if (ci >= cs.length) {
                        cs = java.util.Arrays.copyOf(cs, cs.length * 2);
                    }
                    cs[ci] = new Chunk(chunk);
                    chunks = cs;
                }
                c = cs[ci];
                i = (int) (n % chunk);
            }
            c.start[i] = openStart;
            c.end[i] = end;
            c.goid[i] = openG;
            c.proc[i] = openProc;
            c.flags[i] = (byte) (openFlags | why);
            c.reason[i] = reason;
            COUNT.setRelease(this, n + 1);
        }

        long published() {
            return (long) COUNT.getAcquire(this);
        }
    }

    /**
     * Keeping the last events: {@code b}'s current chunk is full (or it has none). Files it as
     * full and returns the chunk to write next: new while the budget lasts, else the oldest full
     * chunk of any M (its events counted as dropped, and the window moved past them), else a new
     * one over the budget (an M with nothing filed yet: at most one chunk per M past the limit).
     */
    private synchronized Chunk nextChunk(MBuffer b) {
        if (b.current != null) {
            b.full.addLast(b.current);
        }
        Chunk next;
        if (reserve(chunk) > 0) {
            next = new Chunk(chunk);
        } else {
            // The oldest chunk is the one whose last event started first: evicting it moves the
            // window least (a slow M's chunk may span far more time than a busy M's).
            MBuffer victim = null;
            long victimLast = Long.MAX_VALUE;
            for (MBuffer o : buffers) {
                Chunk f = o.full.peekFirst();
                if (f != null && f.start[chunk - 1] < victimLast) {
                    victim = o;
                    victimLast = f.start[chunk - 1];
                }
            }
            if (victim == null) {
                next = new Chunk(chunk);
            } else {
                next = victim.full.pollFirst();
                victim.dropped += chunk;
                for (int k = 0; k < chunk; k++) {
                    if ((next.flags[k] & FLAG_IDLE_MARK) == 0) {
                        victim.droppedSlices++;
                    }
                }
                // Every event of the dropped chunk started before its last one: the window
                // begins after it, on every track.
                evictedWindowStart = Math.max(evictedWindowStart, next.start[chunk - 1] + 1);
            }
        }
        MBuffer.COUNT.setRelease(b, 0L);
        b.current = next;
        return next;
    }

    private static final class Chunk {
        final long[] start;
        final long[] end;
        final long[] goid;
        final int[] proc;
        final byte[] flags;
        final String[] reason;

        Chunk(int size) {
            start = new long[size];
            end = new long[size];
            goid = new long[size];
            proc = new int[size];
            flags = new byte[size];
            reason = new String[size];
        }

        private Chunk(Chunk c) {
            start = c.start.clone();
            end = c.end.clone();
            goid = c.goid.clone();
            proc = c.proc.clone();
            flags = c.flags.clone();
            reason = c.reason.clone();
        }

        Chunk copy() {
            return new Chunk(this);
        }
    }

    // ------------------------------------------------------------------ rare events (any thread)

    /** A span or instant on a track other than a G slice; {@code args} is a JSON object's body. */
    private record Span(int tid, String name, String cat, long start, long end, String args, boolean instant) {
    }

    private boolean takeOne() {
        if (keepLast) {
            return true; // kept by addRare, which drops the oldest beyond the limit
        }
        if (reserve(1) == 1) {
            return true;
        }
        rareDropped++;
        return false;
    }

    /**
     * Adds a rare event; when keeping the last events, drops the one added first beyond the
     * limit. Rare events arrive in end order, so a dropped span may have started after one
     * still kept: the window starts after the latest start dropped. Caller holds this.
     */
    private void addRare(Span s) {
        rare.add(s);
        if (keepLast && rare.size() > limit) {
            rareWindowStart = Math.max(rareWindowStart, rare.removeFirst().start() + 1);
            rareDropped++;
        }
    }

    /** A stop of the world ended: requested at {@code requested}, every P stopped at {@code stopped}, restarted now. */
    synchronized void stopTheWorld(String reason, long requested, long stopped, long restarted) {
        if (openPhase != null && openPhaseStopsWorld) {
            closePhase(restarted, false); // a stop-the-world phase ends when the world restarts
        }
        if (takeOne()) {
            addRare(new Span(stwTid(), reason, "stw", requested, restarted,
                    "\"reason\":" + quote(reason) + ",\"ttsp_us\":" + micros(stopped - requested), false));
        }
        if (takeOne()) {
            addRare(new Span(stwTid(), "stopping", "stw", requested, stopped, "\"reason\":" + quote(reason), false));
        }
    }

    /** A scheduler hot swap, with the world stopped. */
    synchronized void schedulerSwapped(String from, String to, String why) {
        long now = System.nanoTime();
        if (takeOne()) {
            addRare(new Span(stwTid(), "scheduler " + from + " -> " + to, "sched", now, now,
                    "\"from\":" + quote(from) + ",\"to\":" + quote(to) + ",\"why\":" + quote(why), true));
        }
    }

    /** A collector hot swap, applied as a cycle starts (or at once between cycles): an instant on the GC track. */
    public synchronized void collectorSwapped(String from, String to, String why) {
        long now = System.nanoTime();
        if (takeOne()) {
            addRare(new Span(gcTid(), "collector " + from + " -> " + to, "gc", now, now,
                    "\"from\":" + quote(from) + ",\"to\":" + quote(to) + ",\"why\":" + quote(why), true));
        }
    }

    /** See {@link org.gort.spi.gc.GcRuntime#tracePhase}. */
    public synchronized void gcPhase(long cycle, Phase phase) {
        long now = System.nanoTime();
        if (phase == null) {
            if (openPhase != null && openPhaseCycle == cycle && !isConcurrentSweep(openPhase)) {
                closePhase(now, false);
            }
            return;
        }
        if (openPhase != null) {
            closePhase(now, false);
        }
        openPhase = new Span(gcTid(), phaseName(phase), "gc", now, 0, "\"cycle\":" + cycle + ",\"phase\":"
                + quote(phase.shortName()) + ",\"stw\":" + phase.stopsTheWorld(), false);
        openPhaseCycle = cycle;
        openPhaseStopsWorld = phase.stopsTheWorld();
    }

    /** See {@link org.gort.spi.gc.GcRuntime#traceSweepDone}. */
    public synchronized void gcSweepDone(long cycle) {
        if (openPhase != null && openPhaseCycle == cycle && isConcurrentSweep(openPhase)) {
            closePhase(System.nanoTime(), false);
        }
    }

    private static boolean isConcurrentSweep(Span s) {
        return s.name().equals(phaseName(Phase.SWEEP));
    }

    private void closePhase(long end, boolean unfinished) {
        Span s = openPhase;
        openPhase = null;
        if (takeOne()) {
            addRare(new Span(s.tid(), s.name(), s.cat(), s.start(), Math.max(end, s.start()),
                    s.args() + (unfinished ? ",\"unfinished\":true" : ""), false));
        }
    }

    static String phaseName(Phase p) {
        return switch (p) {
            case SWEEP_TERMINATION -> "sweep termination";
            case MARK -> "mark";
            case STW_MARK -> "mark (world stopped)";
            case MARK_TERMINATION -> "mark termination";
            case SWEEP -> "sweep";
            case STW_SWEEP -> "sweep (world stopped)";
        };
    }

    private int stwTid() {
        return rt.maxprocs; // after every P track, however many Ps the run comes to have
    }

    private int gcTid() {
        return rt.maxprocs + 1;
    }

    // ------------------------------------------------------------------ the end of the run

    /**
     * Writes the trace (after every M has exited) and adds {@code trace.events} and
     * {@code trace.events.dropped} to {@code metrics}. Returns null, or what went wrong.
     */
    String write(Metrics metrics, long runEnd) {
        Snapshot snap;
        synchronized (this) {
            if (openPhase != null) {
                closePhase(Math.max(runEnd, openPhase.start()), true);
            }
            snap = capture(false, runEnd);
        }
        String problem = writeSnapshot(snap, file);
        metrics.put("trace.events", snap.kept);
        metrics.put("trace.events.dropped", snap.dropped);
        return problem;
    }

    /**
     * Go's {@code FlightRecorder.WriteTo} for a run in progress, first half: the events recorded
     * so far (the last ones when keeping the last), copied while the world is stopped so that no
     * M appends meanwhile. A goroutine running at the stop appears as a slice that ends there
     * ({@code end: "running"}), and a GC phase in progress as an unfinished one. Call with the
     * world stopped, then {@link #writeSnapshot} after the restart.
     */
    synchronized Snapshot captureLive() {
        return capture(true, System.nanoTime());
    }

    /** The events to write: cursors over (copies of) the M buffers, the rare spans, the counts. */
    final class Snapshot {
        final List<Cursor> cursors = new ArrayList<>();
        final List<Span> spans;
        long dropped;
        long droppedSlices;
        long windowStart;
        /** Events kept, once {@link #trimToWindow} has run. */
        long kept;

        Snapshot(List<Span> spans, long dropped, long windowStart) {
            this.spans = spans;
            this.dropped = dropped;
            this.windowStart = windowStart;
        }

        /** One window for every track: drop what starts before the window; count what is kept. */
        private void trimToWindow() {
            if (windowStart != Long.MIN_VALUE) {
                for (java.util.Iterator<Cursor> it = cursors.iterator(); it.hasNext();) {
                    Cursor c = it.next();
                    while (c.i < c.n && c.start() < windowStart) {
                        dropped++;
                        if ((c.chunk().flags[c.slot()] & FLAG_IDLE_MARK) == 0) {
                            droppedSlices++;
                        }
                        c.i++;
                    }
                    if (c.i == c.n) {
                        it.remove();
                    }
                }
                long before = spans.size();
                long from = windowStart;
                spans.removeIf(sp -> sp.start() < from);
                dropped += before - spans.size();
            }
            spans.sort(Comparator.comparingLong(Span::start));
            kept = spans.size();
            for (Cursor c : cursors) {
                kept += c.n - c.i;
            }
        }
    }

    /** Caller holds this. {@code live}: copy the buffers and close what is open at {@code now}, without changing the recorder. */
    private Snapshot capture(boolean live, long now) {
        List<Span> spans = new ArrayList<>(rare);
        if (live && openPhase != null) {
            Span s = openPhase;
            spans.add(new Span(s.tid(), s.name(), s.cat(), s.start(), Math.max(now, s.start()),
                    s.args() + ",\"unfinished\":true", false));
        }
        Snapshot snap = new Snapshot(spans, rareDropped, Math.max(rareWindowStart, evictedWindowStart));
        for (MBuffer b : buffers) {
            long n = b.published();
            Chunk[] cs;
            if (keepLast) {
                Chunk cur = b.current;
                cs = new Chunk[b.full.size() + (cur == null ? 0 : 1)];
                int k = 0;
                for (Chunk f : b.full) {
                    cs[k++] = f;
                }
                if (cur != null) {
                    cs[k] = cur;
                }
                n = cur == null ? 0 : (long) b.full.size() * chunk + n;
            } else {
                cs = b.chunks; // read after the count: covers every published event
            }
            if (n > 0) {
                snap.cursors.add(new Cursor(b, cs, n, live));
            }
            snap.dropped += b.dropped;
            snap.droppedSlices += b.droppedSlices;
            if (live && b.open && (b.openFlags & FLAG_IDLE_MARK) == 0) {
                StringBuilder args = new StringBuilder();
                appendGoroutineArgs(args, b.openG, b.mid, "running", null, b.openFlags);
                spans.add(new Span(b.openProc, "G" + b.openG, "goroutine", b.openStart, Math.max(now, b.openStart),
                        args.toString(), false));
            }
        }
        return snap;
    }

    /** Trims {@code snap} (the run's end, or a {@link #captureLive}) to its window and writes it to {@code file}; null, or what went wrong. */
    String writeSnapshot(Snapshot snap, Path file) {
        snap.trimToWindow();
        List<Cursor> cursors = snap.cursors;
        List<Span> spans = snap.spans;
        long written = snap.kept;
        long dropped = snap.dropped;
        long droppedSlices = snap.droppedSlices;
        long windowStart = snap.windowStart;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"traceEvents\":[\n");
            writeMetadata(w);
            PriorityQueue<Cursor> byStart = new PriorityQueue<>(Comparator.comparingLong(Cursor::start));
            byStart.addAll(cursors);
            StringBuilder sb = new StringBuilder(256);
            int si = 0;
            while (!byStart.isEmpty() || si < spans.size()) {
                sb.setLength(0);
                Cursor c = byStart.peek();
                if (c == null || si < spans.size() && spans.get(si).start() <= c.start()) {
                    appendSpan(sb, spans.get(si++));
                } else {
                    byStart.poll();
                    appendSlice(sb, c);
                    if (++c.i < c.n) {
                        byStart.add(c);
                    }
                }
                w.write(",\n");
                w.write(sb.toString());
            }
            w.write("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{");
            RuntimeConfig cfg = rt.config;
            w.write("\"producer\":\"gort\",\"run\":" + rt.id
                    + ",\"scheduler\":" + quote(rt.schedulerName()) + ",\"allocator\":" + quote(cfg.allocator())
                    + ",\"collector\":" + quote(rt.collectorName()) + ",\"gomaxprocs\":" + rt.gomaxprocs
                    + ",\"seed\":" + cfg.seed() + ",\"gogc\":" + cfg.gogc()
                    + ",\"events\":" + written + ",\"eventLimit\":" + limit
                    + ",\"droppedEvents\":" + dropped + ",\"droppedSlices\":" + droppedSlices
                    + ",\"keep\":" + (keepLast ? "\"last\"" : "\"first\"")
                    + (keepLast && windowStart != Long.MIN_VALUE ? ",\"windowStart\":" + micros(windowStart - startNanos) : "")
                    + ",\"timeUnit\":\"microseconds since the run started\"}}\n");
        } catch (IOException | RuntimeException e) {
            return "could not write the trace to " + file + ": " + e;
        }
        return null;
    }

    private void writeMetadata(Writer w) throws IOException {
        int pid = rt.id;
        RuntimeConfig cfg = rt.config;
        w.write("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":0,\"args\":{\"name\":"
                + quote("gort run " + pid + " (sched=" + cfg.scheduler() + " alloc=" + cfg.allocator() + " gc="
                + cfg.collector() + " gomaxprocs=" + rt.gomaxprocs + ")") + "}}");
        thread(w, pid, gcTid(), "GC", -2);
        thread(w, pid, stwTid(), "STW", -1);
        for (int i = 0; i < rt.peakprocs; i++) {
            thread(w, pid, i, "P" + i, i);
        }
    }

    private static void thread(Writer w, int pid, int tid, String name, int sortIndex) throws IOException {
        w.write(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tid
                + ",\"args\":{\"name\":" + quote(name) + "}}");
        w.write(",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tid
                + ",\"args\":{\"sort_index\":" + sortIndex + "}}");
    }

    private void appendSlice(StringBuilder sb, Cursor cur) {
        Chunk c = cur.chunk();
        int i = cur.slot();
        byte flags = c.flags[i];
        long start = c.start[i];
        long dur = Math.max(0, c.end[i] - start);
        if ((flags & FLAG_IDLE_MARK) != 0) {
            sb.append("{\"name\":\"GC idle mark\",\"cat\":\"gc\",\"ph\":\"X\",\"ts\":").append(micros(start - startNanos))
                    .append(",\"dur\":").append(micros(dur)).append(",\"pid\":").append(rt.id)
                    .append(",\"tid\":").append(c.proc[i]).append(",\"args\":{\"m\":").append(cur.b.mid).append("}}");
            return;
        }
        long goid = c.goid[i];
        sb.append("{\"name\":\"G").append(goid).append("\",\"cat\":\"goroutine\",\"ph\":\"X\",\"ts\":")
                .append(micros(start - startNanos)).append(",\"dur\":").append(micros(dur))
                .append(",\"pid\":").append(rt.id).append(",\"tid\":").append(c.proc[i])
                .append(",\"args\":{");
        appendGoroutineArgs(sb, goid, cur.b.mid, END_NAMES[flags & END_MASK], c.reason[i], flags);
        sb.append("}}");
    }

    /** A goroutine slice's args, without the braces: goid, m, end, and reason, system, from when they apply. */
    private static void appendGoroutineArgs(StringBuilder sb, long goid, int mid, String end, String reason, byte flags) {
        sb.append("\"goid\":").append(goid).append(",\"m\":").append(mid).append(",\"end\":\"").append(end).append('"');
        if (reason != null) {
            sb.append(",\"reason\":").append(quote(reason));
        }
        if ((flags & FLAG_SYSTEM) != 0) {
            sb.append(",\"system\":true");
        }
        if ((flags & FLAG_FROM_SYSCALL) != 0) {
            sb.append(",\"from\":\"syscall\"");
        }
    }

    private void appendSpan(StringBuilder sb, Span s) {
        sb.append("{\"name\":").append(quote(s.name())).append(",\"cat\":\"").append(s.cat()).append('"');
        if (s.instant()) {
            sb.append(",\"ph\":\"i\",\"s\":\"g\",\"ts\":").append(micros(s.start() - startNanos));
        } else {
            sb.append(",\"ph\":\"X\",\"ts\":").append(micros(s.start() - startNanos))
                    .append(",\"dur\":").append(micros(Math.max(0, s.end() - s.start())));
        }
        sb.append(",\"pid\":").append(rt.id).append(",\"tid\":").append(s.tid())
                .append(",\"args\":{").append(s.args()).append("}}");
    }

    /** The next unwritten event of one M's buffer: index {@link #i} of the {@link #n} published. */
    private static final class Cursor {
        final MBuffer b;
        final long n;
        final Chunk[] chunks;
        long i;

        /** Over events 0..n-1 of {@code cs} in order; {@code copy}: the M goes on writing after this. */
        Cursor(MBuffer b, Chunk[] cs, long n, boolean copy) {
            this.b = b;
            this.n = n;
            if (copy) {
                cs = cs.clone();
                for (int k = 0; k < cs.length; k++) {
                    cs[k] = cs[k] == null ? null : cs[k].copy();
                }
            }
            this.chunks = cs;
        }

        int slot() {
            return (int) (i % b.chunk);
        }

        Chunk chunk() {
            return chunks[(int) (i / b.chunk)];
        }

        long start() {
            return chunk().start[slot()];
        }
    }

    /** Nanoseconds as microseconds with three decimals, exactly ({@code 1234567} → {@code 1234.567}). */
    static String micros(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        long frac = nanos % 1000;
        return (nanos / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
