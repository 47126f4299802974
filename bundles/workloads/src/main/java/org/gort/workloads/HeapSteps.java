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
 * The pacer's cases (proposal 44167's motivating programs): a live heap that steps up in
 * phases, and an optional large set of stack roots beside a small heap.
 *
 * <p>First {@code stacks} goroutines each push {@code slots} root-stack slots, all pointing to
 * one small object of their own, and park: every cycle must scan {@code stacks × slots × 8}
 * bytes of stack for very little heap. Then, in each of {@code steps} phases, main adds
 * {@code stepKB} KiB of long-lived blocks (1 KiB each, a pointer to the previous block and a
 * value, chained from one root slot per phase) and churns {@code churn} short-lived objects
 * (as parked-heap's churner: small linked objects and 256-byte arrays, each dead within 64
 * allocations). So the live heap goes 1, 2, ... {@code steps} times {@code stepKB}, each step a
 * surprise to a pacer tuned on the one before.
 *
 * <p>At the end every block's value is read back along its chain and every parked goroutine
 * checks its object, all folded into a checksum that the check replays: a block or a stack
 * object freed by mistake reads back wrong.
 *
 * <p>Output: {@code steps: <steps> live: <KiB> KiB stacks: <goroutines> x <slots> churned: <n> checksum: <hex>}.
 * Reported: {@code checksum}, {@code live.bytes} (the long-lived bytes at the end) and
 * {@code stack.root.bytes} ({@code stacks × slots × 8}).
 */
@Component(service = Workload.class, property = "gort.workload.name=heap-steps")
public final class HeapSteps extends StandardWorkload {
    static final Type BLOCK = Type.register("heap-steps.Block", 1, 1016);
    static final Type PINNED = Type.register("heap-steps.Pinned", 0, 8);

    public HeapSteps() {
        super("heap-steps", "pacer: the live heap steps up in phases while garbage churns, optionally beside many stack roots",
                Param.ofInt("steps", 4, "phases; each adds stepKB of long-lived heap, then churns").atLeast(1),
                Param.ofInt("stepKB", 4096, "KiB of long-lived 1 KiB blocks added per phase").atLeast(0),
                Param.ofInt("churn", 200_000, "short-lived objects allocated per phase").atLeast(0),
                Param.ofInt("stacks", 0, "parked goroutines holding stack roots").atLeast(0),
                Param.ofInt("slots", 256, "root-stack slots each parked goroutine holds").atLeast(1),
                Param.ofLong("seed", 1, "seed of the values"));
    }

    @Override
    void run(Params p) {
        int steps = p.intValue("steps");
        int blocks = p.intValue("stepKB");
        int churn = p.intValue("churn");
        int stacks = p.intValue("stacks");
        int slots = p.intValue("slots");
        long seed = p.longValue("seed");
        long[] sums = new long[stacks];
        Chan<Boolean> release = Chan.make();
        WaitGroup parked = new WaitGroup();
        WaitGroup finished = new WaitGroup();
        parked.add(stacks);
        finished.add(stacks);
        for (int g = 0; g < stacks; g++) {
            int id = g;
            Go.go(() -> {
                int base = Roots.push(slots);
                Roots.set(base, Heap.alloc(PINNED));
                Heap.storeLong(Roots.get(base), 0, value(seed, -1 - id));
                for (int j = 1; j < slots; j++) {
                    Roots.set(base + j, Roots.get(base));
                }
                parked.done();
                release.recv(); // parked with `slots` roots until main is done
                long sum = 0;
                for (int j = 0; j < slots; j += Math.max(1, slots / 4)) {
                    sum = Mix.fold(sum, Heap.loadLong(Roots.get(base + j), 0));
                }
                Roots.pop(base);
                sums[id] = sum;
                finished.done();
            });
        }
        parked.await();

        int heads = Roots.push(steps + 1);
        int fresh = heads + steps; // the new block, rooted until it heads its chain
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < blocks; b++) {
                Roots.set(fresh, Heap.alloc(BLOCK));
                Heap.storeLong(Roots.get(fresh), 0, value(seed, (long) s * blocks + b));
                Heap.storePtr(Roots.get(fresh), 0, Roots.get(heads + s));
                Roots.set(heads + s, Roots.get(fresh));
            }
            Roots.set(fresh, 0);
            ParkedHeap.churn(churn); // short-lived garbage, dead within 64 allocations
        }
        long checksum = 0;
        for (int s = 0; s < steps; s++) {
            long b = Roots.get(heads + s);
            for (int i = blocks - 1; i >= 0; i--) {
                checksum = Mix.fold(checksum, Heap.loadLong(b, 0));
                b = Heap.loadPtr(b, 0);
            }
        }
        Roots.pop(heads);
        release.close();
        finished.await();
        for (long s : sums) {
            checksum = Mix.fold(checksum, s);
        }
        Go.println(line(p, checksum));
        Go.report("checksum", Mix.reportable(checksum));
        Go.report("live.bytes", (long) steps * blocks * 1024);
        Go.report("stack.root.bytes", (long) stacks * slots * 8);
    }

    private static String line(Params p, long checksum) {
        return "steps: " + p.intValue("steps") + " live: " + (long) p.intValue("steps") * p.intValue("stepKB") + " KiB stacks: "
                + p.intValue("stacks") + " x " + p.intValue("slots") + " churned: " + (long) p.intValue("steps") * p.intValue("churn")
                + " checksum: " + Mix.hex(checksum);
    }

    static long value(long seed, long i) {
        return Mix.mix64(seed ^ Mix.mix64(i));
    }

    @Override
    public Check check(Params p, List<String> output) {
        int steps = p.intValue("steps");
        int blocks = p.intValue("stepKB");
        int stacks = p.intValue("stacks");
        int slots = p.intValue("slots");
        long seed = p.longValue("seed");
        long checksum = 0;
        for (int s = 0; s < steps; s++) {
            for (int i = blocks - 1; i >= 0; i--) {
                checksum = Mix.fold(checksum, value(seed, (long) s * blocks + i));
            }
        }
        for (int g = 0; g < stacks; g++) {
            long sum = 0;
            for (int j = 0; j < slots; j += Math.max(1, slots / 4)) {
                sum = Mix.fold(sum, value(seed, -1 - g));
            }
            checksum = Mix.fold(checksum, sum);
        }
        return Check.expectLines(List.of(line(p, checksum)), output);
    }
}
