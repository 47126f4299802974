package org.gort.spi.pacer;

/**
 * The heap's memory as the kernel accounts it for a memory limit (Go's
 * {@code gcControllerState.mappedReady}, {@code heapFree} and {@code totalAlloc - totalFree}).
 * gort's limit covers the managed heap: goroutine stacks and the runtime's own structures live
 * on the JVM heap, outside it.
 *
 * @param mapped    bytes the heap holds of the machine's memory: committed and not released
 * @param heapFree  of those, bytes in free pages (not released, holding no object)
 * @param heapAlloc bytes of heap objects allocated and not yet freed by a sweep (garbage counts until swept)
 */
public record MemoryState(long mapped, long heapFree, long heapAlloc) {
}
