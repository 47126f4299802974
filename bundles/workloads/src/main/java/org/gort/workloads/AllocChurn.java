package org.gort.workloads;

import java.util.List;
import org.gort.api.Check;
import org.gort.api.Globals;
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
 * The allocator's workout: a seeded stream of allocations across the whole size range (tiny
 * noscan objects under 16 bytes that Go packs into one block, small structs with pointers,
 * byte and pointer arrays up to 32 KiB, and large objects beyond {@code MaxSmallSize}), of
 * which a fraction {@code liveRatio} is kept in a live table, each kept object evicting a random
 * older one. What survives is scattered over every size class, which is what fragments spans.
 *
 * <p>Each of {@code workers} goroutines (one per P, ideally) has its own table, a {@code []*}
 * in a global slot, and its own stream. Every object carries values from the stream; structs and
 * pointer arrays also point at objects already in the table, so the collector must trace
 * through the table and the objects. At the end each worker walks its table and folds what it
 * reads back (type, length, values, and the values of the objects pointed to) into a checksum.
 *
 * <p>The check replays the same streams in plain Java objects and computes the checksum from
 * them: an object freed while live, two objects overlapping, or a lost pointer changes it.
 * Output: {@code objects: <n> kept: <count> live: <non-nil slots> checksum: <hex>}. Reported:
 * {@code checksum} (low 52 bits), {@code alloc.ns} (wall time per allocation).
 */
@Component(service = Workload.class, property = "gort.workload.name=alloc-churn")
public final class AllocChurn extends StandardWorkload {
    static final Type TINY = Type.register("alloc-churn.Tiny", 0, 8);
    static final Type NODE = Type.register("alloc-churn.Node", 2, 16);
    /** Global slots {@code TABLE_GLOBAL .. TABLE_GLOBAL + workers - 1} hold the live tables. */
    static final int TABLE_GLOBAL = 0;
    static final int MAX_WORKERS = 1024;

    /** The kinds of object in the stream, with their share per thousand draws. */
    enum Kind {
        TINY_STRUCT(300), TINY_BYTES(100), NODE(270), SMALL_BYTES(200), POINTERS(109), MEDIUM_BYTES(20), LARGE_BYTES(1);

        final int perMille;

        Kind(int perMille) {
            this.perMille = perMille;
        }

        static Kind draw(Mix.Random r) {
            int x = r.nextInt(1000);
            for (Kind k : values()) {
                if (x < k.perMille) {
                    return k;
                }
                x -= k.perMille;
            }
            throw new AssertionError("shares do not add up to 1000");
        }

        /** Byte length of a byte array, element count of a pointer array, 0 for structs. */
        int drawLength(Mix.Random r) {
            return switch (this) {
                case TINY_STRUCT, NODE -> 0;
                case TINY_BYTES -> r.between(1, 7);              // 8 + length < 16 bytes: tiny, noscan
                case SMALL_BYTES -> r.between(16, 1024);           // room for v and ~v without overlap
                case POINTERS -> r.between(1, 16);
                case MEDIUM_BYTES -> r.between(1025, 32 * 1024 - 8); // still a small object (<= 32 KiB)
                case LARGE_BYTES -> r.between(32 * 1024 + 1, 256 * 1024);
            };
        }
    }

    public AllocChurn() {
        super("alloc-churn", "allocator: a seeded mix of tiny, small, pointer-array and large objects, a fraction kept live",
                Param.ofInt("objects", 200_000, "allocations in all").atLeast(0),
                Param.ofDouble("liveRatio", 0.25, "fraction of allocations kept in a live table (each evicts a random older one)").range(0.0, 1.0),
                Param.ofInt("table", 4096, "slots of each worker's live table").atLeast(1),
                Param.ofInt("workers", 2, "allocating goroutines, each with its own table and stream").range(1, MAX_WORKERS),
                Param.ofLong("seed", 1, "seed of the allocation streams"));
    }

    @Override
    void run(Params p) {
        int objects = p.intValue("objects");
        int workers = p.intValue("workers");
        int table = p.intValue("table");
        double liveRatio = p.doubleValue("liveRatio");
        long seed = p.longValue("seed");
        long[] hashes = new long[workers];
        long[] kept = new long[workers];
        long[] live = new long[workers];
        WaitGroup wg = new WaitGroup();
        wg.add(workers);
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Go.go(() -> {
                Stream s = new Stream(seed, worker, share(objects, workers, worker), liveRatio, table);
                kept[worker] = churn(s, TABLE_GLOBAL + worker);
                long t = Globals.get(TABLE_GLOBAL + worker);
                long h = 0;
                long n = 0;
                for (int i = 0; i < table; i++) {
                    long obj = Heap.loadPtr(t, i);
                    n += obj == 0 ? 0 : 1;
                    h = Mix.fold(Mix.fold(h, i), describe(obj));
                }
                Globals.set(TABLE_GLOBAL + worker, 0);
                hashes[worker] = h;
                live[worker] = n;
                wg.done();
            });
        }
        wg.await();
        long elapsed = System.nanoTime() - start;
        long checksum = 0;
        for (long h : hashes) {
            checksum = Mix.fold(checksum, h);
        }
        Go.println(summary(objects, sum(kept), sum(live), checksum));
        Go.report("checksum", Mix.reportable(checksum));
        Go.report("alloc.ns", objects == 0 ? 0 : (double) elapsed / objects);
    }

    private static String summary(long objects, long kept, long live, long checksum) {
        return "objects: " + objects + " kept: " + kept + " live: " + live + " checksum: " + Mix.hex(checksum);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }

    static int share(int objects, int workers, int worker) {
        return objects / workers + (worker < objects % workers ? 1 : 0);
    }

    /** One worker's draws, in the order both the program and the check consume them. */
    static final class Stream {
        final Mix.Random r;
        final int count;
        final double liveRatio;
        final int table;

        Stream(long seed, int worker, int count, double liveRatio, int table) {
            this.r = new Mix.Random(Mix.mix64(seed) + worker * Mix.GOLDEN);
            this.count = count;
            this.liveRatio = liveRatio;
            this.table = table;
        }
    }

    /** Allocates the worker's stream on the heap; returns how many objects it kept. */
    private static long churn(Stream s, int global) {
        Mix.Random r = s.r;
        int f = Roots.push(2); // the table until a global holds it, then the newest object
        Roots.set(f, Heap.allocPointers(s.table));
        Globals.set(global, Roots.get(f));
        long table = Roots.get(f);
        Roots.set(f, 0); // from now on only the global keeps the table alive
        long keptCount = 0;
        for (int i = 0; i < s.count; i++) {
            Kind kind = Kind.draw(r);
            int length = kind.drawLength(r);
            long v = r.next();
            long obj = switch (kind) {
                case TINY_STRUCT -> Heap.alloc(TINY);
                case NODE -> Heap.alloc(NODE);
                case POINTERS -> Heap.allocPointers(length);
                case TINY_BYTES, SMALL_BYTES, MEDIUM_BYTES, LARGE_BYTES -> Heap.allocBytes(length);
            };
            Roots.set(f + 1, obj);
            switch (kind) {
                case TINY_STRUCT -> Heap.storeLong(obj, 0, v);
                case TINY_BYTES -> {
                    for (int k = 0; k < length; k++) {
                        Heap.storeByte(obj, k, (byte) (v >>> (8 * k)));
                    }
                }
                case NODE -> {
                    Heap.storeLong(obj, 0, v);
                    Heap.storeLong(obj, 8, ~v);
                    // the target stays in the table meanwhile: only this worker writes it
                    Heap.storePtr(obj, 0, Heap.loadPtr(table, r.nextInt(s.table)));
                }
                case POINTERS -> {
                    for (int k = 0; k < length; k++) {
                        Heap.storePtr(obj, k, Heap.loadPtr(table, r.nextInt(s.table)));
                    }
                }
                case SMALL_BYTES, MEDIUM_BYTES, LARGE_BYTES -> {
                    Heap.storeLong(obj, 0, v);
                    Heap.storeLong(obj, length - 8, ~v);
                }
            }
            if (r.chance(s.liveRatio)) {
                Heap.storePtr(table, r.nextInt(s.table), obj);
                keptCount++;
            }
        }
        Roots.pop(f);
        return keptCount;
    }

    /** What a table slot holds, as read back from the heap: kind, length, values, and the values it points to. */
    private static long describe(long obj) {
        if (obj == 0) {
            return -1;
        }
        Type t = Heap.typeOf(obj);
        if (t == TINY) {
            return Mix.fold(1, Heap.loadLong(obj, 0));
        }
        if (t == NODE) {
            return Mix.fold(Mix.fold(Mix.fold(3, Heap.loadLong(obj, 0)), Heap.loadLong(obj, 8)), identity(Heap.loadPtr(obj, 0)));
        }
        int length = Heap.length(obj);
        if (t == Type.POINTERS) {
            long h = Mix.fold(5, length);
            for (int k = 0; k < length; k++) {
                h = Mix.fold(h, identity(Heap.loadPtr(obj, k)));
            }
            return h;
        }
        if (length < 8) {
            return Mix.fold(Mix.fold(2, length), identity(obj));
        }
        return Mix.fold(Mix.fold(Mix.fold(4, length), Heap.loadLong(obj, 0)), Heap.loadLong(obj, length - 8));
    }

    /** A pointed-to object's value: the stream value it was made with (a pointer array: its length). */
    private static long identity(long obj) {
        if (obj == 0) {
            return -1;
        }
        Type t = Heap.typeOf(obj);
        if (t == TINY || t == NODE) {
            return Heap.loadLong(obj, 0);
        }
        int length = Heap.length(obj);
        if (t == Type.POINTERS) {
            return length;
        }
        if (length < 8) {
            long v = 0;
            for (int k = 0; k < length; k++) {
                v |= (Heap.loadByte(obj, k) & 0xFFL) << (8 * k);
            }
            return v;
        }
        return Heap.loadLong(obj, 0);
    }

    // ------------------------------------------------------------------ the check's replay

    /** An object of the replay: what the program stored in its heap object. */
    private record Model(Kind kind, int length, long v, Model[] refs) {
        long identity() {
            return switch (kind) {
                case TINY_STRUCT, NODE, SMALL_BYTES, MEDIUM_BYTES, LARGE_BYTES -> v;
                case POINTERS -> length;
                case TINY_BYTES -> v & ((1L << (8 * length)) - 1); // length < 8: the bytes stored
            };
        }

        long describe() {
            return switch (kind) {
                case TINY_STRUCT -> Mix.fold(1, v);
                case NODE -> Mix.fold(Mix.fold(Mix.fold(3, v), ~v), identityOf(refs[0]));
                case POINTERS -> {
                    long h = Mix.fold(5, length);
                    for (Model m : refs) {
                        h = Mix.fold(h, identityOf(m));
                    }
                    yield h;
                }
                case TINY_BYTES -> Mix.fold(Mix.fold(2, length), identity());
                case SMALL_BYTES, MEDIUM_BYTES, LARGE_BYTES -> Mix.fold(Mix.fold(Mix.fold(4, length), v), ~v);
            };
        }

        static long identityOf(Model m) {
            return m == null ? -1 : m.identity();
        }
    }

    @Override
    public Check check(Params p, List<String> output) {
        int objects = p.intValue("objects");
        int workers = p.intValue("workers");
        int tableSize = p.intValue("table");
        long checksum = 0;
        long kept = 0;
        long live = 0;
        for (int w = 0; w < workers; w++) {
            Stream s = new Stream(p.longValue("seed"), w, share(objects, workers, w), p.doubleValue("liveRatio"), tableSize);
            Mix.Random r = s.r;
            Model[] table = new Model[tableSize];
            for (int i = 0; i < s.count; i++) {
                Kind kind = Kind.draw(r);
                int length = kind.drawLength(r);
                long v = r.next();
                Model[] refs = switch (kind) {
                    case NODE -> new Model[] {table[r.nextInt(tableSize)]};
                    case POINTERS -> {
                        Model[] a = new Model[length];
                        for (int k = 0; k < length; k++) {
                            a[k] = table[r.nextInt(tableSize)];
                        }
                        yield a;
                    }
                    default -> new Model[0];
                };
                Model m = new Model(kind, length, v, refs);
                if (r.chance(s.liveRatio)) {
                    table[r.nextInt(tableSize)] = m;
                    kept++;
                }
            }
            long h = 0;
            for (int i = 0; i < tableSize; i++) {
                live += table[i] == null ? 0 : 1;
                h = Mix.fold(Mix.fold(h, i), table[i] == null ? -1 : table[i].describe());
            }
            checksum = Mix.fold(checksum, h);
        }
        return Check.expectLines(List.of(summary(objects, kept, live, checksum)), output);
    }
}
