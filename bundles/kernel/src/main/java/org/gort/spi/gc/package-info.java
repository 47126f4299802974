/**
 * The collector SPI and the shared tri-color marking toolkit: a collector strategy declares
 * what it needs (write barrier, allocation colour, stack-scan policy) and lists its phases;
 * the kernel and the toolkit provide the mechanism.
 */
@Export
@Version("1.0.0")
package org.gort.spi.gc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
