package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Mutator;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.Roots;
import org.gort.api.StrategyCatalog;
import org.gort.api.Type;
import org.junit.jupiter.api.Test;

/**
 * {@code --check-roots}: an address kept in a Java local across a safepoint fails at its next
 * use, naming the address, its type and where it was allocated, whether or not a collection ran
 * meanwhile; the rooting rule's legal patterns pass.
 */
class CheckRootsTest {
    static final Type NODE = Type.register("CheckRootsTest.Node", 2, 8);

    private static RunResult run(boolean check, Runnable main) {
        RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(2).checkRoots(check).build();
        return Runtime.run(config, StrategyCatalog.serviceLoader(), main, Duration.ofSeconds(60));
    }

    /** An allocated address held in a local across a sleep, then stored through. */
    static void unrootedAcrossASafepoint() {
        long n = Heap.alloc(NODE);
        Go.sleep(Duration.ofMillis(1));
        Heap.storeLong(n, 0, 42);
    }

    @Test
    void anUnrootedAddressUsedAfterASafepointFailsAtOnceNamingItsTypeAndAllocationSite() {
        RunResult r = run(true, CheckRootsTest::unrootedAcrossASafepoint);
        assertEquals(RunStatus.PANIC, r.status(), r.failure());
        String headline = r.failureHeadline();
        assertTrue(headline.contains("storeLong through 0x"), headline);
        assertTrue(headline.contains("CheckRootsTest.Node"), headline);
        assertTrue(headline.contains("allocated at org.gort.lab.CheckRootsTest.unrootedAcrossASafepoint(CheckRootsTest.java:"), headline);
        assertTrue(headline.contains("neither rooted nor allocated since the last safepoint"), headline);
        // without the check the same mistake goes unnoticed: no collection ran in the window
        assertEquals(RunStatus.OK, run(false, CheckRootsTest::unrootedAcrossASafepoint).status());
    }

    @Test
    void aChildLoadedThenKeptAcrossASafepointAfterItsParentLetGoFails() {
        RunResult r = run(true, () -> {
            int f = Roots.push(1);
            Roots.set(f, Heap.alloc(NODE));
            Heap.storePtr(Roots.get(f), 0, Heap.alloc(NODE));
            long child = Heap.loadPtr(Roots.get(f), 0);
            Heap.storePtr(Roots.get(f), 0, 0); // the only reference is gone; storePtr is a safepoint
            Roots.set(f, child);               // re-rooting it now is too late
        });
        assertEquals(RunStatus.PANIC, r.status(), r.failure());
        assertTrue(r.failureHeadline().contains("Roots.set (stored value) through 0x"), r.failureHeadline());
    }

    @Test
    void aCompositeLiteralsValuesMustBeRootedAcrossItsAllocation() {
        RunResult bad = run(true, () -> {
            long left = Heap.alloc(NODE);              // fresh, in a local only
            Heap.alloc(NODE, left, 0);                 // &Node{left, nil}: the allocation is a safepoint
        });
        assertEquals(RunStatus.PANIC, bad.status(), bad.failure());
        assertTrue(bad.failureHeadline().contains("alloc (slot 0) through 0x"), bad.failureHeadline());
        RunResult ok = run(true, () -> {
            Mutator mu = Mutator.current();
            int f = mu.push(2);
            mu.set(f, mu.alloc(NODE));
            mu.set(f + 1, mu.alloc(NODE));
            long n = mu.alloc(NODE, mu.get(f), mu.get(f + 1)); // both rooted: &Node{l, r}
            mu.pop(f);
            mu.storeLong(mu.loadPtr(n, 1), 0, 7);      // n is fresh: no safepoint since its allocation
            Go.println("right " + mu.loadLong(mu.loadPtr(n, 1), 0) + " left " + mu.loadLong(mu.loadPtr(n, 0), 0));
        });
        assertEquals(RunStatus.OK, ok.status(), ok.failure());
        assertEquals(java.util.List.of("right 7 left 0"), ok.output());
    }

    /** A node rooted across a safepoint by its own frame, returned after the frame is popped. */
    static long builtInAFrame() {
        int f = Roots.push(1);
        long node = Heap.alloc(NODE);
        Roots.set(f, node);
        Heap.storePtr(node, 0, Heap.alloc(NODE)); // a safepoint, with node rooted
        Roots.pop(f);
        return node; // no longer rooted, but no safepoint since it was
    }

    @Test
    void anAddressThatLeftItsSlotStaysValidUntilTheNextSafepoint() {
        RunResult ok = run(true, () -> {
            int g = Roots.push(1);
            Roots.set(g, builtInAFrame());          // the caller roots the result at once
            Go.gosched();                           // a safepoint, with the node rooted
            long n = Roots.get(g);
            Roots.set(g, Heap.alloc(NODE));         // the allocation is a safepoint; then n leaves the slot...
            Heap.storeLong(n, 0, 2);                // ...and stays usable until the next safepoint
        });
        assertEquals(RunStatus.OK, ok.status(), ok.failure());
        RunResult late = run(true, () -> {
            long n = builtInAFrame();
            Go.gosched();                           // the popped frame no longer keeps it
            Heap.storeLong(n, 0, 1);
        });
        assertEquals(RunStatus.PANIC, late.status(), late.failure());
        assertTrue(late.failureHeadline().contains("neither rooted nor allocated since the last safepoint"), late.failureHeadline());
    }

    @Test
    void theRulesLegalPatternsPass() {
        RunResult r = run(true, () -> {
            int f = Roots.push(2);
            Roots.set(f, Heap.alloc(NODE));                       // rooted at once
            Heap.storePtr(Roots.get(f), 0, Heap.alloc(NODE));     // a fresh object stored into a rooted one
            long node = Roots.get(f);
            Go.sleep(Duration.ofMillis(1));
            Heap.storeLong(node, 0, 1);                           // held across a safepoint but rooted
            long child = Heap.loadPtr(node, 0);
            Go.gosched();
            Heap.storeLong(child, 0, 2);                          // reachable from a root
            Chan<Long> c = Chan.ofPointers(1);
            c.send(Heap.alloc(NODE));
            Roots.set(f + 1, c.recv());                           // received, rooted before the next call
            Heap.gc();
            Heap.storeLong(Roots.get(f + 1), 0, 3);
            Go.println("sum " + (Heap.loadLong(node, 0) + Heap.loadLong(child, 0) + Heap.loadLong(Roots.get(f + 1), 0)));
            Roots.pop(f);
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(java.util.List.of("sum 6"), r.output());
    }
}
