/**
 * gort's laboratory: run a workload under a selection of strategies ({@link org.gort.lab.Lab#run}),
 * compare selections with repeated interleaved runs and distribution-free statistics
 * ({@link org.gort.lab.Lab#compare}), run the named comparisons that reproduce Go's published
 * findings ({@link org.gort.lab.Lab#scenario}), parse Go's trace lines ({@link org.gort.lab.Traces})
 * render everything as an aligned table, CSV, JSON or an HTML page with charts
 * ({@link org.gort.lab.Reports}), a run's {@link org.gort.lab.Timeline} included, and load a
 * user's own program as a workload ({@link org.gort.lab.Program}).
 */
@Export
@Version("1.6.0")
package org.gort.lab;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
