/**
 * The allocator SPI. An {@link org.gort.spi.alloc.AllocatorStrategy} makes one
 * {@link org.gort.spi.alloc.Allocator} per runtime instance; the allocator owns the layout of
 * the heap arena's pages, hands out blocks on behalf of a P, and sweeps: it frees every block
 * whose mark bit the collector left clear. The kernel writes object headers and runs the
 * collector's hooks; the allocator never interprets object contents.
 */
@Export
@Version("1.4.0")
package org.gort.spi.alloc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
