/**
 * The pacer SPI: when a collection starts, how large the heap may grow, and how hard an
 * allocating goroutine must help marking (Go's {@code gcControllerState}, mgcpacer.go).
 *
 * <p>A pacer is a {@link org.gort.spi.pacer.PacerStrategy} service whose
 * {@link org.gort.spi.pacer.PacerPolicy} answers four questions from figures the kernel
 * measures: the heap goal, the trigger, the assist ratio while marking
 * ({@link org.gort.spi.pacer.PacerPolicy#revise}), and, at every mark termination, what the
 * cycle just measured means for the next one ({@link org.gort.spi.pacer.PacerPolicy#endCycle}).
 * A memory limit may also cap the goal ({@link org.gort.spi.pacer.MemoryState}) and a CPU
 * limiter may switch assists off ({@link org.gort.spi.pacer.PacerPolicy#assistsAllowed}).
 *
 * <p>The mechanism stays in the collector toolkit: the per-P heap accounting that publishes
 * {@code heapLive}, the trigger check on allocation, assists and their credit, sweep pacing,
 * the memory and CPU accounting handed to the policy, and the hot swap, which, like a
 * collector's, takes effect when the next cycle starts. Every collector works with every pacer.
 * See {@code docs/collectors.md}.
 */
@Export
@Version("1.0.0")
package org.gort.spi.pacer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
