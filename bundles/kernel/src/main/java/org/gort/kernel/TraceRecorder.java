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
 * The trace keeps the first events; once the budget is spent an M only counts what it drops
 * (and does not ask again), and the count goes into the file's otherData and the metrics
 * (trace.events.dropped). The rare events (stops, GC phases, swaps) go to one synchronized
 * list, from the same budget. When the run ends, after every M has exited, the buffers are
 * merged by start time and written in one pass.
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
    private final long startNanos;
    /** Events still to hand out; may go below zero by what was refused. */
    private final AtomicLong budget;
    private final List<MBuffer> buffers = new ArrayList<>(); // guarded by this
    private final List<Span> rare = new ArrayList<>();       // guarded by this
    private long rareDropped;                                 // guarded by this
    private Span openPhase;                                   // guarded by this
    private long openPhaseCycle;                              // guarded by this
    private boolean openPhaseStopsWorld;                      // guarded by this

    private TraceRecorder(RuntimeInstance rt, Path file, long limit) {
        this.rt = rt;
        this.file = file;
        this.limit = limit;
        this.startNanos = rt.startNanos;
        this.budget = new AtomicLong(limit);
    }

    /** The recorder for {@code rt}'s run, or null when the export is off. */
    static TraceRecorder forRun(RuntimeInstance rt, RuntimeConfig config) {
        Path f = config.traceEventsFile();
        return f == null ? null : new TraceRecorder(rt, f, config.traceEventsLimit());
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
        MBuffer b = new MBuffer(m.id);
        buffers.add(b);
        m.traceBuffer = b;
        return b;
    }

    /** Up to {@code want} events from the run's budget; 0 when it is spent. */
    private long reserve(long want) {
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
                COUNT = MethodHandles.lookup().findVarHandle(MBuffer.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int mid;
        private volatile Chunk[] chunks = new Chunk[4];
        @SuppressWarnings("unused") // through COUNT
        private int count;
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

        MBuffer(int mid) {
            this.mid = mid;
        }

        void close(long end, byte why, String reason, TraceRecorder rec) {
            open = false;
            int n = (int) COUNT.getOpaque(this);
            if (n >= granted) {
                long got = spent ? 0 : rec.reserve(CHUNK);
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
            int ci = n / CHUNK;
            if (ci >= cs.length || cs[ci] == null) {
                if (ci >= cs.length) {
                    cs = java.util.Arrays.copyOf(cs, cs.length * 2);
                }
                cs[ci] = new Chunk();
                chunks = cs;
            }
            Chunk c = cs[ci];
            int i = n % CHUNK;
            c.start[i] = openStart;
            c.end[i] = end;
            c.goid[i] = openG;
            c.proc[i] = openProc;
            c.flags[i] = (byte) (openFlags | why);
            c.reason[i] = reason;
            COUNT.setRelease(this, n + 1);
        }

        int published() {
            return (int) COUNT.getAcquire(this);
        }
    }

    private static final class Chunk {
        final long[] start = new long[CHUNK];
        final long[] end = new long[CHUNK];
        final long[] goid = new long[CHUNK];
        final int[] proc = new int[CHUNK];
        final byte[] flags = new byte[CHUNK];
        final String[] reason = new String[CHUNK];
    }

    // ------------------------------------------------------------------ rare events (any thread)

    /** A span or instant on a track other than a G slice; {@code args} is a JSON object's body. */
    private record Span(int tid, String name, String cat, long start, long end, String args, boolean instant) {
    }

    private boolean takeOne() {
        if (reserve(1) == 1) {
            return true;
        }
        rareDropped++;
        return false;
    }

    /** A stop of the world ended: requested at {@code requested}, every P stopped at {@code stopped}, restarted now. */
    synchronized void stopTheWorld(String reason, long requested, long stopped, long restarted) {
        if (openPhase != null && openPhaseStopsWorld) {
            closePhase(restarted, false); // a stop-the-world phase ends when the world restarts
        }
        if (takeOne()) {
            rare.add(new Span(stwTid(), reason, "stw", requested, restarted,
                    "\"reason\":" + quote(reason) + ",\"ttsp_us\":" + micros(stopped - requested), false));
        }
        if (takeOne()) {
            rare.add(new Span(stwTid(), "stopping", "stw", requested, stopped, "\"reason\":" + quote(reason), false));
        }
    }

    /** A scheduler hot swap, with the world stopped. */
    synchronized void schedulerSwapped(String from, String to, String why) {
        long now = System.nanoTime();
        if (takeOne()) {
            rare.add(new Span(stwTid(), "scheduler " + from + " -> " + to, "sched", now, now,
                    "\"from\":" + quote(from) + ",\"to\":" + quote(to) + ",\"why\":" + quote(why), true));
        }
    }

    /** A collector hot swap, applied as a cycle starts (or at once between cycles): an instant on the GC track. */
    public synchronized void collectorSwapped(String from, String to, String why) {
        long now = System.nanoTime();
        if (takeOne()) {
            rare.add(new Span(gcTid(), "collector " + from + " -> " + to, "gc", now, now,
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
            rare.add(new Span(s.tid(), s.name(), s.cat(), s.start(), Math.max(end, s.start()),
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
        synchronized (this) {
            if (openPhase != null) {
                closePhase(Math.max(runEnd, openPhase.start()), true);
            }
            spans = new ArrayList<>(rare);
            dropped = rareDropped;
            for (MBuffer b : buffers) {
                int n = b.published();
                if (n > 0) {
                    cursors.add(new Cursor(b, n));
                }
                dropped += b.dropped;
                droppedSlices += b.droppedSlices;
            }
        }
        spans.sort(Comparator.comparingLong(Span::start));
        long written = spans.size();
        for (Cursor c : cursors) {
            written += c.n;
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
        int i = cur.i % CHUNK;
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

    /** The next unwritten event of one M's buffer. */
    private static final class Cursor {
        final MBuffer b;
        final int n;
        final Chunk[] chunks;
        int i;

        Cursor(MBuffer b, int n) {
            this.b = b;
            this.n = n;
            this.chunks = b.chunks; // read after the count: covers every published event
        }

        Chunk chunk() {
            return chunks[i / CHUNK];
        }

        long start() {
            return chunk().start[i % CHUNK];
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
