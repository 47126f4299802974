package org.gort.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.gort.api.ByteCount;
import org.gort.api.RunStatus;

/*
 * JVM heap exhaustion as Go's "fatal error: runtime: out of memory".
 *
 * A run's goroutines, channels and output live on the Java heap (the managed heap of
 * org.gort.kernel.heap is off it and has its own limit). A program that keeps millions of
 * goroutines parked, or prints without end, would fill the Java heap: the JVM then collects
 * back to back for minutes before an OutOfMemoryError lands somewhere arbitrary (often in the
 * shell). Go's runtime dies at once with "fatal error: runtime: out of memory"; so does a run.
 *
 * The detector (installed once per JVM, when the first run starts) sets a collection-usage
 * threshold on every heap pool of the old generation that supports one: the JVM compares a
 * pool's occupancy after each collection with it and sends a notification when it is crossed.
 * Young pools are left out: a survivor space is full after a young collection by design (what
 * does not fit is promoted), and the Parallel and Serial collectors give it a maximum, so a
 * threshold on it would end a healthy run (G1 leaves their maximum undefined).
 * Usage after a collection is what is live, so crossing it means the heap is nearly full of
 * live data, the state in which the JVM starts to thrash. On that notification every live run
 * ends with OUT_OF_MEMORY, which releases its goroutines, and the shell goes on. An
 * OutOfMemoryError that still reaches a goroutine or an M ends its run the same way
 * (see Goroutines and MLoop).
 *
 * Implementation notes: the notification arrives on a JVM service thread; finish() is safe
 * from any thread (first caller wins). The live runs are a concurrent set: a run enters it
 * when it starts and leaves it in shutdown.
 */
public final class LowMemory {
    /** The share of a heap pool's maximum, live after a collection, at which runs are ended. */
    static final double DEFAULT_THRESHOLD = 0.90;

    private static final Set<RuntimeInstance> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;
    private static volatile double threshold = thresholdFromProperty();

    private LowMemory() {
    }

    static void runStarted(RuntimeInstance rt) {
        install();
        LIVE.add(rt);
    }

    static void runEnded(RuntimeInstance rt) {
        LIVE.remove(rt);
    }

    /**
     * Sets the share of a heap pool's maximum that, live after a collection, ends every run
     * (0.9 unless the system property {@code gort.lowmemory.threshold} says otherwise); for
     * tests and for JVMs whose old generation runs fuller by design. Returns the previous one.
     */
    public static synchronized double threshold(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the low-memory threshold must be in (0, 1], got " + fraction);
        }
        double previous = threshold;
        threshold = fraction;
        if (installed) {
            applyThreshold();
        }
        return previous;
    }

    private static double thresholdFromProperty() {
        try {
            double t = Double.parseDouble(System.getProperty("gort.lowmemory.threshold", Double.toString(DEFAULT_THRESHOLD)));
            return t > 0 && t <= 1 ? t : DEFAULT_THRESHOLD;
        } catch (NumberFormatException e) {
            return DEFAULT_THRESHOLD;
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        applyThreshold();
        NotificationListener listener = (notification, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                MemoryNotificationInfo info = MemoryNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) notification.getUserData());
                exhausted(info.getPoolName(), info.getUsage().getUsed(), info.getUsage().getMax());
            }
        };
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
    }

    private static void applyThreshold() {
        for (MemoryPoolMXBean pool : heapPools()) {
            long max = pool.getUsage().getMax();
            if (max > 0) {
                pool.setCollectionUsageThreshold((long) (max * threshold));
            }
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && !isYoung(p.getName()))
                .toList();
    }

    /**
     * True for a young-generation pool, by the names HotSpot's collectors give them: "G1 Eden
     * Space", "PS Survivor Space", "Eden Space" (Serial), "ZGC Young Generation" and the like.
     */
    static boolean isYoung(String pool) {
        String name = pool.toLowerCase(java.util.Locale.ROOT);
        return name.contains("eden") || name.contains("survivor") || name.contains("young") || name.contains("nursery");
    }

    /** Ends every live run: the JVM heap is nearly full of live data. */
    static void exhausted(String pool, long used, long max) {
        if (max <= 0 || used < (long) (max * threshold)) {
            return; // a late notification about a threshold since raised
        }
        String text = "fatal error: runtime: out of memory: the JVM heap's " + pool + " is "
                + Math.round(100.0 * used / max) + "% full after a collection (" + ByteCount.format(used & -1024L)
                + " of " + ByteCount.format(max & -1024L) + "); make fewer goroutines or less output, or give the JVM more "
                + "(GORT_JAVA_OPTS=-Xmx4g)";
        for (RuntimeInstance rt : LIVE) {
            rt.finish(RunStatus.OUT_OF_MEMORY, text);
        }
    }

    /** Go's text for an OutOfMemoryError that reached a goroutine or an M. */
    static String outOfMemory(OutOfMemoryError e) {
        return "fatal error: runtime: out of memory: the JVM ran out (" + e.getMessage()
                + "); make fewer goroutines or less output, or give the JVM more (GORT_JAVA_OPTS=-Xmx4g)";
    }
}
