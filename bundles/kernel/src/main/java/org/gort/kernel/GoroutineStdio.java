package org.gort.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code System.out} and {@code System.err} of goroutines: what a goroutine writes to them is its
 * run's standard output and standard error, as a Go program's {@code os.Stdout} and
 * {@code os.Stderr} are, so a program that prints with {@code System.out.println} and
 * {@code Go.println} sees both in one stream, in order, and its run's output (the
 * {@code RunResult}'s lines, an {@code // Output:} check) holds both.
 *
 * <p>The JVM has one {@code System.out} for every thread. {@link #install} wraps the current
 * streams once (again if someone replaced them since): bytes written by a thread that is not
 * running a goroutine go to the wrapped stream unchanged; bytes written by goroutine code are
 * gathered per goroutine up to each newline and each complete line goes to the goroutine's
 * runtime instance: standard output as a line of the run's output ({@code println}, the same
 * sink as {@code Go.println}), standard error to the run's trace sink, where Go's runtime
 * writes its own {@code gctrace} and {@code schedtrace} lines too (stderr). A goroutine's
 * unfinished lines are emitted when the program's main returns ({@link #flush}). A sink
 * that itself prints to {@code System.out} (a test's {@code output(System.out::println)}) passes
 * through instead of looping.
 *
 * <p>Implementation notes: a write from goroutine code happens inside the {@code PrintStream}'s
 * lock, which belongs to the carrier thread, so nothing here may park the goroutine: the line
 * goes to the run's sinks without a safepoint ({@code RuntimeInstance.println} is a plain call).
 * The partial lines are keyed by {@link G}, never by thread, since a goroutine changes carriers
 * (see {@link Current}).
 */
public final class GoroutineStdio extends OutputStream {
    private final PrintStream passThrough;
    private final boolean err;
    private final Map<G, ByteArrayOutputStream> partial = new ConcurrentHashMap<>();
    /** Goroutines inside {@link #emit}: a sink that prints to System.out again passes through. */
    private final Map<G, Boolean> emitting = new ConcurrentHashMap<>();

    private static volatile GoroutineStdio out;
    private static volatile GoroutineStdio errStream;
    /** The streams {@link #install} made, kept for {@link #stdout}/{@link #stderr} after someone replaced System.out. */
    private static volatile PrintStream routedOut;
    private static volatile PrintStream routedErr;

    private GoroutineStdio(PrintStream passThrough, boolean err) {
        this.passThrough = passThrough;
        this.err = err;
    }

    /** Wraps {@code System.out} and {@code System.err} unless they already are ours. */
    public static synchronized void install() {
        if (!(System.out instanceof Routed)) {
            GoroutineStdio o = new GoroutineStdio(System.out, false);
            out = o;
            routedOut = new Routed(o, System.out.charset());
            System.setOut(routedOut);
        }
        if (!(System.err instanceof Routed)) {
            GoroutineStdio e = new GoroutineStdio(System.err, true);
            errStream = e;
            routedErr = new Routed(e, System.err.charset());
            System.setErr(routedErr);
        }
    }

    /**
     * The standard output of goroutine code, whoever holds {@code System.out} now: a program's
     * class files read it here instead of {@code System.out} ({@code ProgramStreams}), because a
     * shell may put its own stream back into {@code System.out} between commands (Gogo does,
     * after every command), which would take a background run's output away from its run.
     */
    public static PrintStream stdout() {
        PrintStream s = routedOut;
        if (s == null) {
            install();
            s = routedOut;
        }
        return s;
    }

    /** The standard error of goroutine code: see {@link #stdout}. */
    public static PrintStream stderr() {
        PrintStream s = routedErr;
        if (s == null) {
            install();
            s = routedErr;
        }
        return s;
    }

    /**
     * Emits the unfinished lines of {@code rt}'s goroutines, as lines, when its main returns (in
     * Go, whose standard output is unbuffered, they were written already).
     */
    static void flush(RuntimeInstance rt) {
        for (GoroutineStdio s : new GoroutineStdio[] {out, errStream}) {
            if (s != null && !s.partial.isEmpty()) {
                for (G g : List.copyOf(s.partial.keySet())) {
                    if (g.rt == rt) {
                        s.emit(g);
                    }
                }
            }
        }
    }

    @Override
    public void write(int b) {
        G g = Current.gOrNull();
        if (g == null || emitting.containsKey(g)) {
            passThrough.write(b);
            return;
        }
        if (b == '\n') {
            emit(g);
        } else {
            partial.computeIfAbsent(g, k -> new ByteArrayOutputStream()).write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        G g = Current.gOrNull();
        if (g == null || emitting.containsKey(g)) {
            passThrough.write(b, off, len);
            return;
        }
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                partial.computeIfAbsent(g, k -> new ByteArrayOutputStream()).write(b, start, i - start);
                emit(g);
                start = i + 1;
            }
        }
        if (start < off + len) {
            partial.computeIfAbsent(g, k -> new ByteArrayOutputStream()).write(b, start, off + len - start);
        }
    }

    @Override
    public void flush() {
        G g = Current.gOrNull();
        if (g == null || emitting.containsKey(g)) {
            passThrough.flush();
        }
    }

    private void emit(G g) {
        ByteArrayOutputStream buf = partial.remove(g);
        String line = buf == null ? "" : buf.toString(passThrough.charset());
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        G self = Current.gOrNull(); // g itself, or main's G flushing the others
        if (self != null) {
            emitting.put(self, Boolean.TRUE);
        }
        try {
            if (err) {
                g.rt.trace(line);
            } else {
                g.rt.println(line);
            }
        } finally {
            if (self != null) {
                emitting.remove(self);
            }
        }
    }

    /** The stream installed as {@code System.out}/{@code err}: a plain PrintStream over a router. */
    private static final class Routed extends PrintStream {
        Routed(GoroutineStdio router, Charset cs) {
            super(router, true, cs);
        }

        @Override
        public void close() {
            // System.out is never closed by a program; the terminal outlives every run
            flush();
        }
    }

    @Override
    public void close() throws IOException {
        // never closed: see Routed
    }
}
