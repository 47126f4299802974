/**
 * The kernel's managed heap as strategies see it: the mark bitmap every allocator sweeps and
 * every collector marks ({@link org.gort.spi.heap.MarkBitmap}), root sets
 * ({@link org.gort.spi.heap.RootSet}), the object model a collector scans
 * ({@link org.gort.spi.heap.HeapView}), and the two hooks a collector installs: the write
 * barrier ({@link org.gort.spi.heap.WriteBarrier}) and the allocation hook
 * ({@link org.gort.spi.heap.AllocationHook}).
 */
@Export
@Version("1.5.0")
package org.gort.spi.heap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
