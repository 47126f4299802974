/**
 * A strict JSON reader ({@link org.gort.lab.json.JsonReader}): the lab reads its saved results
 * with it ({@code Reports.read}), and the conformance kit checks with it that the files the
 * runtime writes (execution traces) are JSON.
 */
@Export
@Version("1.0.0")
package org.gort.lab.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
