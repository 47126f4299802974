package org.gort.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child process the integration tests started, run to its end: {@code input} (or nothing) on
 * its stdin, both output streams read while it runs (so that a full pipe never blocks it), and
 * an assertion error naming {@code what} if it outlives {@code limit} (it is killed then).
 */
record Finished(int status, String out, String err) {

    static Finished of(Process p, String input, Duration limit, String what) throws IOException, InterruptedException {
        try (var stdin = p.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + limit.toMinutes() + " minutes");
        }
        return new Finished(p.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
