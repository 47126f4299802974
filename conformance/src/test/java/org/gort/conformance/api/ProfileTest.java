package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Mutex;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every profile kind gort writes, read two ways: decoded with protobuf-java against
 * profile.proto's messages, and opened by Go's own {@code go tool pprof} (-top and -traces),
 * whose top function must be the one the program spends its time, memory, waits or goroutines
 * in. The go tool part is skipped only where there is no {@code go} command.
 */
class ProfileTest {
    @TempDir
    static Path dir;
    static RunResult result;

    /** Burns CPU with safepoints, so the CPU profile sees it on an M. */
    static long cpuHot(long n) {
        long x = 0;
        for (long i = 0; i < n; i++) {
            x += i * 31 ^ x;
            if ((i & 0xFFFF) == 0) {
                Go.checkpoint();
            }
        }
        return x;
    }

    static void allocHot() {
        for (int i = 0; i < 20_000; i++) {
            Heap.allocBytes(1000);
        }
    }

    /** One receive from {@code c}; false once {@code c} is closed ({@code v, ok := <-c}). */
    static boolean blockHot(Chan<Integer> c) {
        return c.recv2().ok();
    }

    static void lockHot(Mutex mu) {
        mu.lock();
        try {
            cpuHot(200_000);
        } finally {
            unlockHot(mu);
        }
    }

    /** The unlock that wakes a waiter: the mutex profile charges the wait here, as Go does. */
    static void unlockHot(Mutex mu) {
        mu.unlock();
    }

    static void leakHot(Chan<Integer> c) {
        c.recv(); // nobody will ever send
    }

    @BeforeAll
    static void runOnce() {
        RuntimeConfig.Builder b = Kit.config("gmp", 2).allocator("tcmalloc").collector("hybrid").memProfileRate(64 * 1024);
        for (String kind : RuntimeConfig.Builder.PROFILE_KINDS) {
            b.profile(kind, dir.resolve(kind + ".pb.gz"));
        }
        result = Kit.run(b.build(), () -> {
            WaitGroup wg = new WaitGroup();
            Chan<Integer> c = Chan.make();
            wg.add(3);
            Go.go(() -> { blockHot(c); wg.done(); });
            Mutex mu = new Mutex();
            mu.lock(); // both lockers wait at least once, however the machine schedules them
            WaitGroup started = new WaitGroup();
            started.add(2);
            for (int i = 0; i < 2; i++) {
                Go.go(() -> {
                    started.done();
                    for (int k = 0; k < 20; k++) {
                        lockHot(mu);
                    }
                    wg.done();
                });
            }
            started.await();
            Go.sleep(Duration.ofMillis(50)); // they park on the mutex
            unlockHot(mu);
            for (int i = 0; i < 3; i++) {
                Chan<Integer> never = Chan.make();
                Go.go(() -> leakHot(never));
            }
            allocHot();
            Go.println(Long.toString(cpuHot(400_000_000L)));
            c.send(1);
            wg.await();
            Go.sleep(Duration.ofMillis(100)); // the leaking goroutines are parked by now
        });
    }

    // ------------------------------------------------------------------ protobuf-java against profile.proto

    /** profile.proto's messages, as its descriptor (google/pprof proto/profile.proto, field numbers and types). */
    static Descriptors.Descriptor profileDescriptor() throws Descriptors.DescriptorValidationException {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("profile.proto").setPackage("perftools.profiles")
                .setSyntax("proto3")
                .addMessageType(message("Profile",
                        f("sample_type", 1, Type.TYPE_MESSAGE, true, "ValueType"), f("sample", 2, Type.TYPE_MESSAGE, true, "Sample"),
                        f("mapping", 3, Type.TYPE_MESSAGE, true, "Mapping"), f("location", 4, Type.TYPE_MESSAGE, true, "Location"),
                        f("function", 5, Type.TYPE_MESSAGE, true, "Function"), f("string_table", 6, Type.TYPE_STRING, true, null),
                        f("drop_frames", 7, Type.TYPE_INT64, false, null), f("keep_frames", 8, Type.TYPE_INT64, false, null),
                        f("time_nanos", 9, Type.TYPE_INT64, false, null), f("duration_nanos", 10, Type.TYPE_INT64, false, null),
                        f("period_type", 11, Type.TYPE_MESSAGE, false, "ValueType"), f("period", 12, Type.TYPE_INT64, false, null),
                        f("comment", 13, Type.TYPE_INT64, true, null), f("default_sample_type", 14, Type.TYPE_INT64, false, null),
                        f("doc_url", 15, Type.TYPE_INT64, false, null)))
                .addMessageType(message("ValueType", f("type", 1, Type.TYPE_INT64, false, null), f("unit", 2, Type.TYPE_INT64, false, null)))
                .addMessageType(message("Sample", f("location_id", 1, Type.TYPE_UINT64, true, null),
                        f("value", 2, Type.TYPE_INT64, true, null), f("label", 3, Type.TYPE_MESSAGE, true, "Label")))
                .addMessageType(message("Label", f("key", 1, Type.TYPE_INT64, false, null), f("str", 2, Type.TYPE_INT64, false, null),
                        f("num", 3, Type.TYPE_INT64, false, null), f("num_unit", 4, Type.TYPE_INT64, false, null)))
                .addMessageType(message("Mapping", f("id", 1, Type.TYPE_UINT64, false, null),
                        f("memory_start", 2, Type.TYPE_UINT64, false, null), f("memory_limit", 3, Type.TYPE_UINT64, false, null),
                        f("file_offset", 4, Type.TYPE_UINT64, false, null), f("filename", 5, Type.TYPE_INT64, false, null),
                        f("build_id", 6, Type.TYPE_INT64, false, null), f("has_functions", 7, Type.TYPE_BOOL, false, null),
                        f("has_filenames", 8, Type.TYPE_BOOL, false, null), f("has_line_numbers", 9, Type.TYPE_BOOL, false, null),
                        f("has_inline_frames", 10, Type.TYPE_BOOL, false, null)))
                .addMessageType(message("Location", f("id", 1, Type.TYPE_UINT64, false, null), f("mapping_id", 2, Type.TYPE_UINT64, false, null),
                        f("address", 3, Type.TYPE_UINT64, false, null), f("line", 4, Type.TYPE_MESSAGE, true, "Line"),
                        f("is_folded", 5, Type.TYPE_BOOL, false, null)))
                .addMessageType(message("Line", f("function_id", 1, Type.TYPE_UINT64, false, null), f("line", 2, Type.TYPE_INT64, false, null),
                        f("column", 3, Type.TYPE_INT64, false, null)))
                .addMessageType(message("Function", f("id", 1, Type.TYPE_UINT64, false, null), f("name", 2, Type.TYPE_INT64, false, null),
                        f("system_name", 3, Type.TYPE_INT64, false, null), f("filename", 4, Type.TYPE_INT64, false, null),
                        f("start_line", 5, Type.TYPE_INT64, false, null)))
                .build();
        return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]).findMessageTypeByName("Profile");
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            b.addField(f);
        }
        return b.build();
    }

    private static FieldDescriptorProto f(String name, int number, Type type, boolean repeated, String typeName) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
        if (typeName != null) {
            b.setTypeName(".perftools.profiles." + typeName);
        }
        return b.build();
    }

    /** The decoded profile's sample types ({@code type/unit}) and the function names its samples reach. */
    record Decoded(List<String> sampleTypes, List<String> functions, long samples, long period) {
    }

    static Decoded decode(String kind) throws Exception {
        return decode(dir.resolve(kind + ".pb.gz"));
    }

    static Decoded decode(Path file) throws Exception {
        Descriptors.Descriptor d = profileDescriptor();
        DynamicMessage p;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            p = DynamicMessage.parseFrom(d, in.readAllBytes());
        }
        assertTrue(p.getUnknownFields().asMap().isEmpty(), "every field is one of profile.proto's");
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) p.getField(d.findFieldByName("string_table"));
        assertEquals("", strings.get(0), "string_table[0] is the empty string");
        List<String> types = new ArrayList<>();
        for (Object o : (List<?>) p.getField(d.findFieldByName("sample_type"))) {
            DynamicMessage vt = (DynamicMessage) o;
            types.add(strings.get((int) (long) vt.getField(vt.getDescriptorForType().findFieldByName("type"))) + "/"
                    + strings.get((int) (long) vt.getField(vt.getDescriptorForType().findFieldByName("unit"))));
        }
        List<String> functions = new ArrayList<>();
        for (Object o : (List<?>) p.getField(d.findFieldByName("function"))) {
            DynamicMessage fn = (DynamicMessage) o;
            functions.add(strings.get((int) (long) fn.getField(fn.getDescriptorForType().findFieldByName("name"))));
        }
        long samples = ((List<?>) p.getField(d.findFieldByName("sample"))).size();
        return new Decoded(types, functions, samples, (long) p.getField(d.findFieldByName("period")));
    }

    @Test
    void theRunEndedWellAndFoundItsLeaks() {
        assertEquals(RunStatus.OK, result.status(), result.failure());
        assertEquals(3, (long) result.metrics().get("run.goroutines.leaked"), result.failure());
    }

    @Test
    void everyProfileDecodesWithProtobufJavaWithGosSampleTypes() throws Exception {
        String t = ProfileTest.class.getName() + ".";
        Map<String, List<String>> types = Map.of(
                "cpu", List.of("samples/count", "cpu/nanoseconds"),
                "mem", List.of("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"),
                "block", List.of("contentions/count", "delay/nanoseconds"),
                "mutex", List.of("contentions/count", "delay/nanoseconds"),
                "goroutine", List.of("goroutine/count"),
                "leak", List.of("goroutine/count"));
        Map<String, String> hot = Map.of("cpu", "cpuHot", "mem", "allocHot", "block", "blockHot", "mutex", "unlockHot",
                "goroutine", "leakHot", "leak", "leakHot");
        for (String kind : RuntimeConfig.Builder.PROFILE_KINDS) {
            Decoded d = decode(kind);
            assertEquals(types.get(kind), d.sampleTypes(), kind);
            assertTrue(d.samples() > 0, kind + " has no sample");
            assertTrue(d.functions().contains(t + hot.get(kind)), kind + ": " + d.functions());
        }
        assertEquals(10_000_000L, decode("cpu").period(), "the CPU profile's period is 10 ms (100 Hz)");
        assertEquals(64 * 1024L, decode("mem").period(), "the heap profile's period is MemProfileRate");
    }

    // ------------------------------------------------------------------ Go's own tool

    static boolean hasGo() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String pprof(String option, String kind, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("go", "tool", "pprof", option));
        cmd.addAll(List.of(more));
        cmd.add(dir.resolve(kind + ".pb.gz").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "go tool pprof did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The function of -top's first row (the largest flat value). */
    static String topFunction(String top) {
        List<String> lines = top.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).trim().startsWith("flat")) {
                String[] cols = lines.get(i + 1).trim().split("\\s+");
                return cols[cols.length - 1];
            }
        }
        return "(no rows) " + top;
    }

    @Test
    void goToolPprofOpensEveryKindWithTheExpectedFunctionOnTop() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasGo(), "no go command here (install golang-go to run go tool pprof)");
        String t = ProfileTest.class.getName() + ".";
        assertEquals(t + "cpuHot", topFunction(pprof("-top", "cpu")));
        assertEquals(t + "allocHot", topFunction(pprof("-top", "mem", "-sample_index=alloc_space")));
        assertEquals(t + "blockHot", topFunction(pprof("-top", "block", "-focus=" + "blockHot")));
        assertEquals(t + "unlockHot", topFunction(pprof("-top", "mutex"))); // the unlocker, as in Go
        assertEquals(t + "leakHot", topFunction(pprof("-top", "goroutine")));
        assertEquals(t + "leakHot", topFunction(pprof("-top", "leak")));
        for (String kind : RuntimeConfig.Builder.PROFILE_KINDS) {
            String traces = pprof("-traces", kind);
            assertTrue(traces.contains(t), kind + " -traces shows no program frame: " + traces);
        }
        assertTrue(pprof("-traces", "leak", "-lines").contains("ProfileTest.java:"), "frames carry file:line");
    }
}
