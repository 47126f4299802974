package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.kernel.Current;
import org.gort.kernel.G;
import org.gort.kernel.RuntimeInstance;
import org.junit.jupiter.api.Test;

/**
 * A goroutine's body may begin with heap addresses its creator handed over in captured
 * variables, where no stack scan can see them (Go copies a new goroutine's arguments onto its
 * stack, so its scan does see them). While the world runs, the kernel therefore refuses to scan
 * a goroutine whose body has not begun, and the collector asks it to scan itself: it does so at
 * its first safepoint, by which time the rooting contract has put those addresses in its root
 * slots.
 *
 * <p>The mutator fuzz found what happens otherwise, under hybrid: a hand-off child created just
 * before a cycle was scanned before it ran (an empty stack, coloured black), then rooted the
 * object it was handed, and its creator cleared its own slot before its stack was scanned. The
 * object was left in a black stack only, and checkmark caught it unmarked.
 */
class NotYetStartedStackTest {

    @Test
    void aGoroutineIsNotScannedBeforeItsBodyBeginsButScansItselfAtItsFirstSafepoint() {
        AtomicBoolean began = new AtomicBoolean();
        AtomicBoolean refused = new AtomicBoolean();
        AtomicBoolean scannedAfterBodyBegan = new AtomicBoolean();
        AtomicInteger selfScans = new AtomicInteger();
        AtomicBoolean scannableOnceStarted = new AtomicBoolean();
        RunResult r = GcKit.run(GcKit.config("hybrid", 1).build(), () -> {
            RuntimeInstance rt = Current.runtime();
            Chan<Boolean> parked = Chan.make();
            Chan<Boolean> release = Chan.make();
            // GOMAXPROCS=1 and main does not yield before the checks: the child cannot begin.
            Go.go(() -> {
                began.set(true);
                Go.checkpoint(); // its first safepoint
                parked.send(true);
                release.recv();
            });
            G child = newestGoroutine(rt);
            assertNotNull(child, "the child goroutine is not in allgs");
            refused.set(!rt.tryScanStack(child, roots -> { }));
            rt.requestSelfScan(child, g -> {
                selfScans.incrementAndGet();
                scannedAfterBodyBegan.set(began.get());
            });
            parked.recv();
            // Parked now, having begun: an ordinary scan goes ahead.
            scannableOnceStarted.set(rt.tryScanStack(child, roots -> { }));
            release.send(true);
        });
        assertTrue(r.ok(), r::failure);
        assertTrue(refused.get(), "a goroutine whose body had not begun was scanned while the world ran");
        assertEquals(1, selfScans.get(), "the goroutine did not scan itself at its first safepoint");
        assertTrue(scannedAfterBodyBegan.get(), "the self-scan ran before the goroutine's body began");
        assertTrue(scannableOnceStarted.get(), "a parked goroutine that had begun could not be scanned");
    }

    /** The goroutine with the highest id in allgs: the one just created. */
    private static G newestGoroutine(RuntimeInstance rt) {
        G newest = null;
        for (int i = 0; i < rt.goroutineSlots(); i++) {
            G g = rt.goroutineAt(i);
            if (g != null && (newest == null || g.id() > newest.id())) {
                newest = g;
            }
        }
        return newest;
    }
}
