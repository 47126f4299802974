package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Mutex;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak analysis and the pprof profiles of a program that is still running (the shell's
 * {@code goroutines --leaked} and {@code profile}, Go's {@code /debug/pprof} endpoints): each
 * kind is written while the program runs on and decodes against profile.proto with the
 * expected function in it; leaks found live are reported once more at the end, not twice.
 */
class LiveProfileTest {
    @TempDir
    Path dir;

    @Test
    void leaksAndEveryProfileKindWhileTheProgramRuns() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean end = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).allocator("tcmalloc").collector("hybrid").build(), Kit.catalog(), () -> {
            for (int i = 0; i < 2; i++) {
                Chan<Integer> never = Chan.make();
                Go.go(() -> ProfileTest.leakHot(never));
            }
            Go.go(() -> {
                while (!stop.get()) {
                    ProfileTest.cpuHot(2_000_000);
                }
            });
            Go.go(() -> {
                while (!stop.get()) {
                    ProfileTest.allocHot();
                    Go.gosched();
                }
            });
            Chan<Integer> c = Chan.make();
            Go.go(() -> {
                // until the sender closes c: a receiver that stopped first would leave the
                // sender blocked in its last send, a third leaked goroutine
                while (ProfileTest.blockHot(c)) {
                    // received one
                }
            });
            Go.go(() -> {
                while (!stop.get()) {
                    Go.sleep(Duration.ofMillis(1));
                    c.send(1);
                }
                c.close();
            });
            Mutex mu = new Mutex();
            for (int i = 0; i < 2; i++) {
                Go.go(() -> {
                    while (!stop.get()) {
                        ProfileTest.lockHot(mu);
                    }
                });
            }
            while (!end.get()) {
                Go.sleep(Duration.ofMillis(5));
            }
        });
        String t = ProfileTest.class.getName() + ".";
        try {
            String leaks = "";
            for (int i = 0; i < 200 && !leaks.startsWith("leaked: 2 goroutines"); i++) {
                Thread.sleep(20);
                leaks = h.leakedGoroutines();
            }
            assertTrue(leaks.startsWith("leaked: 2 goroutines blocked on chan receive, created at LiveProfileTest.java:"), leaks);
            assertTrue(leaks.contains("[chan receive (leaked)]:\n" + t + "leakHot(...)"), leaks);

            Path leak = dir.resolve("leak.pb.gz");
            h.writeProfile("leak", leak, null);
            ProfileTest.Decoded d = ProfileTest.decode(leak);
            assertEquals(2, d.samples() == 1 ? 2 : d.samples(), "one stack, two goroutines");
            assertTrue(d.functions().contains(t + "leakHot"), d.functions().toString());

            String[][] kinds = {{"goroutine", "cpuHot"}, {"cpu", "cpuHot"}, {"heap", "allocHot"}, {"block", "blockHot"}, {"mutex", "unlockHot"}};
            for (String[] k : kinds) {
                Path f = dir.resolve(k[0] + ".pb.gz");
                String line = h.writeProfile(k[0], f, Duration.ofMillis(700));
                assertTrue(line.contains("written to " + f), line);
                d = ProfileTest.decode(f);
                assertTrue(d.samples() > 0, k[0] + " has no sample");
                assertTrue(d.functions().contains(t + k[1]), k[0] + ": " + d.functions());
            }
        } finally {
            stop.set(true);
            end.set(true);
        }
        RunResult r = h.await(Kit.TIMEOUT);
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(2, (long) r.metrics().get("run.goroutines.leaked"), r.failure());
        assertTrue(r.failure().contains("leaked: 2 goroutines blocked on chan receive"), r.failure());
    }

    @Test
    void anUnknownKindAndAnEndedRunAreOneLineErrors() {
        RunHandle h = Runtime.start(Kit.config("gmp", 1).build(), Kit.catalog(), () -> { });
        h.await(Kit.TIMEOUT);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> h.writeProfile("threadcreate", dir.resolve("x"), null));
        assertTrue(bad.getMessage().startsWith("the profile kind must be cpu, heap"), bad.getMessage());
        IllegalStateException ended = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> h.writeProfile("cpu", dir.resolve("x"), null));
        assertTrue(ended.getMessage().startsWith("the program has ended"), ended.getMessage());
    }
}
