package org.gort.bench;

/**
 * The JVM flags every benchmark fork runs with, as constants for {@code @Fork(jvmArgsAppend)}.
 */
final class BenchJvm {
    private BenchJvm() {
    }

    static final String ADD_EXPORTS = "--add-exports";
    static final String JDK_INTERNAL_VM = "java.base/jdk.internal.vm=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String HEAP_MIN = "-Xms2g";
    static final String HEAP_MAX = "-Xmx2g";

    /*
     * Work-around, to be dropped when the kernel no longer needs it: in JIT-compiled code,
     * Thread.currentThread() read after a continuation yield may return the thread that ran the
     * continuation before the yield (the compiler keeps the value; the interpreter does not).
     * org.gort.kernel.Current finds the running G through Thread.currentThread(), so once a
     * goroutine has moved to another M, a compiled caller that inlined Current can see the old
     * M and fail with "not on a goroutine" (or act for another G). Keeping the thread-reading
     * methods out of line makes every call read the thread afresh. docs/benchmarks.md has the
     * reproduction.
     */
    static final String QUIET = "-XX:CompileCommand=quiet";
    static final String NO_INLINE_CURRENT = "-XX:CompileCommand=dontinline,org.gort.kernel.Current::*";
    static final String NO_INLINE_SAFEPOINT = "-XX:CompileCommand=dontinline,org.gort.kernel.Safepoint::*";
    static final String NO_INLINE_ON_GOROUTINE = "-XX:CompileCommand=dontinline,org.gort.kernel.Kernel::onGoroutine";
    static final String NO_INLINE_CHECKPOINT = "-XX:CompileCommand=dontinline,org.gort.kernel.Kernel::checkpoint";
}
