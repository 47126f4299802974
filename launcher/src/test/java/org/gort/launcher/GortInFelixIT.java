package org.gort.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.gort.api.StrategyCatalog;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.gort.spi.sched.SyscallEntry;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * gort inside Felix, as the launcher boots it (same bundles, start levels, system packages and
 * boot delegation), driven through the Gogo commands a user types: every bundle starts, every
 * strategy is a service, the sieve is right under every selection, hot swaps and bundle
 * departures mid-run keep it right, faulty strategies are ejected, and a bundle dropped into
 * the deploy folder comes and goes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GortInFelixIT {
    /** How long a condition may take before a test gives up; generous for a loaded 2-core CI machine. */
    private static final long PATIENCE_SECONDS = 60;
    /** Runs stop after two minutes: a hang in the runtime fails a test instead of stalling the suite. */
    private static final String RUN = "run --timeout 120 ";

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor processor;

    @Inject
    private StrategyCatalog catalog;

    @Configuration
    public Option[] config() throws Exception {
        Path bundles = bundlesDir();
        List<Option> options = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(bundles)) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        for (Path jar : jars) {
            String bsn = symbolicName(jar);
            if (bsn.equals("org.jline") || bsn.equals("org.apache.felix.gogo.jline")) {
                continue; // the interactive terminal has no place in a test
            }
            int level = Main.START_LEVELS.getOrDefault(bsn, Main.DEFAULT_START_LEVEL);
            options.add(bundle(jar.toUri().toString()).startLevel(level).start());
        }
        Path deploy = deployDir();
        Files.createDirectories(deploy);
        try (Stream<Path> s = Files.list(deploy)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        ExampleBundle.build(Path.of(System.getProperty("gort.root")), bundles, exampleJar());
        ExitProbeBundle.build(bundles, exitProbeJar());
        options.add(systemPackages(Main.extraPackages().split(",(?=[a-zA-Z])")));
        // Pax Exam's own bundles import SLF4J [1.4,2); the 2.x API on the class path serves them too
        options.add(systemPackages("org.slf4j;version=1.7.36"));
        options.add(bootDelegationPackage("jdk.internal.vm"));
        options.add(bootDelegationPackage("jdk.internal.misc"));
        options.add(frameworkStartLevel(5));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.start.level").value("4"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("1"));
        options.add(frameworkProperty("gort.oneshot").value("false"));
        options.add(junitBundles());
        options.add(cleanCaches());
        return options.toArray(Option[]::new);
    }

    private static Path bundlesDir() {
        return Path.of(System.getProperty("gort.bundles"));
    }

    private static Path deployDir() {
        return bundlesDir().getParent().resolve("it-deploy");
    }

    private static Path exampleJar() {
        return bundlesDir().getParent().resolve("it-example").resolve("gort-example-scheduler-fifo.jar");
    }

    private static Path exitProbeJar() {
        return bundlesDir().getParent().resolve("it-example").resolve("exitprobe.jar");
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? "" : bsn.split(";")[0].trim();
        }
    }

    // ------------------------------------------------------------------ the framework

    @Test
    public void everyBundleResolvesAndStarts() {
        List<String> notActive = new ArrayList<>();
        int gort = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().contains("/target/bundles/") || b.getLocation().contains("gogo.runtime")) {
                if (b.getState() != Bundle.ACTIVE) {
                    notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
                }
                if (b.getSymbolicName().startsWith("org.gort.")) {
                    gort++;
                }
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertTrue("expected the kernel, the shell, the workloads and the strategies; found " + gort + " gort bundles", gort >= 6);
    }

    @Test
    public void strategiesAreServicesUnderTheirNames() throws Exception {
        Set<String> schedulers = names(SchedulerStrategy.class);
        Set<String> allocators = names(AllocatorStrategy.class);
        assertTrue(schedulers.toString(), schedulers.containsAll(Set.of("gmp", "legacy-gm")));
        assertTrue(allocators.toString(), allocators.containsAll(Set.of("tcmalloc", "global-freelist")));
        assertEquals(schedulers, new TreeSet<>(catalog.schedulers().stream().map(SchedulerStrategy::name).toList()));
        assertEquals(allocators, new TreeSet<>(catalog.allocators().stream().map(AllocatorStrategy::name).toList()));
        String listing = exec("strategies");
        for (String name : schedulers) {
            assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("scheduler") && l.contains(" " + name + " ")));
        }
        assertTrue(listing, listing.contains("org.gort.scheduler.gmp"));
    }

    private Set<String> names(Class<?> type) throws Exception {
        Set<String> out = new TreeSet<>();
        ServiceReference<?>[] refs = context.getServiceReferences(type.getName(), "(gort.strategy.name=*)");
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            out.add((String) r.getProperty("gort.strategy.name"));
        }
        return out;
    }

    // ------------------------------------------------------------------ runs

    @Test
    public void theSieveIsRightUnderEverySelectionFromTheRegistry() throws Exception {
        List<String> collectors = catalog.collectors().stream().map(CollectorStrategy::name).toList();
        List<String> gcChoices = collectors.isEmpty() ? List.of("") : collectors;
        int runs = 0;
        for (SchedulerStrategy s : catalog.schedulers()) {
            for (AllocatorStrategy a : catalog.allocators()) {
                for (String c : gcChoices) {
                    String out = exec(RUN + "sieve n=100 --sched " + s.name() + " --alloc " + a.name()
                            + (c.isEmpty() ? "" : " --gc " + c));
                    List<String> lines = out.lines().toList();
                    assertEquals(out, "2", lines.get(0));
                    assertEquals(out, "541", lines.get(99)); // the 100th prime
                    assertTrue(out, lines.get(100).contains("OK, output checked"));
                    runs++;
                }
            }
        }
        assertTrue(runs >= 4);
    }

    @Test
    public void aSieveWhoseSchedulerIsSwappedAHundredTimesGivesTheRightPrimes() throws Exception {
        int n = 5000;
        exec(RUN + "sieve n=" + n + " --background");
        java.util.concurrent.ExecutorService swapper = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 100; i++) {
                String line = "swap sched " + (i % 2 == 0 ? "legacy-gm" : "gmp");
                java.util.concurrent.Future<String> swap = swapper.submit(() -> exec(line));
                try {
                    String out = swap.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                    assertTrue(out, out.contains("is now"));
                } catch (java.util.concurrent.TimeoutException e) {
                    exec("stop"); // frees the stuck swap and the run
                    fail("swap " + (i + 1) + " of 100 did not finish within " + PATIENCE_SECONDS + " s: the world never stopped");
                }
            }
        } finally {
            swapper.shutdown();
        }
        String out = exec("await");
        List<String> lines = out.lines().filter(l -> !l.startsWith("  ")).toList(); // without the metric lines
        assertEquals(out.substring(0, Math.min(out.length(), 2000)), n + 1, lines.size());
        assertEquals("48611", lines.get(n - 1)); // the 5000th prime
        assertTrue(lines.get(n), lines.get(n).contains("OK, output checked"));
        assertTrue(lines.get(n), lines.get(n).contains("100 scheduler swaps"));
    }

    @Test
    public void stoppingTheActiveSchedulerBundleFallsBackToGmp() throws Exception {
        Bundle legacy = installedBundle("org.gort.scheduler.legacygm");
        try {
            exec("use sched legacy-gm");
            exec(RUN + "sieve n=3000 --background");
            legacy.stop();
            assertTrue(exec("status").contains("defaults for new runs: sched=gmp "));
            String status = exec("status");
            assertTrue(status, status.contains("fell back to scheduler gmp"));
            assertTrue(!exec("strategies").contains("legacy-gm"));
            String out = exec("await");
            String last = verdict(out);
            assertTrue(last, last.contains("OK, output checked") && last.contains("sched=legacy-gm->gmp"));
        } finally {
            legacy.start();
        }
        assertTrue(exec("strategies").contains("legacy-gm"));
        // the default that left is the default again once it is back
        assertTrue(exec("status").contains("defaults for new runs: sched=legacy-gm "));
        exec("use sched gmp");
    }

    /**
     * Two services under one name: a warning names both, once; the one that stood by can leave
     * without moving the run that uses its namesake.
     */
    @Test
    public void aDuplicateStrategyIsWarnedAboutAndItsDepartureLeavesTheRunAlone() throws Exception {
        ServiceRegistration<SchedulerStrategy> used = register(new FaultyStrategy("test-dup", Fault.NONE));
        ServiceRegistration<SchedulerStrategy> standby = null;
        try {
            exec(RUN + "sieve n=3000 --sched test-dup --background");
            PrintStream stderr = System.err;
            ByteArrayOutputStream warned = new ByteArrayOutputStream();
            System.setErr(new PrintStream(warned, true, StandardCharsets.UTF_8));
            try {
                standby = register(new FaultyStrategy("test-dup", Fault.NONE));
            } finally {
                System.setErr(stderr);
            }
            String warning = warned.toString(StandardCharsets.UTF_8);
            assertEquals(warning, 1, warning.lines().filter(l -> l.contains("scheduler test-dup is provided twice: by ")).count());
            assertTrue(warning, warning.contains("(used) and by ") && warning.contains("(stands by"));
            standby.unregister();
            standby = null;
            String status = exec("status");
            assertTrue(status, !status.contains("fell back"));
            String last = verdict(exec("await"));
            assertTrue(last, last.contains("OK, output checked") && last.contains("sched=test-dup ") && !last.contains("->"));
        } finally {
            if (standby != null) {
                standby.unregister();
            }
            used.unregister();
        }
    }

    @Test
    public void stoppingTheActiveCollectorBundleFallsBackToHybrid() throws Exception {
        List<String> collectors = catalog.collectors().stream().map(CollectorStrategy::name).filter(c -> !c.equals("hybrid")).toList();
        Assume.assumeTrue("needs hybrid and another collector installed", !collectors.isEmpty()
                && catalog.collectors().stream().anyMatch(c -> c.name().equals("hybrid")));
        String other = collectors.get(0);
        Bundle b = bundleOfStrategy(CollectorStrategy.class, other);
        try {
            exec(RUN + "sieve n=3000 --gc " + other + " --background");
            b.stop();
            String status = exec("status");
            assertTrue(status, status.contains("fell back to collector hybrid"));
            String out = exec("await");
            assertTrue(out, verdict(out).contains("OK, output checked"));
        } finally {
            b.start();
        }
    }

    @Test
    public void aSchedulerThatThrowsIsEjectedAndTheRunFinishesRight() throws Exception {
        ServiceRegistration<SchedulerStrategy> reg = register(new FaultyStrategy("test-throws", Fault.THROW));
        try {
            String out = exec(RUN + "sieve n=300 --sched test-throws");
            String last = verdict(out);
            assertTrue(out, last.contains("OK, output checked"));
            assertTrue(last, last.contains("ejection") && last.contains("sched=test-throws->gmp"));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void aSchedulerThatStallsIsEjectedByTheWatchdogAndTheRunFinishesRight() throws Exception {
        ServiceRegistration<SchedulerStrategy> reg = register(new FaultyStrategy("test-stalls", Fault.STALL));
        try {
            String out = exec(RUN + "sieve n=300 --sched test-stalls");
            String last = verdict(out);
            assertTrue(out, last.contains("OK, output checked"));
            assertTrue(last, last.contains("ejection") && last.contains("sched=test-stalls->gmp"));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void aBackgroundRunWritesItsTraceSoFarAndRunsOn() throws Exception {
        Path dir = Files.createTempDirectory("gort-trace");
        Path whole = dir.resolve("whole.json");
        Path now = dir.resolve("now.json");
        try {
            // long enough (tens of seconds) to be running still when it is stopped below
            exec(RUN + "sieve n=20000 --background --trace-out " + whole + " --trace-keep last --trace-limit 100000");
            String out = exec("writetrace " + now);
            assertTrue(out, out.startsWith("wrote trace " + now) && out.contains("which runs on"));
            assertTrue(Files.size(now) > 0);
            String status = exec("status");
            assertTrue(status, status.contains(": running for "));
            String end = exec("stop");
            assertTrue(end, end.contains("STOPPED"));
            String late = execFailing("writetrace " + dir.resolve("late.json"));
            assertTrue(late, late.contains("no run in progress"));
        } finally {
            for (Path p : List.of(whole, now, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    public void htmlReportsAreDrawnInsideTheFramework() throws Exception {
        // the lab bundle carries JFreeChart and JFreeSVG inside it; their java.desktop imports resolve under Felix
        Path dir = Files.createTempDirectory("gort-html");
        Path run = dir.resolve("run.html");
        Path page = dir.resolve("compare.html");
        Path json = dir.resolve("compare.json");
        Path again = dir.resolve("again.html");
        try {
            String out = exec(RUN + "sieve n=100 --report " + run);
            assertTrue(out, out.contains("wrote " + run.toAbsolutePath()));
            assertTrue(Files.readString(run).contains("<figure class=\"chart\" data-chart=\"timeline\""));
            exec("compare sieve n=50 --sched legacy-gm,gmp --runs 1 --warmup 0 --format html --out " + page);
            String html = Files.readString(page);
            assertTrue(html, html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.contains("data-chart=\"metric\""));
            exec("compare sieve n=50 --sched legacy-gm,gmp --runs 1 --warmup 0 --format json --out " + json);
            String wrote = exec("report " + json + " --out " + again);
            assertTrue(wrote, wrote.contains("wrote " + again.toAbsolutePath()));
            assertTrue(Files.readString(again).contains("compare sieve n=50: legacy-gm vs gmp"));
        } finally {
            for (Path p : List.of(run, page, json, again, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ the deploy folder

    @Test
    public void aBundleDroppedIntoDeployAppearsIsUsableAndLeavesWhenDeleted() throws Exception {
        Path jar = deployDir().resolve("gort-example-scheduler-fifo.jar");
        ServiceTracker<SchedulerStrategy, SchedulerStrategy> fifo = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + SchedulerStrategy.class.getName() + ")(gort.strategy.name=fifo))"), null);
        fifo.open();
        try {
            Path tmp = deployDir().resolve(".example.tmp");
            Files.copy(exampleJar(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
            assertNotNull("the fifo strategy did not appear", fifo.waitForService(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS)));
            // The registry tells its listeners one after another: this tracker may hear of the
            // service before the shell's catalog is bound to it.
            awaitFifoInCatalog(true);
            String listed = exec("strategies");
            assertTrue(listed, listed.contains("org.gort.example.fifo"));
            String out = exec(RUN + "sieve n=200 --sched fifo");
            assertTrue(out, verdict(out).contains("OK, output checked"));

            exec(RUN + "sieve n=3000 --sched fifo --background");
            // uninstalling stops the bundle first, and its service leaves (with the fallback) while it stops
            Bundle example = installedBundle("org.gort.example.fifo");
            CountDownLatch gone = new CountDownLatch(1);
            BundleListener l = e -> {
                if (e.getBundle().equals(example) && e.getType() == BundleEvent.UNINSTALLED) {
                    gone.countDown();
                }
            };
            context.addBundleListener(l);
            try {
                Files.delete(jar);
                assertTrue("the example bundle was not uninstalled", gone.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
            } finally {
                context.removeBundleListener(l);
            }
            String status = exec("status");
            assertTrue(status, status.contains("fell back to scheduler gmp"));
            String end = exec("await");
            String last = verdict(end);
            assertTrue(last, last.contains("OK, output checked") && last.contains("sched=fifo->gmp"));
            assertTrue(!exec("strategies").contains("fifo"));
        } finally {
            fifo.close();
            if (Files.deleteIfExists(jar)) {
                // failed half-way: let the deploy folder uninstall it before the next test lists strategies
                awaitFifoInCatalog(false);
            }
        }
    }

    /** Waits (at most {@link #PATIENCE_SECONDS}) until the shell's catalog has, or has not, the fifo scheduler. */
    private void awaitFifoInCatalog(boolean present) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (catalog.schedulers().stream().anyMatch(s -> s.name().equals("fifo")) != present
                && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A test that failed half-way must not leave its background run to the next one. */
    @After
    public void stopLeftoverRun() throws Exception {
        if (exec("status").contains(": running for ")) {
            exec("stop");
        }
    }

    /**
     * Runs one shell command as a user would type it; returns what it printed on stdout (trace
     * and log lines go to stderr, shown only when the command fails).
     */
    /** A run's verdict: its last line but the metric lines indented under it. */
    /**
     * The run's verdict line: the last line that is neither indented (the sched summary) nor a
     * {@code leaked:} line, which follows the verdict when the program left goroutines blocked
     * (the sieve's generator, in some runs, is blocked in its send when main returns).
     */
    private static String verdict(String out) {
        return out.lines().filter(l -> !l.startsWith("  ") && !l.startsWith("leaked: ")).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    public void aThreadThatCannotBeStoppedIsSaidCountedAndKeepsMeasurementsOff() throws Exception {
        // The hog's loop has no safepoint; it ends by itself after 12 s, which frees its thread.
        // A stop that lands before the hog has entered its loop strands nothing: then try again.
        String said = "";
        for (int attempt = 0; attempt < 3 && said.isEmpty(); attempt++) {
            exec(RUN + "hog duration=12000 safepoints=false sleepers=1 samples=1 --gomaxprocs 1 --background");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (!exec("status").matches("(?s).*running for ([1-9]|\\d\\d+)\\.\\d s.*") && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Exception failed = execute("stop", out, err);
            assertTrue(String.valueOf(failed), failed == null);
            said = err.toString(StandardCharsets.UTF_8);
        }
        assertTrue(said, said.startsWith("gort: could not stop a thread of the run (M0 still running goroutine "));
        assertTrue(said, said.contains("keeps a core busy until it reaches a safepoint or gort exits"));
        String status = exec("status");
        assertTrue(status, status.contains("threads that could not be stopped: 1 "));
        assertTrue(status, status.contains("goroutine 1 in a loop with no safepoint") || status.contains("in a loop with no safepoint"));
        String refused = execFailing("compare sieve n=20 --sched gmp,legacy-gm --runs 1 --warmup 0");
        assertTrue(refused, refused.startsWith("1 thread of an ended run could not be stopped and still spin"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (exec("status").contains("could not be stopped") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue("the hog's thread exited when its loop ended", !exec("status").contains("could not be stopped"));
        assertTrue(exec("compare sieve n=20 --sched gmp,legacy-gm --runs 1 --warmup 0").contains("legacy-gm"));
    }

    @Test
    public void aProgramsSystemExitEndsItsRunAndNotTheShell() throws Exception {
        Bundle probe = context.installBundle(exitProbeJar().toUri().toString());
        try {
            probe.start(); // its activator calls Runtime.halt(9): refused, or this JVM ends here
            ServiceReference<?>[] refs = context.getServiceReferences(org.gort.api.Workload.class.getName(), "(exit.refused=*)");
            assertNotNull("the probe registered its workload", refs);
            String refused = String.valueOf(refs[0].getProperty("exit.refused"));
            assertTrue(refused, refused.startsWith("Runtime.halt(9) refused: only a goroutine may end its run"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (!exec("workloads").contains("quitter") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String failed = execFailing(RUN + "quitter status=7");
            assertTrue(failed, failed.startsWith("quitter status=7: EXIT: exit status 7"));
            String ok = exec(RUN + "quitter status=0");
            assertTrue(ok, ok.startsWith("bye\nquitter status=0: OK, output checked"));
            assertTrue("the shell goes on", exec("strategies").contains("gmp"));
        } finally {
            probe.uninstall();
        }
    }

    private String exec(String line) throws Exception {
        ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
        Exception e = execute(line, outBuf, errBuf);
        if (e != null) {
            fail("'" + line + "' failed: " + e.getMessage() + "\n" + outBuf.toString(StandardCharsets.UTF_8)
                    + errBuf.toString(StandardCharsets.UTF_8));
        }
        return outBuf.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail; returns its one-line message. */
    private String execFailing(String line) throws Exception {
        ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
        Exception e = execute(line, outBuf, outBuf);
        if (e == null) {
            fail("'" + line + "' did not fail: " + outBuf.toString(StandardCharsets.UTF_8));
        }
        return e.getMessage();
    }

    /** Runs {@code line} in a fresh session; returns what it threw, or null. */
    private Exception execute(String line, ByteArrayOutputStream outBuf, ByteArrayOutputStream errBuf) {
        PrintStream out = new PrintStream(outBuf, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBuf, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(System.in, out, err)) {
            session.put("SCOPE", "gort:*");
            session.execute(line);
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            out.flush();
        }
    }

    private Bundle installedBundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private Bundle bundleOfStrategy(Class<?> type, String name) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(type.getName(), "(gort.strategy.name=" + name + ")");
        assertNotNull("no " + type.getSimpleName() + " " + name, refs);
        return refs[0].getBundle();
    }

    private ServiceRegistration<SchedulerStrategy> register(FaultyStrategy s) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SchedulerStrategy.NAME_PROPERTY, s.name());
        return context.registerService(SchedulerStrategy.class, s, props);
    }

    private enum Fault { NONE, THROW, STALL }

    /**
     * gmp with a fault: after a few hundred scheduling decisions it either throws from
     * findRunnable, or stalls (keeps every G it is given and hands none back) with a 300 ms
     * watchdog limit. Either way the kernel must eject it and lose no goroutine.
     */
    private final class FaultyStrategy implements SchedulerStrategy {
        private final String name;
        private final Fault fault;

        FaultyStrategy(String name, Fault fault) {
            this.name = name;
            this.fault = fault;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return fault == Fault.NONE ? "test: gmp under another name"
                    : "test: gmp that " + (fault == Fault.THROW ? "throws" : "stalls") + " mid-run";
        }

        @Override
        public Scheduler create(SchedContext ctx) {
            return new Faulty(catalog.scheduler("gmp").create(ctx), fault);
        }
    }

    private static final class Faulty implements Scheduler {
        private static final int HEALTHY_DECISIONS = 300;
        private final Scheduler gmp;
        private final Fault fault;
        private final java.util.concurrent.atomic.AtomicInteger decisions = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.ConcurrentLinkedQueue<Goroutine> held = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Faulty(Scheduler gmp, Fault fault) {
            this.gmp = gmp;
            this.fault = fault;
        }

        private boolean faulty() {
            return decisions.get() > HEALTHY_DECISIONS;
        }

        @Override
        public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
            if (fault == Fault.STALL && faulty()) {
                held.add(g);
            } else {
                gmp.ready(g, why, m, p);
            }
        }

        @Override
        public Goroutine findRunnable(Machine m, Proc p) {
            if (decisions.incrementAndGet() > HEALTHY_DECISIONS && fault == Fault.THROW) {
                throw new IllegalStateException("a deliberate fault in the test scheduler");
            }
            return gmp.findRunnable(m, p);
        }

        @Override
        public boolean hasRunnable() {
            return !held.isEmpty() || gmp.hasRunnable();
        }

        @Override
        public int globalQueueLength() {
            return gmp.globalQueueLength() + held.size();
        }

        @Override
        public int localQueueLength(Proc p) {
            return gmp.localQueueLength(p);
        }

        @Override
        public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
            return gmp.shouldPreempt(p, running, ranNanos);
        }

        @Override
        public SyscallEntry onSyscallEntry(Proc p) {
            return gmp.onSyscallEntry(p);
        }

        @Override
        public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
            return gmp.shouldRetake(p, inSyscallNanos, ticksSeen);
        }

        @Override
        public List<Goroutine> drain() {
            List<Goroutine> all = new ArrayList<>(gmp.drain());
            for (Goroutine g; (g = held.poll()) != null; ) {
                all.add(g);
            }
            return all;
        }

        @Override
        public long watchdogNanos() {
            return fault == Fault.STALL ? TimeUnit.MILLISECONDS.toNanos(300) : Long.MAX_VALUE;
        }

        @Override
        public void reportCounters(ObjLongConsumer<String> sink) {
            gmp.reportCounters(sink);
        }
    }
}
