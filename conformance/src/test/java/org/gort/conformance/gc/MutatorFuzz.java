package org.gort.conformance.gc;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Globals;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.MemStats;
import org.gort.api.Roots;
import org.gort.api.Select;
import org.gort.api.Type;
import org.gort.api.WaitGroup;

/*
 * A randomised mutator for the collectors: goroutines allocate, store pointers into heap
 * objects, globals and their root stacks, drop and load them, start short-lived helper
 * goroutines, and send objects through pointer channels, across many GC cycles; a seed fixes
 * every goroutine's sequence of operations.
 *
 * Every object records who it is and what it should point to, so a wrong free is seen even
 * after its block was reused:
 *
 *     Node = 4 pointer slots + scalars [id][owner][expected id of slot 0..3]
 *
 * Only an object's owner (the goroutine that allocated it) writes its slots, always the pointer
 * and then the expected id, so once the owners have stopped every slot agrees with its mirror.
 * Goroutines read each other's objects freely (through globals and through slots), which is
 * what exercises the barriers: an owner overwrites a slot while another goroutine holds the old
 * target in its root stack only. Each goroutine knows the ids of the objects in its own root
 * slots and checks them as it goes; at the end the main goroutine collects twice and walks
 * everything reachable, checking every id and every slot against its mirror.
 *
 * Addresses never stay in a Java local across a runtime call (the heap's rooting contract):
 * loads go straight into root slots, and a new object is stored before anything else happens.
 */
final class MutatorFuzz {
    static final Type NODE = Type.register("gcfuzz.Node", 4, 8 * 6);
    static final int SLOTS = 4;
    static final int ROOTS = 12;
    static final int GLOBALS_PER_MUTATOR = 2;
    /** Global slot of the []* in which mutators leave their roots when they finish. */
    static final int RESULT_GLOBAL = 1000;
    static final int BALLAST_GLOBAL = 1001;

    final int mutators;
    final int steps;
    final long seed;
    private final AtomicLong ids = new AtomicLong();
    final AtomicLong checkedObjects = new AtomicLong();
    final AtomicLong helpers = new AtomicLong();

    /** Objects kept live beside the mutation, so that every mark phase lasts long enough to overlap it. */
    final int ballast;

    MutatorFuzz(int mutators, int steps, long seed) {
        this(mutators, steps, seed, 4096);
    }

    MutatorFuzz(int mutators, int steps, long seed, int ballast) {
        this.mutators = mutators;
        this.steps = steps;
        this.seed = seed;
        this.ballast = ballast;
    }

    /** The program's main goroutine. */
    void main() {
        Globals.set(RESULT_GLOBAL, Heap.allocPointers(mutators * ROOTS));
        Globals.set(BALLAST_GLOBAL, Heap.allocPointers(ballast));
        for (int i = 0; i < ballast; i++) {
            Heap.storePtr(Globals.get(BALLAST_GLOBAL), i, newNode(-1));
        }
        long[] finalIds = new long[mutators * ROOTS];
        WaitGroup wg = new WaitGroup();
        for (int k = 0; k < mutators; k++) {
            int me = k;
            wg.add(1);
            Go.go(() -> {
                new Mutator(me, new SplittableRandom(seed * 1_000_003 + me)).run(finalIds);
                wg.done();
            });
        }
        wg.await();
        Heap.gc();
        Heap.gc();
        verifyAll(finalIds);
        MemStats ms = Heap.memStats();
        // Nothing changed between the two collections: the second keeps exactly what is reachable.
        if (ms.lastReachableObjects() >= 0 && ms.lastMarkedObjects() != ms.lastReachableObjects()) {
            throw new AssertionError("the last cycle marked " + ms.lastMarkedObjects() + " objects but "
                    + ms.lastReachableObjects() + " are reachable");
        }
        if (ms.lastFloatingObjects() > 0) {
            throw new AssertionError("the last cycle kept " + ms.lastFloatingObjects()
                    + " unreachable objects, though nothing changed since the one before");
        }
        Go.report("fuzz.cycles", ms.numGC());
    }

    private long newNode(int owner) {
        long id = ids.incrementAndGet();
        long n = Heap.alloc(NODE);
        Heap.storeLong(n, 0, id);
        Heap.storeLong(n, 8, owner);
        return n;
    }

    static long idOf(long obj) {
        return obj == 0 ? 0 : Heap.loadLong(obj, 0);
    }

    static long ownerOf(long obj) {
        return Heap.loadLong(obj, 8);
    }

    static long mirror(long obj, int slot) {
        return Heap.loadLong(obj, 16 + 8L * slot);
    }

    private final class Mutator {
        final int me;
        final SplittableRandom rnd;
        final int base;
        /** The id of the object in each of this goroutine's root slots (0 for nil). */
        final long[] rootIds = new long[ROOTS];

        Mutator(int me, SplittableRandom rnd) {
            this.me = me;
            this.rnd = rnd;
            this.base = Roots.push(ROOTS);
        }

        void run(long[] finalIds) {
            for (int i = 0; i < steps; i++) {
                step();
            }
            for (int r = 0; r < ROOTS; r++) {
                check(r);
            }
            // Leave the roots where main will find them.
            long results = Globals.get(RESULT_GLOBAL);
            for (int r = 0; r < ROOTS; r++) {
                finalIds[me * ROOTS + r] = rootIds[r];
                Heap.storePtr(results, me * ROOTS + r, Roots.get(base + r));
            }
            Roots.pop(base);
        }

        private int anyRoot() {
            return rnd.nextInt(ROOTS);
        }

        private void setRoot(int r, long obj, long id) {
            Roots.set(base + r, obj);
            rootIds[r] = id;
        }

        private void step() {
            int op = rnd.nextInt(100);
            int r = anyRoot();
            if (op < 25) {                                   // allocate into a root slot
                Roots.set(base + r, newNode(me));
                rootIds[r] = idOf(Roots.get(base + r));
            } else if (op < 45) {                            // store a root into a slot of an object I own
                long obj = Roots.get(base + r);
                if (obj != 0 && ownerOf(obj) == me) {
                    int s = rnd.nextInt(SLOTS);
                    int v = rnd.nextInt(ROOTS + 1);          // ROOTS means nil
                    long val = v == ROOTS ? 0 : Roots.get(base + v);
                    long valId = v == ROOTS ? 0 : rootIds[v];
                    Heap.storePtr(obj, s, val);
                    Heap.storeLong(Roots.get(base + r), 16 + 8L * s, valId);
                }
            } else if (op < 52) {                            // hang a new object under an object I own
                long obj = Roots.get(base + r);
                if (obj != 0 && ownerOf(obj) == me) {
                    int s = rnd.nextInt(SLOTS);
                    Heap.storePtr(obj, s, newNode(me));      // no runtime call before the store roots it
                    long parent = Roots.get(base + r);
                    Heap.storeLong(parent, 16 + 8L * s, idOf(Heap.loadPtr(parent, s)));
                }
            } else if (op < 70) {                            // load a slot into a root
                long obj = Roots.get(base + r);
                if (obj != 0) {
                    int s = rnd.nextInt(SLOTS);
                    int dst = anyRoot();
                    boolean mine = ownerOf(obj) == me;
                    long expected = mine ? mirror(obj, s) : -1;
                    Roots.set(base + dst, Heap.loadPtr(obj, s));
                    long got = Roots.get(base + dst);
                    rootIds[dst] = idOf(got);
                    if (mine && rootIds[dst] != expected) {
                        throw new AssertionError(String.format("slot %d of object %d held object %d, expected %d",
                                s, rootIds[r], rootIds[dst], expected));
                    }
                }
            } else if (op < 74) {                            // drop a root
                setRoot(r, 0, 0);
            } else if (op < 77) {                            // move a pointer from the heap to my stack
                moveOut(r);
            } else if (op < 80) {                            // move a pointer from my stack into the heap
                moveIn(r);
            } else if (op < 85) {                            // publish a root in one of my globals
                Globals.set(me * GLOBALS_PER_MUTATOR + rnd.nextInt(GLOBALS_PER_MUTATOR), Roots.get(base + r));
            } else if (op < 92) {                            // take anyone's global
                Roots.set(base + r, Globals.get(rnd.nextInt(mutators * GLOBALS_PER_MUTATOR)));
                rootIds[r] = idOf(Roots.get(base + r));
            } else if (op < 93) {                            // a helper goroutine copies a subgraph
                helper(r);
            } else if (op < 95) {                            // hand an object to a new goroutine in its closure
                handOff(r);
            } else if (op < 96) {                            // send an object away through a pointer channel and back
                courier(r);
            } else if (op < 99) {
                check(r);
            } else {
                Go.gosched();
            }
        }

        /**
         * The move a deletion barrier exists for: take the only heap pointer to an object into
         * a root slot, then overwrite it in the heap.
         */
        private void moveOut(int r) {
            long obj = Roots.get(base + r);
            if (obj == 0 || ownerOf(obj) != me) {
                return;
            }
            int s = rnd.nextInt(SLOTS);
            int dst = (r + 1 + rnd.nextInt(ROOTS - 1)) % ROOTS;
            Roots.set(base + dst, Heap.loadPtr(obj, s));
            rootIds[dst] = mirror(obj, s);
            Heap.storePtr(obj, s, 0);
            Heap.storeLong(Roots.get(base + r), 16 + 8L * s, 0);
        }

        /**
         * The move an insertion barrier exists for: put the only pointer to an object, held in a
         * root slot, into a heap object, then drop the root.
         */
        private void moveIn(int r) {
            long obj = Roots.get(base + r);
            int src = (r + 1 + rnd.nextInt(ROOTS - 1)) % ROOTS;
            if (obj == 0 || ownerOf(obj) != me || Roots.get(base + src) == 0) {
                return;
            }
            int s = rnd.nextInt(SLOTS);
            long srcId = rootIds[src];
            Heap.storePtr(obj, s, Roots.get(base + src));
            Heap.storeLong(Roots.get(base + r), 16 + 8L * s, srcId);
            setRoot(src, 0, 0);
        }

        /**
         * Passes the object in root slot r to a new goroutine the way Go passes an argument:
         * in the closure. The creator keeps it rooted until the new goroutine has rooted it,
         * then drops it; the new goroutine works a while (it may be the only holder now) and
         * publishes it in a global, where the final walk checks it.
         */
        private void handOff(int r) {
            long obj = Roots.get(base + r);
            if (obj == 0) {
                return;
            }
            long id = rootIds[r];
            int global = me * GLOBALS_PER_MUTATOR + 1;
            WaitGroup rooted = new WaitGroup();
            WaitGroup done = new WaitGroup();
            rooted.add(1);
            done.add(1);
            helpers.incrementAndGet();
            Go.go(() -> {
                int f = Roots.push(2);
                Roots.set(f, obj);                            // rooted before any runtime call
                rooted.done();
                for (int i = 0; i < 50; i++) {
                    Roots.set(f + 1, newNode(-1));           // allocations: safepoints, maybe cycles
                }
                if (idOf(Roots.get(f)) != id) {
                    throw new AssertionError("a handed-off object changed: expected " + id + ", found " + idOf(Roots.get(f)));
                }
                Globals.set(global, Roots.get(f));
                Roots.pop(f);
                done.done();
            });
            rooted.await();
            setRoot(r, 0, 0);
            done.await();
        }

        /**
         * Sends the object in root slot r to a new goroutine through a pointer channel and drops
         * the root, so that for a while the channel is its only holder: the buffer, a blocked
         * sender's slot, a select's frame, or the slot a parked receiver is handed. The courier
         * allocates (safepoints, maybe cycles), sends it back, and the mutator roots and checks it.
         */
        private void courier(int r) {
            long id = rootIds[r];
            boolean buffered = rnd.nextBoolean();
            boolean outBySelect = rnd.nextBoolean();
            boolean backBySelect = rnd.nextBoolean();
            Chan<Long> there = buffered ? Chan.ofPointers(1) : Chan.ofPointers();
            Chan<Long> back = buffered ? Chan.ofPointers(1) : Chan.ofPointers();
            Chan<Long> never = Chan.ofPointers();
            WaitGroup exited = new WaitGroup();
            exited.add(1);
            helpers.incrementAndGet();
            Go.go(() -> {
                int f = Roots.push(2);
                if (backBySelect) {
                    long[] got = new long[1];
                    Select.create().recv(never, (v, ok) -> { }).recv(there, (v, ok) -> got[0] = v).run();
                    Roots.set(f, got[0]);
                } else {
                    Roots.set(f, there.recv());
                }
                for (int i = 0; i < 20; i++) {
                    Roots.set(f + 1, newNode(-1));
                }
                if (backBySelect) {
                    Select.create().send(back, Roots.get(f), null).send(never, Roots.get(f), null).run();
                } else {
                    back.send(Roots.get(f));
                }
                Roots.pop(f);
                exited.done();
            });
            if (outBySelect) {
                Select.create().send(there, Roots.get(base + r), null).recv(never, (v, ok) -> { }).run();
            } else {
                there.send(Roots.get(base + r));
            }
            setRoot(r, 0, 0);                                // the channel and the courier hold it now
            for (int i = 0; i < 10; i++) {
                Roots.set(base + r, newNode(me));
            }
            Roots.set(base + r, back.recv());
            rootIds[r] = id;
            check(r);
            exited.await(); // its stack no longer holds anything: the final collections see a still heap
        }

        /** A short-lived goroutine that takes a global, builds on it, publishes, and exits. */
        private void helper(int r) {
            long hseed = rnd.nextLong();
            helpers.incrementAndGet();
            WaitGroup done = new WaitGroup();
            done.add(1);
            int global = me * GLOBALS_PER_MUTATOR;
            Globals.set(global, Roots.get(base + r));
            Go.go(() -> {
                SplittableRandom hr = new SplittableRandom(hseed);
                int f = Roots.push(3);
                Roots.set(f, Globals.get(global));
                for (int i = 0; i < 20; i++) {
                    Roots.set(f + 1, newNode(-1));
                    if (Roots.get(f) != 0) {
                        Roots.set(f + 2, Heap.loadPtr(Roots.get(f), hr.nextInt(SLOTS)));
                    }
                    long n = Roots.get(f + 1);
                    if (Roots.get(f + 2) != 0) {
                        Heap.storePtr(n, 0, Roots.get(f + 2));
                        Heap.storeLong(Roots.get(f + 1), 16, idOf(Roots.get(f + 2)));
                    }
                    Roots.set(f, Roots.get(f + 1));
                }
                Globals.set(global + 1, Roots.get(f));
                Roots.pop(f);
                done.done();
            });
            done.await();
        }

        /** The object in root slot r is the one this goroutine put there. */
        private void check(int r) {
            long obj = Roots.get(base + r);
            if (idOf(obj) != rootIds[r]) {
                throw new AssertionError(String.format("root slot %d of mutator %d holds object %d at 0x%x, expected %d",
                        r, me, idOf(obj), obj, rootIds[r]));
            }
            checkedObjects.incrementAndGet();
        }
    }

    /** Main, after every mutator finished and two collections: walk everything reachable. */
    private void verifyAll(long[] finalIds) {
        long results = Globals.get(RESULT_GLOBAL);
        int f = Roots.push(1);
        Roots.set(f, results);
        for (int i = 0; i < finalIds.length; i++) {
            long got = idOf(Heap.loadPtr(results, i));
            if (got != finalIds[i]) {
                throw new AssertionError("result " + i + " holds object " + got + ", expected " + finalIds[i]);
            }
        }
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
        for (int i = 0; i < finalIds.length; i++) {
            todo.add(Heap.loadPtr(results, i));
        }
        for (int g = 0; g < mutators * GLOBALS_PER_MUTATOR; g++) {
            todo.add(Globals.get(g));
        }
        // Loads are no safepoint: nothing is collected while this walk runs.
        while (!todo.isEmpty()) {
            long obj = todo.poll();
            if (obj == 0 || !seen.add(obj)) {
                continue;
            }
            for (int s = 0; s < SLOTS; s++) {
                long child = Heap.loadPtr(obj, s);
                if (idOf(child) != mirror(obj, s)) {
                    throw new AssertionError(String.format("object %d slot %d holds object %d, expected %d",
                            idOf(obj), s, idOf(child), mirror(obj, s)));
                }
                todo.add(child);
            }
        }
        checkedObjects.addAndGet(seen.size());
        Roots.pop(f);
        Go.report("fuzz.reachable", seen.size());
    }
}
