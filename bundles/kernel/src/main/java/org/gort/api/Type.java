package org.gort.api;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.gort.kernel.heap.ObjectLayout;

/**
 * A heap object type: a name, a number of pointer slots and a number of scalar bytes (Go's
 * {@code _type} reduced to what a collector needs). Types are registered once, globally, and
 * shared by every runtime instance; a type without pointer slots is "noscan" and never
 * scanned by the collector. Two built-in types describe arrays: {@link #BYTES} and
 * {@link #POINTERS}.
 *
 * <pre>{@code
 * static final Type NODE = Type.register("Node", 2, 8);   // left, right, long value
 * }</pre>
 */
public final class Type {
    private static final Object LOCK = new Object();
    private static final Map<String, Type> BY_NAME = new HashMap<>();
    private static volatile Type[] byId = new Type[16];
    private static int nextId = ObjectLayout.POINTERS_TYPE_ID + 1;

    /** {@code []byte}: a noscan array of bytes; see {@link Heap#allocBytes}. */
    public static final Type BYTES = define(ObjectLayout.BYTES_TYPE_ID, "[]byte", 0, 0, true);
    /** {@code []*T}: an array of pointer slots; see {@link Heap#allocPointers}. */
    public static final Type POINTERS = define(ObjectLayout.POINTERS_TYPE_ID, "[]*", 0, 0, true);

    private final int id;
    private final String name;
    private final int pointerSlots;
    private final int scalarBytes;
    private final boolean array;
    private final long size;
    private final long scalarOffset;

    private Type(int id, String name, int pointerSlots, int scalarBytes, boolean array) {
        this.id = id;
        this.name = name;
        this.pointerSlots = pointerSlots;
        this.scalarBytes = scalarBytes;
        this.array = array;
        this.size = array ? 0 : ObjectLayout.structSize(pointerSlots, scalarBytes);
        this.scalarOffset = array ? ObjectLayout.SLOTS_OFFSET : ObjectLayout.scalarOffset(pointerSlots);
    }

    /**
     * Registers a struct type, or returns the one already registered under {@code name} with
     * the same shape.
     *
     * @throws IllegalArgumentException if {@code name} is taken by a different shape, or a count is negative
     */
    public static Type register(String name, int pointerSlots, int scalarBytes) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a type needs a name");
        }
        if (pointerSlots < 0 || scalarBytes < 0) {
            throw new IllegalArgumentException("type " + name + ": pointer slots and scalar bytes must be >= 0, got "
                    + pointerSlots + " and " + scalarBytes);
        }
        if (pointerSlots > (1 << 26) || scalarBytes > (1 << 30)) {
            throw new IllegalArgumentException("type " + name + " is too large (" + pointerSlots + " pointer slots, "
                    + scalarBytes + " scalar bytes): use an array type for big data");
        }
        synchronized (LOCK) {
            Type t = BY_NAME.get(name);
            if (t != null) {
                if (t.array || t.pointerSlots != pointerSlots || t.scalarBytes != scalarBytes) {
                    throw new IllegalArgumentException("type " + name + " is already registered as " + t.shape()
                            + ", not " + pointerSlots + " pointer slots and " + scalarBytes + " scalar bytes");
                }
                return t;
            }
            return define(nextId++, name, pointerSlots, scalarBytes, false);
        }
    }

    private static Type define(int id, String name, int pointerSlots, int scalarBytes, boolean array) {
        synchronized (LOCK) {
            if (id > ObjectLayout.MAX_TYPE_ID) {
                throw new IllegalStateException("too many heap types: at most " + ObjectLayout.MAX_TYPE_ID);
            }
            Type t = new Type(id, name, pointerSlots, scalarBytes, array);
            Type[] ids = byId;
            if (id >= ids.length) {
                ids = Arrays.copyOf(ids, Math.max(id + 1, ids.length * 2));
            } else {
                ids = ids.clone();
            }
            ids[id] = t;
            byId = ids;
            ObjectLayout.typeRegistered(id);
            BY_NAME.put(name, t);
            return t;
        }
    }

    /** The type registered with {@code id}, or null. */
    public static Type byId(int id) {
        Type[] ids = byId;
        return id > 0 && id < ids.length ? ids[id] : null;
    }

    /** The type registered under {@code name}, or null. */
    public static Type byName(String name) {
        synchronized (LOCK) {
            return BY_NAME.get(name);
        }
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Pointer slots of a struct type; 0 for the array types (their length is per object). */
    public int pointerSlots() {
        return pointerSlots;
    }

    /** Scalar bytes of a struct type; 0 for the array types. */
    public int scalarBytes() {
        return scalarBytes;
    }

    /** True for {@link #BYTES} and {@link #POINTERS}. */
    public boolean isArray() {
        return array;
    }

    /** True if objects of this type hold no pointers (Go's noscan); an empty pointer array is noscan too. */
    public boolean noscan() {
        return this == BYTES || (!array && pointerSlots == 0);
    }

    /** Bytes an object of this struct type occupies, header included; 0 for the array types. */
    public long size() {
        return size;
    }

    /** Offset of the first scalar byte (for arrays: of the first element). */
    public long scalarOffset() {
        return scalarOffset;
    }

    private String shape() {
        return array ? "an array type" : pointerSlots + " pointer slots and " + scalarBytes + " scalar bytes";
    }

    @Override
    public String toString() {
        return name;
    }
}
