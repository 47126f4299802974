/**
 * The collector SPI and the shared tri-color marking toolkit.
 *
 * <p>A collector is a {@link org.gort.spi.gc.CollectorStrategy} service whose
 * {@link org.gort.spi.gc.Collector} declares what it needs ({@link org.gort.spi.gc.CollectorNeeds}:
 * write barrier, allocation colour, stack-scan policy), lists its {@link org.gort.spi.gc.Phase}s
 * in order, and implements its write barrier with {@link org.gort.spi.gc.Shade} (and, for a
 * barrier outside Go's lineage, {@link org.gort.spi.gc.MarkState}).
 *
 * <p>The toolkit supplies the mechanism every collector shares, with Go's names: per-P grey
 * buffers ({@code GcWork}), the per-span mark/scan state and span queue of span-based marking
 * ({@code SpanMarks}, {@code SpanQueue}, {@link org.gort.spi.gc.MarkQueue#SPANS}), shade, drain and termination ({@code Marking}), background and idle
 * mark workers ({@code MarkWorkers}), assists and the pacer's accounting ({@code Pacer}: the
 * policy is a strategy of its own, {@link org.gort.spi.pacer}), {@code gccheckmark}
 * and the floating-garbage census ({@code CheckMark}), and the cycle itself
 * ({@link org.gort.spi.gc.GcController}), which also writes {@code gctrace}
 * ({@link org.gort.spi.gc.GcTrace}) and the run's {@code gc.*} metrics. The kernel provides
 * stop-the-world, goroutines and stacks through {@link org.gort.spi.gc.GcRuntime}.
 * See {@code docs/collectors.md}.
 */
@Export
@Version("1.13.0")
package org.gort.spi.gc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
