/**
 * gort's goroutine and heap API, with Go's semantics: {@link org.gort.api.Go} (goroutines,
 * scheduling, syscalls, timers), {@link org.gort.api.Chan} and {@link org.gort.api.Select},
 * the {@code sync} primitives, and {@link org.gort.api.Runtime} to run a main goroutine under a
 * chosen set of strategies.
 */
@Export
@Version("1.27.0")
package org.gort.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
