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
 * Keeping the last events (RuntimeConfig.traceKeepLast, Go's trace.FlightRecorder). Once the
 * budget is spent, an M's chunks become a ring and it overwrites its own oldest events; an M
 * that registers after that still gets one chunk. The rare events keep no budget but at most
 * `limit` of them, oldest out first. Each M's ring then reaches back a different length of
 * time, so the writer keeps one window for every track: it starts at the latest of the
 * rings' (and the rare list's) oldest kept start, and what starts before it is dropped and
 * counted like an overwritten event. So the file shows everything that happened in
 * [window start, run end], and otherData says where the window starts. Chunks are smaller
 * for small limits (limit/8, at least 16 events), so that the one-chunk-per-M bound stays
 * near the limit. An M still running when the trace is written (only a run that ends with
 * stuck Ms) may overwrite an event as it is read.
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
            // A ring is made of whole chunks: a chunk or nothing.
            return budget.getAndAdd(-want) >= want ? want : 0;
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
     * One M's slices, columnar. Only the M's thread writes; {@link #count} is published with a
     * release store after each event and {@link #chunks} (replaced, never modified in place,
     * when it grows) before the count that first covers a new chunk.
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
        /** Events ever recorded; with a ring, the newest {@link #ring} of them are kept. */
        @SuppressWarnings("unused") // through COUNT
        private long count;
        /** 0, or the events this M's ring holds once it overwrites (keepLast): a multiple of chunk. */
        private volatile long ring;
        /** Events granted from the budget so far: the buffer may hold this many. */
        private long granted;
        /** The budget was spent when this M last asked: it only counts from now on. */
        private boolean spent;
        private long dropped;
        private long droppedSlices;

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
            if (ring == 0 && n >= granted) {
                long got = spent ? 0 : rec.reserve(chunk);
                if (got > 0) {
                    granted += got;
                } else if (rec.keepLast) {
                    spent = true;
                    if (granted == 0) {
                        granted = chunk; // a late M still records the end of the run
                    } else {
                        ring = granted; // from now on, overwrite the oldest
                    }
                } else {
                    spent = true; // no more trips to the shared budget
                    dropped++;
                    if ((openFlags & FLAG_IDLE_MARK) == 0) {
                        droppedSlices++;
                    }
                    return;
                }
            }
            long slot = ring == 0 ? n : n % ring;
            Chunk[] cs = chunks;
            int ci = (int) (slot / chunk);
            if (ci >= cs.length || cs[ci] == null) {
                if (ci >= cs.length) {
                    cs = java.util.Arrays.copyOf(cs, cs.length * 2);
                }
                cs[ci] = new Chunk(chunk);
                chunks = cs;
            }
            Chunk c = cs[ci];
            int i = (int) (slot % chunk);
            if (n >= ring && ring != 0) {
                dropped++; // overwritten
                if ((c.flags[i] & FLAG_IDLE_MARK) == 0) {
                    droppedSlices++;
                }
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

        /** The index of the oldest event still kept, given {@code n} published. */
        long firstKept(long n) {
            long r = ring;
            return r == 0 ? 0 : Math.max(0, n - r);
        }
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
        return rt.gomaxprocs;
    }

    private int gcTid() {
        return rt.gomaxprocs + 1;
    }

    // ------------------------------------------------------------------ the end of the run

    /**
     * Writes the trace (after every M has exited) and adds {@code trace.events} and
     * {@code trace.events.dropped} to {@code metrics}. Returns null, or what went wrong.
     */
    String write(Metrics metrics, long runEnd) {
        List<Cursor> cursors = new ArrayList<>();
        List<Span> spans;
        long dropped;
        long droppedSlices = 0;
        long windowStart = Long.MIN_VALUE;
        synchronized (this) {
            if (openPhase != null) {
                closePhase(Math.max(runEnd, openPhase.start()), true);
            }
            spans = new ArrayList<>(rare);
            dropped = rareDropped;
            windowStart = rareWindowStart;
            for (MBuffer b : buffers) {
                long n = b.published();
                if (n > 0) {
                    Cursor c = new Cursor(b, n);
                    cursors.add(c);
                    if (c.i > 0) {
                        windowStart = Math.max(windowStart, c.start()); // this ring reaches back no further
                    }
                }
                dropped += b.dropped;
                droppedSlices += b.droppedSlices;
            }
        }
        if (windowStart != Long.MIN_VALUE) {
            // One window for every track: drop what starts before the shortest ring's oldest event.
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
        long written = spans.size();
        for (Cursor c : cursors) {
            written += c.n - c.i;
        }
        metrics.put("trace.events", written);
        metrics.put("trace.events.dropped", dropped);
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
        for (int i = 0; i < rt.gomaxprocs; i++) {
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
                .append(",\"args\":{\"goid\":").append(goid).append(",\"m\":").append(cur.b.mid)
                .append(",\"end\":\"").append(END_NAMES[flags & END_MASK]).append('"');
        if (c.reason[i] != null) {
            sb.append(",\"reason\":").append(quote(c.reason[i]));
        }
        if ((flags & FLAG_SYSTEM) != 0) {
            sb.append(",\"system\":true");
        }
        if ((flags & FLAG_FROM_SYSCALL) != 0) {
            sb.append(",\"from\":\"syscall\"");
        }
        sb.append("}}");
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
        final long ring;
        final Chunk[] chunks;
        long i;

        Cursor(MBuffer b, long n) {
            this.b = b;
            this.n = n;
            this.chunks = b.chunks; // read after the count: covers every published event
            this.ring = b.ring;
            this.i = b.firstKept(n);
        }

        int slot() {
            return (int) ((ring == 0 ? i : i % ring) % b.chunk);
        }

        Chunk chunk() {
            return chunks[(int) ((ring == 0 ? i : i % ring) / b.chunk)];
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
