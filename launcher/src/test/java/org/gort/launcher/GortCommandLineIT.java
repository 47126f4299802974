package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gort} script at the repository root, run as a user runs it: one command per
 * process, exit status 0 on success, 1 with a one-line message on stderr for bad input.
 */
class GortCommandLineIT {
    @TempDir
    static Path emptyDeploy;

    private static Path gort;

    @BeforeAll
    static void locate() {
        gort = Path.of(System.getProperty("gort.root")).resolve("gort").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(gort), gort + " is not executable");
    }

    record Result(int status, String out, String err) {
    }

    private static Result gort(String... args) throws IOException, InterruptedException {
        return gortWithInput(null, args);
    }

    /** Runs gort with {@code input} on its stdin (null: none), as a script piped into the shell. */
    private static Result gortWithInput(String input, String... args) throws IOException, InterruptedException {
        return gortIn(emptyDeploy, input, args);
    }

    /** Runs gort with {@code deploy} as its deploy folder and {@code input} on its stdin (null: none). */
    private static Result gortIn(Path deploy, String input, String... args) throws IOException, InterruptedException {
        return gortIn(deploy, input, java.util.Map.of(), args);
    }

    /** {@link #gortIn(Path, String, String...)} with {@code env} added to gort's environment. */
    private static Result gortIn(Path deploy, String input, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(gort.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("GORT_DEPLOY", deploy.toString()); // a stray jar in deploy/ must not change the answers
        pb.environment().putAll(env);
        Finished f = Finished.of(pb.start(), input, Duration.ofMinutes(3), "gort " + String.join(" ", args));
        return new Result(f.status(), f.out(), f.err());
    }


    /**
     * JAVA_HOME naming a JDK too old: the script takes the newest JDK 25 in /usr/lib/jvm instead,
     * and runs the command in the caller's folder (a relative --trace-out lands there).
     */
    @Test
    void anOldJavaHomeGivesWayToAJdkInUsrLibJvmAndTheFolderStaysTheCallers(@TempDir Path dir) throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        boolean found = false;
        if (Files.isDirectory(jvms)) {
            try (var s = Files.list(jvms)) {
                found = s.anyMatch(j -> Files.isExecutable(j.resolve("bin/java")) && releaseMajor(j) >= 25);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(found, "no JDK 25 in /usr/lib/jvm");
        Path old = dir.resolve("old-jdk");
        Files.createDirectories(old.resolve("bin"));
        Path java = old.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'not this one' >&2\nexit 9\n");
        assertTrue(java.toFile().setExecutable(true));
        Files.writeString(old.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"17.0.9\"\n");
        Path work = Files.createDirectories(dir.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(gort.toString(), "run", "sieve", "n=10", "--trace-out", "t.trace");
        pb.directory(work.toFile());
        pb.environment().put("JAVA_HOME", old.toString());
        pb.environment().put("GORT_DEPLOY", emptyDeploy.toString());
        pb.environment().put("CDPATH", dir.toString()); // must not send the script's cd elsewhere
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(3), "gort run sieve from another folder");
        assertEquals(0, f.status(), f.err());
        assertTrue(f.out().contains("sieve n=10: OK"), f.out());
        assertTrue(Files.size(work.resolve("t.trace")) > 0, "no trace in the caller's folder");
    }

    private static int releaseMajor(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring("JAVA_VERSION=\"".length()).split("[.+\"-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no release file, or not a version: not a candidate here
        }
        return 0;
    }

    @Test
    void setTakesAKnownSettingAndRefusesAnUnknownOneInOneLine() throws Exception {
        Result bad = gort("run", "sieve", "n=10", "--set", "gmp.forcePreempt=1ms");
        assertEquals(1, bad.status(), bad.out());
        assertEquals("gort: unknown setting 'gmp.forcePreempt' for --set; known: checkptr, gc.floating, "
                + "gc.forcePeriodMillis, gmp.forcePreemptNS, gmp.runnext, maxprocs, net.poller", bad.err().strip());
        Result ok = gort("run", "sieve", "n=10", "--set", "gmp.forcePreemptNS=1ms", "--set", "gc.floating=true");
        assertEquals(0, ok.status(), ok.err());
        Result verbose = gort("strategies", "--verbose");
        assertTrue(verbose.out().lines().anyMatch(l -> l.matches("gmp\\.forcePreemptNS\\s+10000000\\s+scheduler gmp\\s+yes\\s+Go's forcePreemptNS.*")),
                verbose.out());
    }

    @Test
    void compareSweepsASetting() throws Exception {
        Result r = gort("compare", "sieve", "n=50", "--set", "gmp.forcePreemptNS=1ms,50000000", "--runs", "1", "--warmup", "0",
                "--format", "csv");
        assertEquals(0, r.status(), r.err());
        // the labels give each value as a Go duration, however it was typed
        assertTrue(r.out().contains("gmp.forcePreemptNS=1ms") && r.out().contains("gmp.forcePreemptNS=50ms"), r.out());
    }

    @Test
    void setChangesALiveSettingOfTheRunningProgramAndNamesTheLiveOnesOtherwise() throws Exception {
        Result r = gortWithInput("run hog duration=600000 --background\n"
                + "set gmp.forcePreemptNS 1ms\n"
                + "set gmp.runnext false\n"
                + "set gmp.forcePreempt 1ms\n"
                + "set gmp.forcePreemptNS 0\n"
                + "stop\nexit\n");
        String all = r.out() + r.err();
        List<String> lines = all.lines().map(l -> l.replace("gort> ", "")).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("gmp\\.forcePreemptNS of hog.*: 10ms -> 1ms \\(scheduler gmp reads it from now on\\)")),
                all);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*gmp\\.runnext is read when the run starts \\(give it to the next run: "
                + "--set gmp\\.runnext=false\\); settable while running: .*gmp\\.forcePreemptNS.*")), all);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*unknown setting 'gmp\\.forcePreempt'; settable while running: .*")), all);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*gmp\\.forcePreemptNS takes a duration of at least 1ns.*got '0'")), all);
        assertTrue(!all.contains("Exception"), all);
    }

    @Test
    void strategiesListsTheInstalledStrategies() throws Exception {
        Result r = gort("strategies");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("scheduler\\s+gmp\\s+default\\s+org\\.gort\\.scheduler\\.gmp.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("scheduler\\s+legacy-gm\\s+org\\.gort\\.scheduler\\.legacygm.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("allocator\\s+tcmalloc\\s+default\\s+.*")), r.out());
    }

    /**
     * Under the Parallel collector a survivor space has a maximum and is full after young
     * collections by design: the out-of-memory detector watches the old generation only, so a
     * program parking many goroutines runs to its end instead of "fatal error: runtime: out of
     * memory" within 0.1 s.
     */
    @Test
    void anotherJvmCollectorIsNotMistakenForOutOfMemory(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("Parked.java");
        Files.writeString(program, """
                import org.gort.api.Chan;
                import org.gort.api.Go;
                import org.gort.api.WaitGroup;

                class Parked {
                    public static void main(String[] args) {
                        Chan<Integer> ch = Chan.make();
                        WaitGroup wg = new WaitGroup();
                        wg.add(200_000);
                        for (int i = 0; i < 200_000; i++) {
                            Go.go(() -> {
                                wg.done();
                                ch.recv();
                            });
                        }
                        wg.await();
                        System.out.println("parked " + Go.numGoroutine());
                        Go.exit(0);
                    }
                }
                """);
        Result r = gortIn(emptyDeploy, null, java.util.Map.of("GORT_JAVA_OPTS", "-XX:+UseParallelGC"), "run", program.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch("parked 200001"::equals), r.out());
    }

    @Test
    void runSieveTenPrintsTheFirstTenPrimes() throws Exception {
        Result r = gort("run", "sieve", "n=10");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("2", "3", "5", "7", "11", "13", "17", "19", "23", "29"), lines.subList(0, 10));
        assertTrue(lines.get(10).startsWith("sieve n=10: OK, output checked"), lines.get(10));
        // under the verdict, after the leak line when the filters were all parked at the end
        assertTrue(lines.subList(11, lines.size()).stream()
                .anyMatch(l -> l.matches("  sched: 1[0-9] goroutines created, peak \\d+, \\d+ schedules, \\d+ steals")), r.out());
    }

    @Test
    void runWithMetricsAllPrintsEveryMetricWithItsGoName() throws Exception {
        Result r = gort("run", "binary-trees", "n=8", "--metrics", "all");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  gc\\.cycles +\\d+ +/gc/cycles/total:gc-cycles")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  sched\\.schedules +\\d+")), r.out());
        Result key = gort("run", "binary-trees", "n=8");
        assertTrue(key.out().lines().anyMatch(l -> l.matches("  gc: \\d+ cycles?.*, heap peak .*")), key.out());
    }

    @Test
    void aSmallCompareReportsBothSchedulers() throws Exception {
        Result r = gort("compare", "sieve", "n=50", "--sched", "gmp,legacy-gm", "--runs", "2", "--warmup", "0");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*gmp \\(baseline\\)\\s+sched=gmp .*2/2 ok")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*legacy-gm\\s+sched=legacy-gm .*2/2 ok")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("sched.lock.acquisitions")), r.out());
        Result csv = gort("compare", "sieve", "n=50", "--sched", "gmp,legacy-gm", "--runs", "1", "--warmup", "0", "--format", "csv");
        assertEquals(0, csv.status(), csv.err());
        assertTrue(csv.out().startsWith("scenario,record,workload,"), csv.out());
    }

    @Test
    void aCompareWithoutTwoStrategiesFailsWithOneLine() throws Exception {
        Result r = gort("compare", "sieve", "--sched", "gmp");
        assertEquals(1, r.status());
        assertOneLine(r, "gort: --sched needs two or more schedulers, comma-separated; available: ", "gmp,legacy-gm");
    }

    @Test
    void anUnknownWorkloadFailsWithOneLineNamingTheWorkloads() throws Exception {
        Result r = gort("run", "nosuch");
        assertEquals(1, r.status());
        assertOneLine(r, "gort: unknown workload 'nosuch'; available: ", "sieve");
    }

    @Test
    void anUnknownStrategyFailsWithOneLineNamingTheStrategies() throws Exception {
        Result r = gort("run", "sieve", "n=10", "--sched", "nosuch");
        assertEquals(1, r.status());
        assertOneLine(r, "gort: unknown scheduler 'nosuch'; available: ", "gmp, legacy-gm");
    }

    @Test
    void anUnknownParameterFailsWithOneLineNamingTheParameters() throws Exception {
        Result r = gort("run", "sieve", "m=3");
        assertEquals(1, r.status());
        assertOneLine(r, "gort: unknown parameter 'm' for sieve; it takes ", "n (int 1 to 1000000, default 2000)");
    }

    @Test
    void aBadOptionAndABadCommandFailWithOneLine() throws Exception {
        Result option = gort("run", "sieve", "--fast");
        assertEquals(1, option.status());
        assertOneLine(option, "gort: unknown option '--fast' for run; it takes ", "--sched S");
        Result command = gort("frobnicate");
        assertEquals(1, command.status());
        assertOneLine(command, "gort: unknown command 'frobnicate'; gort's commands: ", "strategies");
    }

    @Test
    void traceOutWritesTheTraceAndABadDirectoryIsOneLine(@TempDir Path traces) throws Exception {
        Path file = traces.resolve("sieve.json");
        Result r = gort("run", "sieve", "n=50", "--trace-out", file.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("wrote trace " + file.toAbsolutePath() + " (")), r.out());
        String json = Files.readString(file);
        assertTrue(json.startsWith("{\"traceEvents\":[") && json.strip().endsWith("}"), json.substring(0, Math.min(200, json.length())));
        assertTrue(json.contains("\"name\":\"P0\""), "a track per P");

        Path missing = traces.resolve("no/such/dir/t.json");
        Result bad = gort("run", "sieve", "n=50", "--trace-out", missing.toString());
        assertEquals(1, bad.status());
        assertOneLine(bad, "gort: cannot write the trace to " + missing + ": directory ", "does not exist");
        assertTrue(bad.out().isBlank(), () -> "the run did not start: " + bad.out());
    }

    @Test
    void maxHeapLimitsTheManagedHeapAndTheMessageNamesTheOption() throws Exception {
        Result full = gort("run", "binary-trees", "n=16", "--max-heap", "1MiB");
        assertEquals(2, full.status(), full.out()); // out of memory is a fatal error: Go's exit status 2
        assertTrue(full.err().contains("OUT_OF_MEMORY: fatal error: out of memory: heap limit 1 MiB reached allocating ")
                && full.err().contains("; raise the limit, e.g. --max-heap 2MiB"), full.err());
        Result bad = gort("compare", "binary-trees", "--gc", "stw,hybrid", "--max-heap", "1.5GiB");
        assertEquals(1, bad.status());
        assertOneLine(bad, "gort: --max-heap: not a byte count: '1.5GiB'", "KiB, MiB, GiB or TiB");
    }

    @Test
    void maxThreadsLimitsEveryRunOfACompareAndABadValueIsOneLine() throws Exception {
        // forty goroutines in 2 s syscalls at once need forty Ms, past the limit of 8
        Result storm = gort("compare", "syscall-storm", "goroutines=40", "calls=1", "blockMicros=2000000", "--gomaxprocs", "1",
                "--sched", "gmp,legacy-gm", "--runs", "1", "--warmup", "0", "--max-threads", "8");
        assertEquals(1, storm.status(), storm.out());
        assertTrue(storm.err().contains("2 of 2 runs failed; the first: runtime: program exceeds 8-thread limit"), storm.err());
        Result bad = gort("scenario", "syscall-handoff", "--max-threads", "0");
        assertEquals(1, bad.status());
        assertOneLine(bad, "gort: --max-threads is out of range (at least 1), got '0'", "--max-threads");
    }

    @Test
    void oneArgumentIsAWholeCommandLineAndQuotesReachTheCommand(@TempDir Path traces) throws Exception {
        Result line = gort("run sieve n=10 --sched legacy-gm");
        assertEquals(0, line.status(), line.err());
        assertTrue(line.out().lines().anyMatch(l -> l.startsWith("sieve n=10: OK") && l.contains("sched=legacy-gm")), line.out());
        Path file = traces.resolve("it's.json");
        Result quoted = gort("run", "sieve", "n=10", "--trace-out", file.toString());
        assertEquals(0, quoted.status(), quoted.err());
        assertTrue(Files.isRegularFile(file), quoted.out() + quoted.err());
    }

    @Test
    void outIntoAMissingDirectoryIsRefusedBeforeAnythingRuns(@TempDir Path reports) throws Exception {
        Path missing = reports.resolve("no/such/dir/x.csv");
        Result compare = gort("compare", "sieve", "n=50", "--sched", "gmp,legacy-gm", "--runs", "1", "--warmup", "0", "--out", missing.toString());
        assertEquals(1, compare.status());
        assertOneLine(compare, "gort: cannot write the report to " + missing + ": directory ", "does not exist");
        assertTrue(compare.out().isBlank(), compare.out());
        Result scenario = gort("scenario", "sched-locality", "--runs", "1", "--out", missing.toString());
        assertEquals(1, scenario.status());
        assertOneLine(scenario, "gort: cannot write the report to " + missing + ": directory ", "does not exist");
        assertTrue(!Files.exists(reports.resolve("no")), "no directory is made");
    }

    /** A bundle jar with {@code headers} in its manifest and some padding, so that cutting it short loses its directory. */
    private static byte[] bundleJar(String... headers) throws IOException {
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            m.getMainAttributes().putValue(headers[i], headers[i + 1]);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes, m)) {
            jar.putNextEntry(new java.util.jar.JarEntry("padding.txt"));
            jar.write("0123456789abcdef\n".repeat(200).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A deploy folder holding one jar of each fault, and what gort must say about each. */
    private static java.util.Map<Path, String> faultyDeployFolder(Path dir) throws IOException {
        java.util.Map<Path, String> faults = new java.util.LinkedHashMap<>();
        Files.write(dir.resolve("empty.jar"), new byte[0]);
        faults.put(dir.resolve("empty.jar"), "the file is empty, not a bundle");
        byte[] noise = new byte[3000];
        new java.util.Random(1).nextBytes(noise);
        Files.write(dir.resolve("corrupt.jar"), noise);
        faults.put(dir.resolve("corrupt.jar"), "not a readable jar, corrupt or cut short");
        byte[] good = bundleJar("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "test.truncated");
        Files.write(dir.resolve("truncated.jar"), java.util.Arrays.copyOf(good, good.length / 2));
        faults.put(dir.resolve("truncated.jar"), "not a readable jar, corrupt or cut short");
        Files.write(dir.resolve("plain.jar"), bundleJar());
        faults.put(dir.resolve("plain.jar"), "its manifest has no Bundle-SymbolicName, so it is not an OSGi bundle");
        Files.write(dir.resolve("activator.jar"), bundleJar("Bundle-ManifestVersion", "2", "Bundle-SymbolicName",
                "test.activator", "Bundle-Activator", "no.such.Activator"));
        faults.put(dir.resolve("activator.jar"), "its activator failed: ClassNotFoundException");
        Files.write(dir.resolve("unresolved.jar"), bundleJar("Bundle-ManifestVersion", "2", "Bundle-SymbolicName",
                "test.unresolved", "Import-Package", "org.nowhere.missing"));
        faults.put(dir.resolve("unresolved.jar"), "it does not resolve: it imports package org.nowhere.missing, which no installed bundle exports");
        return faults;
    }

    private static void assertEachFaultIsOneLine(java.util.Map<Path, String> faults, Result r) {
        List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
        for (var f : faults.entrySet()) {
            String prefix = "gort: " + f.getKey() + ": ";
            List<String> about = err.stream().filter(l -> l.startsWith(prefix)).toList();
            assertEquals(1, about.size(), "one line about " + f.getKey() + " in:\n" + r.err());
            assertTrue(about.get(0).startsWith(prefix + f.getValue()), about.get(0));
        }
        assertEquals(faults.size(), err.size(), "nothing else on stderr:\n" + r.err());
        assertTrue(!r.err().contains("\tat "), "a stack trace leaked:\n" + r.err());
        assertTrue(!r.out().contains("ERROR"), "the framework's errors reached stdout:\n" + r.out());
    }

    @Test
    void eachFaultyJarInTheDeployFolderIsOneLineOnStderr(@TempDir Path deploy) throws Exception {
        var faults = faultyDeployFolder(deploy);
        Result oneShot = gortIn(deploy, null, "strategies");
        assertEquals(0, oneShot.status(), oneShot.err());
        assertTrue(oneShot.out().startsWith("KIND "), "stdout is the listing alone:\n" + oneShot.out());
        assertEachFaultIsOneLine(faults, oneShot);
        Result interactive = gortIn(deploy, "strategies\nexit\n");
        assertEquals(0, interactive.status(), interactive.err());
        assertEachFaultIsOneLine(faults, interactive);
        assertTrue(interactive.out().contains("drop more bundles into " + deploy + "/)"), "the banner names the folder:\n" + interactive.out());
    }

    @Test
    void swapAndUseWithoutTheirWordsGiveTheUsageLine() throws Exception {
        Result swap = gort("swap", "sched");
        assertEquals(1, swap.status());
        assertOneLine(swap, "gort: missing name; usage: swap <sched|gc|pacer> <name> (sched: ", "legacy-gm");
        Result use = gort("use");
        assertEquals(1, use.status());
        assertOneLine(use, "gort: missing kind and name; usage: use <sched|alloc|gc|pacer> <name> (sched: ", "pacer: go118");
    }

    @Test
    void helpOfACommandListsEachOptionOnItsOwnLine() throws Exception {
        Result r = gort("help", "run");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("usage: run <workload> [name=value ...] [options] | run <path/Prog.java> [args ...] [-- args ...] [options]",
                lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("  --sched S +the scheduler \\(default gmp\\)")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  --timeout S +stop the run after S seconds \\(default \\d+ s\\)")), r.out());
        assertTrue(!r.out().contains("Object[]"), r.out());
        Result all = gort("help");
        assertEquals(0, all.status(), all.err());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith("swap <sched|gc|pacer> <name> ")), all.out());
    }

    @Test
    void pipesWorkInTheInteractiveShell() throws Exception {
        Result r = gortWithInput("echo hi\nrun sieve n=10 | grep 29\nstrategies | grep legacy\nclear\nexit\n");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(!r.out().contains("Exception") && !r.err().contains("Exception"), r.out() + r.err());
        List<String> lines = r.out().lines().map(l -> l.replace("gort> ", "")).toList();
        assertTrue(lines.contains("hi"), r.out());
        assertTrue(lines.contains("29"), "grep 29 keeps the prime 29: " + r.out());
        assertTrue(lines.stream().noneMatch(l -> l.equals("23")), "grep drops the other primes: " + r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("scheduler") && l.contains("legacy-gm")), r.out());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("allocator")), "strategies | grep legacy drops the rest: " + r.out());
    }

    /**
     * The first {@code ./gort} builds with {@code mvn -B -q}: a new user's first output must not
     * start with Maven's colour resets (Jansi writes ESC[0m to stdout and stderr when Maven exits,
     * batch mode or not, unless jansi.noreset is set in .mvn/jvm.config).
     */
    @Test
    void aQuietBuildPrintsNothing() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-q", "-o", "-N", "-Dstyle.color=never", "validate")
                .directory(gort.getParent().toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(3), "mvn validate");
        assertEquals(0, f.status(), f.err());
        assertEquals("", f.out() + f.err());
    }

    private static void assertOneLine(Result r, String prefix, String mentions) {
        List<String> err = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, err.size(), "expected one line on stderr, got:\n" + r.err());
        assertTrue(err.get(0).startsWith(prefix) && err.get(0).contains(mentions), err.get(0));
        assertTrue(!r.err().contains("\tat "), "a stack trace leaked:\n" + r.err());
    }

    @Test
    void aProgramRunsWithGoExitStatusesAndCompileErrorsAsJavacPrintsThem(@TempDir Path dir) throws Exception {
        Path programs = Path.of(System.getProperty("gort.root")).resolve("programs").toAbsolutePath().normalize();
        Result ok = gort("run", programs.resolve("leak-send.java").toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("first answer: 42\n"), ok.out());
        assertTrue(ok.out().contains("leak-send: OK, output checked"), ok.out());

        Result deadlock = gort("run", programs.resolve("deadlock-main-send.java").toString(), "--sched", "legacy-gm");
        assertEquals(2, deadlock.status(), deadlock.err());
        assertTrue(deadlock.out().startsWith("sending...\n"), deadlock.out());
        assertTrue(deadlock.err().contains("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan send]:"),
                deadlock.err());

        Result exit = gort("run", programs.resolve("exit-status.java").toString());
        assertEquals(3, exit.status(), exit.err());
        assertTrue(exit.err().contains("exit status 3"), exit.err());

        Path bad = dir.resolve("Bad.java");
        Files.writeString(bad, "class Bad {\n    public static void main(String[] args) {\n        int x = 1\n    }\n}\n");
        Result compile = gort("run", bad.toString());
        assertEquals(1, compile.status(), compile.err());
        assertTrue(compile.err().contains(bad + ":3: error: ';' expected"), compile.err());
        assertTrue(compile.err().contains("gort: " + bad + ": 1 compile error"), compile.err());
    }
}
