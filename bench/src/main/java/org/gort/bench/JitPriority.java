package org.gort.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/*
 * Puts this JVM's JIT compiler threads under Linux's SCHED_IDLE policy, so that they compile
 * only on cores nothing else wants.
 *
 * Why: Go has no JIT, and on two cores HotSpot's C1 and C2 threads, which go on recompiling
 * the kernel's hot paths for many seconds (deoptimised by the branches a run happens to take),
 * take cores from gort's Ms. A stop of the world then waits 1–4 ms, either for its last M to
 * get a core back or for the requester, woken by that M, to get one: the collector harness
 * caught both C1 and C2 running during every such stop. Even at nice 19 the compiler threads
 * kept their core through the wakeup (the scheduler lets the running task finish its slice);
 * SCHED_IDLE tasks are preempted by any normal task that wakes. The harness warms up with the
 * compiler threads at normal priority and moves them to SCHED_IDLE only for the measured runs.
 *
 * Lowering one's own threads' policy to SCHED_IDLE needs no privilege; raising it back does.
 * Off Linux, or where the call fails, nothing changes and the methods say so.
 */
final class JitPriority {
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;
    private static final MethodHandle SCHED_SETSCHEDULER = lookup();

    private JitPriority() {
    }

    private static MethodHandle lookup() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sched_setscheduler")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Moves every compiler thread now alive to SCHED_IDLE (HotSpot starts and stops compiler
     * threads as the queue grows, so call this before each run). Returns true if there was at
     * least one and every one moved.
     */
    static boolean idleCompilers() {
        return setCompilers(SCHED_IDLE);
    }

    /**
     * Moves every compiler thread back to SCHED_OTHER, for a warmup: under SCHED_IDLE a workload
     * that keeps both cores busy (binary-trees) starves the JIT, the compile time it reports stays
     * at zero, and the warmup would end with the code still interpreted. Leaving SCHED_IDLE needs
     * root (or an RLIMIT_NICE that allows nice 0); returns false if that was refused.
     */
    static boolean normalCompilers() {
        return setCompilers(SCHED_OTHER);
    }

    private static boolean setCompilers(int policy) {
        Path tasks = Path.of("/proc/self/task");
        if (SCHED_SETSCHEDULER == null || !Files.isDirectory(tasks)) {
            return false;
        }
        int moved = 0;
        int failed = 0;
        try (Arena arena = Arena.ofConfined(); DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // struct sched_param { 0 }
            for (Path t : threads) {
                String name;
                try {
                    name = Files.readString(t.resolve("comm")).strip();
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    int tid = Integer.parseInt(t.getFileName().toString());
                    if ((int) SCHED_SETSCHEDULER.invokeExact(tid, policy, param) == 0) {
                        moved++;
                    } else {
                        failed++;
                    }
                }
            }
        } catch (Throwable e) {
            return false;
        }
        return moved > 0 && failed == 0;
    }
}
