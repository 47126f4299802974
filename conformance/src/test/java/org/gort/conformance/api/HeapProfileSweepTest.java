package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.gort.api.Globals;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Roots;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heap profile's in-use figures follow the sweep (Go's mProf_Free): sampled objects a
 * cycle frees leave inuse_objects/inuse_space, even when their addresses hold new objects by
 * the time the profile is written; the objects still held stay in.
 */
class HeapProfileSweepTest {
    static final int N = 2000;

    @TempDir
    Path dir;

    /** Allocations nothing keeps. */
    static void garbageHot() {
        for (int i = 0; i < N; i++) {
            Heap.allocBytes(1000);
        }
    }

    /** Allocations of the same size, kept: they reuse the freed addresses. */
    static void liveHot() {
        int f = Roots.push(1);
        for (int i = 0; i < N; i++) {
            Roots.set(f, Heap.allocBytes(1000));
            Heap.storePtr(Globals.get(0), i, Roots.get(f));
        }
        Roots.pop(f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stw", "hybrid"})
    void sampledObjectsFreedBySweepLeaveTheInUseFigures(String gc) throws Exception {
        Path file = dir.resolve("heap-" + gc + ".pb.gz");
        RunResult r = Kit.run(Kit.config("gmp", 1).allocator("tcmalloc").collector(gc).memProfileRate(1).checkRoots(true)
                .profile("mem", file).build(), () -> {
            Globals.set(0, Heap.allocPointers(N));
            garbageHot();
            Heap.gc();
            Heap.gc();
            liveHot();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        String t = HeapProfileSweepTest.class.getName() + ".";
        Map<String, long[]> byLeaf = leafValues(file);
        long[] garbage = byLeaf.get(t + "garbageHot");
        long[] live = byLeaf.get(t + "liveHot");
        assertTrue(garbage != null && live != null, byLeaf.keySet().toString());
        assertEquals(N, garbage[0], "alloc_objects of the garbage (rate 1: every allocation)");
        assertEquals(0, garbage[2], "inuse_objects of the garbage the sweep freed");
        assertEquals(N, live[2], "inuse_objects of the objects still held");
    }

    /** Each sample's values summed by its leaf function (the first line of its first location). */
    static Map<String, long[]> leafValues(Path file) throws Exception {
        Descriptors.Descriptor d = ProfileTest.profileDescriptor();
        DynamicMessage p;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            p = DynamicMessage.parseFrom(d, in.readAllBytes());
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) p.getField(d.findFieldByName("string_table"));
        Map<Long, String> functions = new HashMap<>();
        for (Object o : (List<?>) p.getField(d.findFieldByName("function"))) {
            DynamicMessage fn = (DynamicMessage) o;
            functions.put((Long) field(fn, "id"), strings.get((int) (long) (Long) field(fn, "name")));
        }
        Map<Long, String> leafOfLocation = new HashMap<>();
        for (Object o : (List<?>) p.getField(d.findFieldByName("location"))) {
            DynamicMessage loc = (DynamicMessage) o;
            List<?> lines = (List<?>) field(loc, "line");
            if (!lines.isEmpty()) {
                leafOfLocation.put((Long) field(loc, "id"), functions.get((Long) field((DynamicMessage) lines.get(0), "function_id")));
            }
        }
        Map<String, long[]> out = new HashMap<>();
        for (Object o : (List<?>) p.getField(d.findFieldByName("sample"))) {
            DynamicMessage s = (DynamicMessage) o;
            List<?> locs = (List<?>) field(s, "location_id");
            List<?> values = (List<?>) field(s, "value");
            String leaf = locs.isEmpty() ? "" : leafOfLocation.get((Long) locs.get(0));
            long[] v = out.computeIfAbsent(leaf, k -> new long[values.size()]);
            for (int i = 0; i < values.size(); i++) {
                v[i] += (Long) values.get(i);
            }
        }
        return out;
    }

    private static Object field(DynamicMessage m, String name) {
        return m.getField(m.getDescriptorForType().findFieldByName(name));
    }
}
