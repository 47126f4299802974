package org.gort.workloads;

import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Roots;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Stack-scan cost, the experiment behind Go's proposal 17503 (eliminate stack re-scanning):
 * many goroutines each keep a few heap objects in their root stacks and park on a channel,
 * while one churner goroutine allocates garbage fast enough to run collection cycles. Every
 * cycle must scan every parked goroutine's stack: Dijkstra's collector re-scans them all with
 * the world stopped at mark termination, so that pause grows with the number of goroutines;
 * Yuasa's snapshots them all at the start; the hybrid barrier scans each once, concurrently.
 *
 * <p>Goroutine g keeps {@code keep} objects of type {@code parked-heap.Kept} (one pointer slot,
 * one long): object j holds the value {@code mix64(seed, g, j)} and points to object j-1, and
 * every one of them sits in its own root-stack slot. After the churn, main closes the channel;
 * each goroutine wakes, reads its objects back (the values, and each object's link to its
 * predecessor) and folds them into its checksum. A kept object freed by mistake reads back
 * wrong (or fails loudly under {@code clobberfree}). The check replays the values sequentially.
 *
 * <p>Output: {@code parked: <goroutines> kept: <objects> churned: <allocs> checksum: <hex>}.
 * Reported: {@code checksum} (its low 52 bits), {@code churn.ns} (wall time of the churn),
 * {@code churn.cycles} and {@code churn.pause.max.ns}: the cycles that completed during the churn
 * and the largest of their stop-the-world times (each cycle's pauses added up, Go's
 * {@code MemStats.PauseNs}), as bench/go/parkedheap measures Go; {@code churn.first.cycle} and
 * {@code churn.last.cycle}, their numbers (for reading their gctrace lines).
 */
@Component(service = Workload.class, property = "gort.workload.name=parked-heap")
public final class ParkedHeap extends StandardWorkload {
    static final Type KEPT = Type.register("parked-heap.Kept", 1, 8);
    static final Type GARBAGE = Type.register("parked-heap.Garbage", 2, 16);
    /** The churner's window of young objects, long enough that garbage survives a little. */
    static final int WINDOW = 64;

    public ParkedHeap() {
        super("parked-heap", "stack scanning: many parked goroutines hold heap objects in their root stacks while a churner allocates",
                Param.ofInt("goroutines", 10_000, "parked goroutines (1e5 for comparisons)").atLeast(1),
                Param.ofInt("keep", 4, "objects each parked goroutine keeps in its root stack").atLeast(1),
                Param.ofInt("allocs", 200_000, "objects the churner allocates while they are parked").atLeast(0),
                Param.ofLong("seed", 1, "seed of the kept values"));
    }

    @Override
    void run(Params p) {
        int goroutines = p.intValue("goroutines");
        int keep = p.intValue("keep");
        int allocs = p.intValue("allocs");
        long seed = p.longValue("seed");
        long[] sums = new long[goroutines];
        Chan<Boolean> release = Chan.make();
        WaitGroup parked = new WaitGroup();
        WaitGroup finished = new WaitGroup();
        parked.add(goroutines);
        finished.add(goroutines);
        for (int g = 0; g < goroutines; g++) {
            int id = g;
            Go.go(() -> {
                int base = Roots.push(keep);
                for (int j = 0; j < keep; j++) {
                    Roots.set(base + j, Heap.alloc(KEPT));
                    Heap.storeLong(Roots.get(base + j), 0, kept(seed, id, j));
                    if (j > 0) {
                        Heap.storePtr(Roots.get(base + j), 0, Roots.get(base + j - 1));
                    }
                }
                parked.done();
                release.recv(); // parked here, with `keep` live roots, until main closes the channel
                long sum = 0;
                for (int j = 0; j < keep; j++) {
                    long obj = Roots.get(base + j);
                    long prev = Heap.loadPtr(obj, 0);
                    sum = Mix.fold(sum, Heap.loadLong(obj, 0));
                    sum = Mix.fold(sum, prev == 0 ? -1 : Heap.loadLong(prev, 0));
                }
                Roots.pop(base);
                sums[id] = sum;
                finished.done();
            });
        }
        parked.await();

        org.gort.api.MemStats before = Heap.memStats();
        long start = System.nanoTime();
        churn(allocs);
        long elapsed = System.nanoTime() - start;
        org.gort.api.MemStats after = Heap.memStats();

        release.close();
        finished.await();
        long checksum = 0;
        for (long s : sums) {
            checksum = Mix.fold(checksum, s);
        }
        Go.println("parked: " + goroutines + " kept: " + (long) goroutines * keep + " churned: " + allocs
                + " checksum: " + Mix.hex(checksum));
        Go.report("checksum", Mix.reportable(checksum));
        Go.report("churn.ns", elapsed);
        // As bench/go/parkedheap reads MemStats.PauseNs: the cycles that completed during the churn.
        long churnCycles = 0;
        long churnPauseMax = 0;
        for (long n = before.numGC() + 1; n <= after.numGC(); n++) {
            long ns = after.pauseNsOfCycle(n);
            if (ns >= 0) {
                churnCycles++;
                churnPauseMax = Math.max(churnPauseMax, ns);
            }
        }
        Go.report("churn.cycles", churnCycles);
        Go.report("churn.first.cycle", before.numGC() + 1);
        Go.report("churn.last.cycle", after.numGC());
        Go.report("churn.pause.max.ns", churnPauseMax);
    }

    static long kept(long seed, int goroutine, int j) {
        return Mix.mix64(seed ^ Mix.mix64(((long) goroutine << 20) + j));
    }

    /**
     * Short-lived garbage: linked lists of at most four objects in a sliding window of root
     * slots, plus a byte array now and then; everything dies within {@value #WINDOW} allocations.
     * heap-steps churns with it too.
     */
    static void churn(int allocs) {
        int w = Roots.push(WINDOW);
        for (int i = 0; i < allocs; i++) {
            int slot = w + i % WINDOW;
            if (i % 8 == 7) {
                Roots.set(slot, Heap.allocBytes(256));
            } else {
                long prev = Roots.get(w + (i + WINDOW - 1) % WINDOW);
                Roots.set(slot, Heap.alloc(GARBAGE));
                Heap.storeLong(Roots.get(slot), 0, i);
                if (i % 4 != 0 && prev != 0 && Heap.typeOf(prev) == GARBAGE) {
                    Heap.storePtr(Roots.get(slot), 0, prev);
                }
            }
        }
        Roots.pop(w);
    }

    @Override
    public Check check(Params p, List<String> output) {
        int goroutines = p.intValue("goroutines");
        int keep = p.intValue("keep");
        long seed = p.longValue("seed");
        long checksum = 0;
        for (int g = 0; g < goroutines; g++) {
            long sum = 0;
            for (int j = 0; j < keep; j++) {
                sum = Mix.fold(sum, kept(seed, g, j));
                sum = Mix.fold(sum, j == 0 ? -1 : kept(seed, g, j - 1));
            }
            checksum = Mix.fold(checksum, sum);
        }
        return Check.expectLines(List.of("parked: " + goroutines + " kept: " + (long) goroutines * keep + " churned: "
                + p.intValue("allocs") + " checksum: " + Mix.hex(checksum)), output);
    }
}
