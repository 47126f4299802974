package org.gort.kernel.heap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Reserves address space without committing it (Go's {@code sysReserve}).
 *
 * <p>{@code Arena.allocate} zero-fills what it allocates, which touches, and so commits, every
 * page at once (about 3.5 s and 2 GiB of resident memory for a 2 GiB heap). On Linux we
 * therefore map the reservation ourselves with {@code mmap(PROT_READ|PROT_WRITE,
 * MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE)}: the kernel commits each page on first touch, it
 * reads as zero until then, and unmapping happens when the owning {@code Arena.ofShared()} is
 * closed. Elsewhere, or when native access is denied, we fall back to {@code Arena.allocate}.
 *
 * <p>The whole range stays readable and writable: an access to an uncommitted page reads
 * zeros instead of crashing the JVM with a fault, and the heap's own checks report it.
 */
final class Reservation {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final long MAP_FAILED = -1L;

    /** {@code MADV_DONTNEED}: private anonymous pages read as zero afterwards. */
    private static final int MADV_DONTNEED = 4;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
                munmap = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
                madvise = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
            } catch (RuntimeException e) {
                // Native access denied or unavailable: use the portable, eagerly committed path.
                mmap = null;
                munmap = null;
                madvise = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    private Reservation() {
    }

    /** True when reservations are lazily committed (mmap), false when they are zero-filled up front. */
    static boolean lazy() {
        return MMAP != null;
    }

    /** A zeroed range of {@code bytes} bytes owned by {@code arena}, committed lazily where possible. */
    static MemorySegment reserve(Arena arena, long bytes) {
        if (MMAP != null) {
            try {
                MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
                if (p.address() != MAP_FAILED) {
                    return p.reinterpret(bytes, arena, seg -> unmap(seg, bytes));
                }
            } catch (Throwable e) {
                // fall through to the portable path
            }
        }
        return arena.allocate(bytes, 4096);
    }

    /**
     * {@code madvise(MADV_DONTNEED)} over the whole pages of {@code [offset, offset + len)} of a
     * reservation made by {@link #reserve}: the kernel frees them, and they read as zero until
     * touched again. False if the reservation was not mapped here or the call failed.
     */
    static boolean release(MemorySegment reservation, long offset, long len) {
        long page = 4096;
        long from = (offset + page - 1) & -page;
        long to = (offset + len) & -page;
        if (MADVISE == null || to <= from || reservation.address() % page != 0) {
            return false; // not on Linux, nothing whole to release, or not a page-aligned reservation
        }
        try {
            return (int) MADVISE.invokeExact(reservation.asSlice(from, to - from), to - from, MADV_DONTNEED) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** {@code MADV_HUGEPAGE}: back the range with transparent huge pages where the kernel allows. */
    private static final int MADV_HUGEPAGE = 14;

    /**
     * Asks for transparent huge pages over a reservation made by {@link #reserve} (where the
     * kernel's setting is {@code madvise}); false if it was not mapped here or the call failed.
     */
    static boolean adviseHugePages(MemorySegment reservation) {
        long huge = 2L << 20;
        long addr = reservation.address();
        long from = ((addr + huge - 1) & -huge) - addr;
        long to = ((addr + reservation.byteSize()) & -huge) - addr;
        if (MADVISE == null || to <= from) {
            return false;
        }
        try {
            return (int) MADVISE.invokeExact(reservation.asSlice(from, to - from), to - from, MADV_HUGEPAGE) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static void unmap(MemorySegment s, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(s, bytes);
            if (rc != 0) {
                System.getLogger(Reservation.class.getName()).log(System.Logger.Level.WARNING,
                        "munmap of the heap reservation failed (rc={0}); the address space stays mapped", rc);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("munmap of the heap reservation failed: " + e, e);
        }
    }
}
