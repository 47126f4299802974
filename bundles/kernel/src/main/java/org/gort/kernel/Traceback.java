package org.gort.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * Goroutine tracebacks in Go's shape (Go's traceback.go: goroutineheader, traceback1,
 * printcreatedby, tracebackothers).
 *
 *     goroutine 7 [chan receive, 2 minutes]:
 *     org.example.Leak.worker(...)
 *             Leak.java:12
 *     created by org.example.Leak.main in goroutine 1
 *             Leak.java:20
 *
 * Frames. A goroutine that is not running is a suspended continuation: its Java frames are
 * walked from the continuation (Continuation.getStackTrace, as a virtual thread's are), so the
 * caller must guarantee that the goroutine is not resumed meanwhile (the world is stopped, or
 * nothing can run: the deadlock check, the end of the run). A running goroutine's stack is
 * not walked: Go prints "goroutine running on other thread; stack unavailable" for it, and so
 * does gort. Runtime frames (the kernel, the API's entry points, the continuation machinery)
 * are left out as Go leaves out runtime.* frames, unless the level is system.
 *
 * Creation site. Go records the PC of the go statement in every G (gopc). Here a stack walk
 * per go statement would cost microseconds, so the site is looked up once per class of the
 * goroutine's function (a lambda class is made per lambda expression, so per go statement in
 * practice) and cached in a ClassValue: a go statement then costs one ClassValue read. The same
 * Runnable class started from two go statements reports the first one's site.
 *
 * Levels (GOTRACEBACK): none prints no goroutine; single the failing goroutine (all of them
 * for a fatal error, as Go's throw does); all every user goroutine; system every goroutine with
 * runtime frames, runtime-internal goroutines (GC workers) included.
 */
final class Traceback {
    enum Level {
        NONE, SINGLE, ALL, SYSTEM;

        static Level of(String s) {
            return switch (s) {
                case "none", "0" -> NONE;
                case "single", "1" -> SINGLE;
                case "all", "2" -> ALL;
                case "system", "crash" -> SYSTEM;
                default -> throw new IllegalArgumentException("traceback must be none, single, all or system, got '" + s + "'");
            };
        }

        /** This level raised to {@code min}, except that none stays none. */
        Level atLeast(Level min) {
            return this == NONE || compareTo(min) >= 0 ? this : min;
        }
    }

    /**
     * Frames of these packages are the runtime's: left out below {@link Level#SYSTEM}. With the
     * kernel's own, the harness that starts a program on goroutine 1 (the lab's program loader
     * and runner, the shell, the launcher): below a program's main Go shows no runtime.main.
     */
    private static final String[] RUNTIME_FRAMES = {"org.gort.kernel.", "org.gort.api.", "org.gort.spi.", "org.gort.lab.",
        "org.gort.shell.", "org.gort.launcher.", "jdk.internal.", "java.lang.invoke.", "java.lang.Thread",
        "java.lang.VirtualThread", "java.lang.ClassValue"};

    /** The go statement of each goroutine function class (Go's gopc), found once per class. */
    private static final ClassValue<StackTraceElement> SITES = new ClassValue<>() {
        @Override
        protected StackTraceElement computeValue(Class<?> type) {
            return StackWalker.getInstance().walk(frames -> frames
                    .filter(f -> !isRuntime(f.getClassName()))
                    .findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
        }
    };

    private Traceback() {
    }

    /** The go statement that starts {@code fn}, called on the creating goroutine; null when unknown. */
    static StackTraceElement creationSite(Runnable fn) {
        return SITES.get(fn.getClass());
    }

    static boolean isRuntime(String className) {
        for (String p : RUNTIME_FRAMES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Go's {@code goroutineheader}: {@code goroutine 7 [chan receive, 2 minutes]:}. */
    static String header(G g, long now) {
        StringBuilder sb = new StringBuilder("goroutine ").append(g.id).append(" [").append(state(g));
        // The wait in whole minutes, once it is one or more ("1 minutes" is Go's wording too).
        long minutes = g.status == GStatus.WAITING ? (now - g.waitSince) / 60_000_000_000L : 0;
        if (minutes >= 1) {
            sb.append(", ").append(minutes).append(" minutes");
        }
        return sb.append("]:").toString();
    }

    /** The state word of a header: the wait reason, or the status ({@code runnable}, {@code running}, {@code syscall}). */
    static String state(G g) {
        GStatus s = g.status;
        if (s == GStatus.WAITING && !g.waitReason.isEmpty()) {
            return g.waitReason;
        }
        return s.name().toLowerCase();
    }

    /**
     * The program frames of a goroutine that is not running (the caller keeps it from running),
     * innermost first; null when its stack cannot be read (it runs, or its M is in a syscall).
     */
    static List<StackTraceElement> frames(G g, boolean system) {
        if (g.status == GStatus.DEAD) {
            return null;
        }
        StackTraceElement[] all;
        M m = g.m;

        if (g.status == GStatus.RUNNING || g.status == GStatus.SYSCALL || m != null) {
            // Mounted: its M waits at a safepoint (the world is stopped) where it recorded its
            // own frames for the dump, or it runs on (a syscall) and its stack is unavailable.
            StackTraceElement[] own = g.stoppedStack;
            if (own == null) {
                return null;
            }
            all = own;
            for (int i = 0; i < own.length; i++) { // the carrier M's frames below the continuation's entry are not the goroutine's
                if (own[i].getClassName().equals("jdk.internal.vm.Continuation") && own[i].getMethodName().startsWith("enter")) {
                    all = java.util.Arrays.copyOf(own, i);
                    break;
                }
            }
        } else {
            try {
                all = g.coroutine.getStackTrace();
            } catch (RuntimeException | Error e) {
                return null; // mounted after all: the caller's guarantee did not hold; say "unavailable"
            }
        }
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : all) {
            if (system || !isRuntime(e.getClassName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Appends one goroutine's traceback: header, frames, {@code created by}. */
    static void append(StringBuilder sb, G g, long now, boolean system) {
        sb.append(header(g, now)).append('\n');
        appendStack(sb, g, frames(g, system));
    }

    private static void appendStack(StringBuilder sb, G g, List<StackTraceElement> frames) {
        if (frames == null) {
            sb.append("\tgoroutine running on other thread; stack unavailable\n");
        } else {
            for (StackTraceElement e : frames) {
                appendFrame(sb, e);
            }
        }
        appendCreatedBy(sb, g);
    }

    static void appendFrame(StringBuilder sb, StackTraceElement e) {
        sb.append(e.getClassName()).append('.').append(e.getMethodName()).append("(...)\n\t")
                .append(location(e)).append('\n');
    }

    /** {@code Leak.java:12}, or what the class file knows. */
    static String location(StackTraceElement e) {
        String file = e.getFileName() == null ? e.getClassName() : e.getFileName();
        return e.getLineNumber() >= 0 ? file + ":" + e.getLineNumber() : file;
    }

    /** Go's {@code printcreatedby}: {@code created by Main.main in goroutine 1} and its line. */
    static void appendCreatedBy(StringBuilder sb, G g) {
        StackTraceElement site = g.createdAt;
        if (site == null || g.parentGoid == 0) {
            return;
        }
        sb.append("created by ").append(site.getClassName()).append('.').append(site.getMethodName())
                .append(" in goroutine ").append(g.parentGoid).append("\n\t").append(location(site)).append('\n');
    }

    /** {@code created by Main.main in goroutine 1}'s site as {@code Main.java:20}, or "unknown". */
    static String creationLocation(G g) {
        return g.createdAt == null ? "unknown" : location(g.createdAt);
    }

    /** The goroutines a dump at {@code level} lists, by id: user ones, and runtime ones too at system. */
    static List<G> listed(RuntimeInstance rt, Level level) {
        List<G> gs = new ArrayList<>();
        rt.allgs.forEach(g -> {
            if (g.status != GStatus.DEAD && (level == Level.SYSTEM || !g.system)) {
                gs.add(g);
            }
        });
        gs.sort((a, b) -> Long.compare(a.id, b.id)); // (not Comparator.comparingLong: the start-up cache keeps no lambda the JDK makes)
        return gs;
    }

    /**
     * Every listed goroutine's traceback, blank-line separated (Go's {@code tracebackothers}).
     * The caller keeps them from running.
     */
    static String all(RuntimeInstance rt, Level level, long now) {
        if (level == Level.NONE) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (G g : listed(rt, level)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            append(sb, g, now, level == Level.SYSTEM);
        }
        return sb.toString();
    }

    /**
     * The goroutines grouped by identical state and stack, most numerous first, when there are
     * more than {@code groupAbove}; else {@link #all}. A group prints as
     * {@code 1000 goroutines [chan receive]:} then the shared stack (as {@code pprof -debug=1}
     * groups a goroutine profile).
     */
    static String grouped(RuntimeInstance rt, Level level, long now, int groupAbove, java.util.function.Predicate<G> which) {
        List<G> gs = listed(rt, level).stream().filter(which).toList();
        if (gs.size() <= groupAbove) {
            StringBuilder sb = new StringBuilder();
            for (G g : gs) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                append(sb, g, now, level == Level.SYSTEM);
            }
            return sb.toString();
        }
        Map<String, List<G>> groups = new LinkedHashMap<>();
        for (G g : gs) {
            StringBuilder stack = new StringBuilder();
            appendStack(stack, g, frames(g, level == Level.SYSTEM));
            groups.computeIfAbsent("[" + state(g) + "]:\n" + stack, k -> new ArrayList<>()).add(g);
        }
        StringBuilder sb = new StringBuilder();
        groups.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .forEach(e -> {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    int n = e.getValue().size();
                    sb.append(n).append(n == 1 ? " goroutine " : " goroutines ").append(e.getKey());
                });
        return sb.toString();
    }
}
