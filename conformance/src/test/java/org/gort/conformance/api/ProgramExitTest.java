package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.ProgramExit;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code os.Exit} for a program: {@link Go#exit} ends the run with its status, and program code
 * calling {@code System.exit} or {@code Runtime.exit/halt} ends only its run once rewritten by
 * {@link ProgramExit}; the JVM running the tests survives every case (a broken rewrite would
 * end it, and the suite with it).
 */
class ProgramExitTest {
    private static final String PROBE = "org.gort.conformance.api.exitprobe.Quitter";

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void exitEndsTheRunWithItsStatusAndRunsNoDeferredCode(String sched) {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicInteger afterExit = new AtomicInteger();
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Integer> started = Chan.make();
            Go.go(() -> {
                started.send(1);
                while (true) {
                    afterExit.incrementAndGet();
                    Go.checkpoint();
                }
            });
            started.recv();
            Go.println("before");
            try {
                Go.exit(3);
            } finally {
                finallyRan.set(true);
            }
            Go.println("after");
        });
        assertEquals(RunStatus.EXIT, r.status(), r.failure());
        assertEquals(3, r.exitCode());
        assertEquals("exit status 3", r.failure());
        assertEquals(List.of("before"), r.output());
        assertFalse(finallyRan.get(), "os.Exit runs no deferred calls");
        int spins = afterExit.get();
        assertEquals(0, (int) r.metrics().get("run.ms.stuck"), "the spinning goroutine stopped at its safepoint");
        assertEquals(spins, afterExit.get(), "no goroutine runs on after the run ended");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void exitZeroIsASuccess(String sched) {
        RunResult r = Kit.run(sched, 1, () -> {
            Go.go(() -> Chan.make().recv());
            Go.exit(0);
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(0, r.exitCode());
        assertEquals("", r.failure());
    }

    @Test
    void goStatusesFollowGo() {
        assertEquals(2, RunResult.exitCodeOf(RunStatus.PANIC));
        assertEquals(2, RunResult.exitCodeOf(RunStatus.DEADLOCK));
        assertEquals(0, RunResult.exitCodeOf(RunStatus.OK));
        assertEquals(2, Kit.run("gmp", 1, () -> {
            throw Go.panic("boom");
        }).exitCode());
    }

    @Test
    void everyWayToEndTheJvmEndsOnlyTheRun() throws Exception {
        Class<?> quitter = rewrittenProbe();
        String[] ways = {"systemExit", "runtimeExit", "runtimeHalt", "methodReference", "boundMethodReference", "inALambda"};
        for (int i = 0; i < ways.length; i++) {
            Method m = quitter.getMethod(ways[i], int.class);
            int status = 10 + i;
            RunResult r = Kit.run("gmp", 2, () -> invoke(m, status));
            assertEquals(RunStatus.EXIT, r.status(), ways[i] + ": " + r.failure());
            assertEquals(status, r.exitCode(), ways[i]);
        }
    }

    @Test
    void outsideAGoroutineTheExitIsRefused() throws Exception {
        Method m = rewrittenProbe().getMethod("systemExit", int.class);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(null, 4));
        SecurityException refused = assertInstanceOf(SecurityException.class, e.getCause());
        assertTrue(refused.getMessage().startsWith("System.exit(4) refused: only a goroutine may end its run"),
                refused::getMessage);
    }

    @Test
    void aClassWithoutExitsIsLeftAsItIs() throws IOException {
        byte[] plain = bytes(ProgramExitTest.class.getName());
        assertSame(plain, ProgramExit.rewrite(plain));
        byte[] probe = bytes(PROBE);
        assertTrue(ProgramExit.callsExit(probe));
        assertFalse(ProgramExit.callsExit(ProgramExit.rewrite(probe)), "a rewritten class calls no exit");
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 'j', 'a', 'v', 'a', '/', 'l', 'a', 'n', 'g', '/', 'S', 'y', 's', 't', 'e',
                'm', 'e', 'x', 'i', 't'};
        assertArrayEquals(garbage, ProgramExit.rewrite(garbage), "what the JDK cannot parse is the class loader's to report");
    }

    private static void invoke(Method m, int status) {
        try {
            m.invoke(null, status);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The probe class, rewritten, in a loader of its own (the test's loader never defines it). */
    private static Class<?> rewrittenProbe() throws Exception {
        byte[] rewritten = ProgramExit.rewrite(bytes(PROBE));
        ClassLoader loader = new ClassLoader(ProgramExitTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.equals(PROBE)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, rewritten, 0, rewritten.length);
                    }
                    return super.loadClass(name, resolve);
                }
            }
        };
        return Class.forName(PROBE, true, loader);
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = ProgramExitTest.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
