/**
 * The scheduler SPI: the kernel owns Gs, Ms, Ps, parking and stop-the-world; a scheduler
 * strategy only answers callbacks, in the spirit of Linux sched_ext ({@code enqueue} /
 * {@code dispatch}). See {@link org.gort.spi.sched.SchedulerStrategy}.
 */
@Export
@Version("1.7.0")
package org.gort.spi.sched;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
