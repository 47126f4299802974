package org.gort.kernel.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/*
 * A profile in pprof's format: google/pprof's proto/profile.proto, gzipped, as Go's
 * runtime/pprof writes it and `go tool pprof` reads it.
 *
 * The builder interns strings (string_table[0] is ""), functions by (name, file) and locations
 * by (function, line): a Java frame has no program counter, so a location is one source line of
 * one method, with a single Line entry. Samples list their locations leaf first, as pprof
 * expects. The encoder writes protobuf by hand: varints for integers, length-delimited fields
 * for strings and nested messages, packed repeated integers (proto3's default) for a sample's
 * location ids and values. No mapping is written: the functions carry names, files and lines.
 *
 * Field numbers (profile.proto): Profile sample_type 1, sample 2, location 4, function 5,
 * string_table 6, time_nanos 9, duration_nanos 10, period_type 11, period 12,
 * default_sample_type 14; ValueType type 1, unit 2; Sample location_id 1, value 2, label 3;
 * Label key 1, str 2, num 3; Location id 1, line 4; Line function_id 1, line 2;
 * Function id 1, name 2, system_name 3, filename 4.
 */
public final class Pprof {
    /** One frame of a sample's stack: {@code Class.method}, its file and line. */
    public record Frame(String function, String file, long line) {
        public static Frame of(StackTraceElement e) {
            return new Frame(e.getClassName() + "." + e.getMethodName(),
                    e.getFileName() == null ? "" : e.getFileName(), Math.max(0, e.getLineNumber()));
        }
    }

    private final List<String> strings = new ArrayList<>();
    private final Map<String, Long> stringIds = new HashMap<>();
    private final Map<String, Long> functionIds = new LinkedHashMap<>();
    private final List<long[]> functions = new ArrayList<>(); // id, name, systemName, filename
    private final Map<String, Long> locationIds = new LinkedHashMap<>();
    private final List<long[]> locations = new ArrayList<>(); // id, functionId, line
    private final List<long[]> sampleTypes = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<String[]> stringLabels = new ArrayList<>();
    private long[] periodType;
    private long period;
    private long timeNanos;
    private long durationNanos;
    private long defaultSampleType;

    private record Sample(long[] locationIds, long[] values, List<long[]> labels) {
    }

    /** A profile whose samples carry these {@code type/unit} values, in order (e.g. {@code "samples", "count"}). */
    public Pprof(String... typeUnitPairs) {
        strings.add("");
        stringIds.put("", 0L);
        for (int i = 0; i + 1 < typeUnitPairs.length; i += 2) {
            sampleTypes.add(new long[] {str(typeUnitPairs[i]), str(typeUnitPairs[i + 1])});
        }
    }

    public Pprof period(String type, String unit, long period) {
        this.periodType = new long[] {str(type), str(unit)};
        this.period = period;
        return this;
    }

    public Pprof time(long unixNanos, long durationNanos) {
        this.timeNanos = unixNanos;
        this.durationNanos = durationNanos;
        return this;
    }

    /** The sample type {@code go tool pprof} shows unless told otherwise (Go's heap profile: inuse_space). */
    public Pprof defaultSampleType(String type) {
        this.defaultSampleType = str(type);
        return this;
    }

    /** Adds a sample: its stack leaf first, one value per sample type. */
    public Pprof sample(List<Frame> stackLeafFirst, long... values) {
        return sample(stackLeafFirst, Map.of(), values);
    }

    /** Adds a sample with string labels (e.g. {@code state=chan receive}). */
    public Pprof sample(List<Frame> stackLeafFirst, Map<String, String> labels, long... values) {
        if (values.length != sampleTypes.size()) {
            throw new IllegalArgumentException("a sample needs " + sampleTypes.size() + " values, got " + values.length);
        }
        long[] ids = new long[stackLeafFirst.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = location(stackLeafFirst.get(i));
        }
        List<long[]> ls = new ArrayList<>();
        labels.forEach((k, v) -> ls.add(new long[] {str(k), str(v)}));
        samples.add(new Sample(ids, values.clone(), ls));
        return this;
    }

    private long str(String s) {
        Long id = stringIds.get(s);
        if (id == null) {
            id = (long) strings.size();
            strings.add(s);
            stringIds.put(s, id);
        }
        return id;
    }

    private long function(Frame f) {
        String key = f.function() + "\u0000" + f.file();
        Long id = functionIds.get(key);
        if (id == null) {
            id = (long) functions.size() + 1;
            functions.add(new long[] {id, str(f.function()), str(f.function()), str(f.file())});
            functionIds.put(key, id);
        }
        return id;
    }

    private long location(Frame f) {
        long fn = function(f);
        String key = fn + ":" + f.line();
        Long id = locationIds.get(key);
        if (id == null) {
            id = (long) locations.size() + 1;
            locations.add(new long[] {id, fn, f.line()});
            locationIds.put(key, id);
        }
        return id;
    }

    /** The encoded {@code Profile} message, not compressed. */
    public byte[] encode() {
        Proto p = new Proto();
        for (long[] vt : sampleTypes) {
            p.message(1, valueType(vt));
        }
        for (Sample s : samples) {
            Proto m = new Proto();
            m.packed(1, s.locationIds);
            m.packed(2, s.values);
            for (long[] l : s.labels) {
                Proto label = new Proto();
                label.int64(1, l[0]);
                label.int64(2, l[1]);
                m.message(3, label);
            }
            p.message(2, m);
        }
        for (long[] loc : locations) {
            Proto m = new Proto();
            m.int64(1, loc[0]);
            Proto line = new Proto();
            line.int64(1, loc[1]);
            line.int64(2, loc[2]);
            m.message(4, line);
            p.message(4, m);
        }
        for (long[] fn : functions) {
            Proto m = new Proto();
            m.int64(1, fn[0]);
            m.int64(2, fn[1]);
            m.int64(3, fn[2]);
            m.int64(4, fn[3]);
            p.message(5, m);
        }
        for (String s : strings) {
            p.string(6, s);
        }
        p.int64(9, timeNanos);
        p.int64(10, durationNanos);
        if (periodType != null) {
            p.message(11, valueType(periodType));
            p.int64(12, period);
        }
        p.int64(14, defaultSampleType);
        return p.bytes();
    }

    private static Proto valueType(long[] vt) {
        Proto m = new Proto();
        m.int64(1, vt[0]);
        m.int64(2, vt[1]);
        return m;
    }

    /** Writes the profile gzipped, as {@code go tool pprof} reads it. */
    public void write(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(encode());
        }
    }

    /** A protobuf message being written: fields in the order they are added. */
    static final class Proto {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        void int64(int field, long v) {
            if (v == 0) {
                return; // proto3: a zero scalar is not written
            }
            varint((long) field << 3);
            varint(v);
        }

        void string(int field, String s) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            varint((long) field << 3 | 2);
            varint(b.length);
            buf.writeBytes(b);
        }

        void message(int field, Proto m) {
            byte[] b = m.bytes();
            varint((long) field << 3 | 2);
            varint(b.length);
            buf.writeBytes(b);
        }

        void packed(int field, long[] vs) {
            if (vs.length == 0) {
                return;
            }
            Proto inner = new Proto();
            for (long v : vs) {
                inner.varint(v);
            }
            byte[] b = inner.bytes();
            varint((long) field << 3 | 2);
            varint(b.length);
            buf.writeBytes(b);
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf.write((int) v);
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
