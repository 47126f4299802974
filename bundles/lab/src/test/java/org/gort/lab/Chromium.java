package org.gort.lab;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gort.lab.json.JsonReader;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http; no
 * driver): opens a report page from disk, collects console errors and uncaught exceptions,
 * reads what the page shows, and writes a screenshot. The browser is Debian's {@code chromium}
 * (or {@code GORT_CHROMIUM}); without one a test is skipped with the line to install it, except
 * under CI, where it fails.
 *
 * <p>Every wait is bounded (a minute) so a browser that does not answer fails the test instead of
 * hanging it; nothing is asserted on time.
 */
final class Chromium implements AutoCloseable {
    private static final long WAIT_SECONDS = 60;
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    /** What a page showed. */
    record Page(String title, String findings, List<Figure> figures, List<String> errors, Path screenshot) {
    }

    /**
     * One chart: its kind, the SVG shapes drawn, those drawn in a colour (data: the axes, grid
     * and text are black, grey or white), its width on screen.
     */
    record Figure(String chart, int marks, int coloured, double width) {
    }

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser to use, or a skipped test (a failed one under CI) saying what to install. */
    static Path binary() {
        String env = System.getenv("GORT_CHROMIUM");
        List<String> candidates = env != null ? List.of(env)
                : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "no headless browser: install Debian's chromium (apt-get install chromium) or set GORT_CHROMIUM";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (CI must run the browser test; .ci/run installs it)");
        }
        assumeTrue(false, why);
        return null;
    }

    static Chromium start() throws Exception {
        Path browser = binary();
        Path profile = Files.createTempDirectory("gort-chromium-");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=1000,1200", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder stderr = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the browser went away; the wait below says so
            }
            url.complete(null);
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String browserUrl;
        try {
            browserUrl = url.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            browserUrl = null;
        }
        if (browserUrl == null) {
            p.destroyForcibly();
            synchronized (stderr) {
                throw new IllegalStateException("chromium did not start its DevTools endpoint:\n" + stderr);
            }
        }
        URI ws = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + ws.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (Object o : (List<?>) JsonReader.parse(list)) {
            Map<?, ?> t = (Map<?, ?>) o;
            if ("page".equals(t.get("type"))) {
                pageUrl = (String) t.get("webSocketDebuggerUrl");
                break;
            }
        }
        if (pageUrl == null) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium has no page to drive: " + list);
        }
        Chromium[] self = new Chromium[1];
        Listener listener = new Listener(self);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener).get(WAIT_SECONDS, TimeUnit.SECONDS);
        Chromium c = new Chromium(p, profile, socket);
        self[0] = c;
        listener.ready.complete(null);
        c.call("Runtime.enable", "{}");
        c.call("Log.enable", "{}");
        c.call("Page.enable", "{}");
        return c;
    }

    /** Opens {@code html} from disk, reads it, and writes a screenshot to {@code screenshot}. */
    Page open(Path html, Path screenshot) throws Exception {
        errors.clear();
        loaded = new CompletableFuture<>();
        call("Page.navigate", "{\"url\":" + quote(html.toAbsolutePath().toUri().toString()) + "}");
        loaded.get(WAIT_SECONDS, TimeUnit.SECONDS);
        String js = """
                (() => {
                const chromatic = c => {
                  const m = c && c.match(/rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)(?:,\\s*([\\d.]+))?\\)/);
                  if (!m || (m[4] !== undefined && parseFloat(m[4]) === 0)) return false;
                  const v = [+m[1], +m[2], +m[3]];
                  return Math.max(...v) - Math.min(...v) > 24;
                };
                const shapes = 'path, rect, line, circle, ellipse, polygon, polyline';
                return JSON.stringify({
                  title: document.title,
                  findings: Array.from(document.querySelectorAll('.findings')).map(e => e.innerText).join('\\n'),
                  figures: Array.from(document.querySelectorAll('figure.chart')).map(f => {
                    const svg = f.querySelector('svg');
                    return { chart: f.dataset.chart,
                             marks: svg ? svg.querySelectorAll(shapes).length : 0,
                             coloured: svg ? Array.from(svg.querySelectorAll(shapes)).filter(e => {
                                 const s = getComputedStyle(e);
                                 return chromatic(s.fill) || chromatic(s.stroke); }).length : 0,
                             width: svg ? svg.getBoundingClientRect().width : 0 };
                  })
                }); })()""";
        Map<?, ?> r = call("Runtime.evaluate", "{\"expression\":" + quote(js) + ",\"returnByValue\":true}");
        Map<?, ?> result = (Map<?, ?>) ((Map<?, ?>) r.get("result")).get("result");
        Map<?, ?> page = (Map<?, ?>) JsonReader.parse((String) result.get("value"));
        List<Figure> figures = new ArrayList<>();
        for (Object o : (List<?>) page.get("figures")) {
            Map<?, ?> f = (Map<?, ?>) o;
            figures.add(new Figure((String) f.get("chart"), ((Double) f.get("marks")).intValue(),
                    ((Double) f.get("coloured")).intValue(), (Double) f.get("width")));
        }
        Map<?, ?> metrics = (Map<?, ?>) call("Page.getLayoutMetrics", "{}").get("result");
        Map<?, ?> size = (Map<?, ?>) metrics.get("cssContentSize");
        double height = Math.min(((Double) size.get("height")), 16_000);
        double width = (Double) size.get("width");
        Map<?, ?> shot = call("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true,"
                + "\"clip\":{\"x\":0,\"y\":0,\"width\":" + width + ",\"height\":" + height + ",\"scale\":1}}");
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        Files.write(screenshot, Base64.getDecoder().decode((String) ((Map<?, ?>) shot.get("result")).get("data")));
        return new Page((String) page.get("title"), (String) page.get("findings"), figures, List.copyOf(errors), screenshot);
    }

    private Map<?, ?> call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<?, ?>> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        Map<?, ?> m = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        if (m.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + m.get("error"));
        }
        return m;
    }

    private void message(String text) {
        Map<?, ?> m = (Map<?, ?>) JsonReader.parse(text);
        if (m.get("id") instanceof Double id) {
            CompletableFuture<Map<?, ?>> f = pending.remove(id.intValue());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = (String) m.get("method");
        Map<?, ?> params = (Map<?, ?>) m.get("params");
        switch (String.valueOf(method)) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.get("type")) || "assert".equals(params.get("type"))) {
                    errors.add("console." + params.get("type") + ": " + params.get("args"));
                }
            }
            case "Log.entryAdded" -> {
                Map<?, ?> entry = (Map<?, ?>) params.get("entry");
                if ("error".equals(entry.get("level"))) {
                    errors.add("log: " + entry.get("text") + " " + entry.get("url"));
                }
            }
            default -> { }
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException e) {
            // the browser is going anyway
        }
        // Its helpers (renderer, GPU, crash handler) write into the profile too: end them with
        // it, or a file they create or remove while the profile is deleted fails the walk.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                try {
                    h.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            helpers.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        deleteProfile();
    }

    /** Deletes the profile directory; a file that vanishes meanwhile is not an error. */
    private void deleteProfile() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                return;
            } catch (NoSuchFileException e) {
                return; // gone already
            } catch (UncheckedIOException e) {
                if (attempt == 2) {
                    throw e.getCause();
                }
            }
        }
    }

    /** Gathers a message's fragments, then hands it to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        private final Chromium[] self;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final StringBuilder buffer = new StringBuilder();

        Listener(Chromium[] self) {
            this.self = self;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                ready.join();
                self[0].message(text);
            }
            ws.request(1);
            return null;
        }
    }
}
