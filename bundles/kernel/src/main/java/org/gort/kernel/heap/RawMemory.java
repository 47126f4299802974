package org.gort.kernel.heap;

import jdk.internal.misc.Unsafe;

/*
 * Raw memory access.
 *
 * The heap's objects and its mark bits are read and written by absolute address through the
 * JDK's internal Unsafe (exported to gort with --add-exports java.base/jdk.internal.misc), not
 * through MemorySegment var handles. Once C2 has inlined them both are one machine instruction;
 * before that, a var handle access is a chain of a dozen calls (the handle's guards, the
 * segment's liveness and bounds checks, ScopedMemoryAccess) that the interpreter and C1 execute
 * call by call and that C2 compiles again into every caller. A short run lives in that "before":
 * cold binary-trees took 12% (n=16) and 21% (n=18) more CPU with var handles.
 *
 * What the segment checked on each access is checked once, by whoever makes the address:
 *
 *   bounds    ManagedHeap checks every address a program passes (nil, outside the reservation,
 *             misaligned, no header) before touching memory; the HeapView and MarkBitmap entry
 *             points that collectors and allocators call check their address against the
 *             reservation. Nothing reaches these methods outside the mapped range.
 *   liveness  the reservation is unmapped only when no thread of the run can still reach it:
 *             ManagedHeap.close after every M has been joined; a run that strands an M (a
 *             goroutine in a loop with no safepoint) abandons its heap instead, which stays
 *             mapped with its pages released (ManagedHeap.abandon).
 *
 * Bulk copies (zeroing spans, clearing mark words, copying bytes in and out) stay
 * MemorySegment.copy: one call per block, where the segment's checks cost nothing.
 *
 * Acquire and release have the meaning of VarHandle's getAcquire and setRelease; the bitwise
 * read-modify-writes are atomic.
 */
final class RawMemory {
    private static final Unsafe U = Unsafe.getUnsafe();

    private RawMemory() {
    }

    static int getInt(long address) {
        return U.getInt(null, address);
    }

    static void putInt(long address, int v) {
        U.putInt(null, address, v);
    }

    static int getIntAcquire(long address) {
        return U.getIntAcquire(null, address);
    }

    static void putIntRelease(long address, int v) {
        U.putIntRelease(null, address, v);
    }

    static long getLong(long address) {
        return U.getLong(null, address);
    }

    static void putLong(long address, long v) {
        U.putLong(null, address, v);
    }

    static long getLongAcquire(long address) {
        return U.getLongAcquire(null, address);
    }

    static void putLongRelease(long address, long v) {
        U.putLongRelease(null, address, v);
    }

    static long getLongUnaligned(long address) {
        return U.getLongUnaligned(null, address);
    }

    static void putLongUnaligned(long address, long v) {
        U.putLongUnaligned(null, address, v);
    }

    static int getIntUnaligned(long address) {
        return U.getIntUnaligned(null, address);
    }

    static void putIntUnaligned(long address, int v) {
        U.putIntUnaligned(null, address, v);
    }

    static byte getByte(long address) {
        return U.getByte(null, address);
    }

    static void putByte(long address, byte v) {
        U.putByte(null, address, v);
    }

    static long getAndBitwiseOrLong(long address, long mask) {
        return U.getAndBitwiseOrLong(null, address, mask);
    }

    static long getAndBitwiseAndLong(long address, long mask) {
        return U.getAndBitwiseAndLong(null, address, mask);
    }
}
