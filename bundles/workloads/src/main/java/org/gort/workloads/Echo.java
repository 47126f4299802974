package org.gort.workloads;

import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Conn;
import org.gort.api.Go;
import org.gort.api.Listener;
import org.gort.api.Net;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * A TCP echo server on loopback and its clients, Go's canonical network program: main
 * listens on {@code 127.0.0.1:0}, an accept loop starts a server goroutine per connection that
 * writes back whatever it reads until the client closes, and {@code clients} client goroutines
 * each make {@code requests} round trips of {@code size} bytes: write a message, read the
 * whole echo back, compare it byte for byte with what was sent (every message differs).
 *
 * <p>Every goroutine spends most of its time waiting on a socket. With the network poller
 * (the default) a waiting goroutine parks and its M runs the others, so a handful of threads
 * serve all connections; with {@code --set net.poller=false} each wait is a blocking syscall
 * that holds an M, and the run needs about one thread per connection end.
 *
 * <p>Output: {@code echoes verified: <clients × requests>}, {@code bytes echoed: <clients ×
 * requests × size>} (counted by the servers), {@code connections served: <clients>}, then a
 * latency line (not checked). Reported: {@code echo.p50.ns}, {@code echo.p99.ns},
 * {@code echo.max.ns} (round-trip latency as a client measured it).
 */
@Component(service = Workload.class, property = "gort.workload.name=echo")
public final class Echo extends StandardWorkload {
    private static final java.util.regex.Pattern LATENCY_LINE =
            java.util.regex.Pattern.compile("latency p50=[0-9.]+us p99=[0-9.]+us max=[0-9.]+us");

    public Echo() {
        super("echo", "TCP echo over loopback: a server goroutine per connection, clients verify every echo; latency percentiles",
                Param.ofInt("clients", 10, "client goroutines, each with its own connection").range(1, 2000),
                Param.ofInt("requests", 200, "round trips per client").atLeast(1),
                Param.ofInt("size", 64, "bytes per message").range(1, 1 << 20));
    }

    @Override
    void run(Params p) {
        int clients = p.intValue("clients");
        int requests = p.intValue("requests");
        int size = p.intValue("size");
        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        Chan<Long> served = Chan.make(clients);
        Go.go(() -> {
            for (int i = 0; i < clients; i++) {
                Conn c = ln.accept();
                Go.go(() -> served.send(serve(c, size)));
            }
        });
        String addr = ln.addr();
        Chan<long[]> results = Chan.make(clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            Go.go(() -> results.send(client(addr, id, requests, size)));
        }
        long verified = 0;
        long[] all = new long[clients * requests];
        int k = 0;
        for (int i = 0; i < clients; i++) {
            long[] r = results.recv();
            verified += r[0];
            System.arraycopy(r, 1, all, k, r.length - 1);
            k += r.length - 1;
        }
        long bytes = 0;
        for (int i = 0; i < clients; i++) {
            bytes += served.recv();
        }
        ln.close();
        Latencies lat = new Latencies(java.util.Arrays.copyOf(all, k));
        Go.println("echoes verified: " + verified);
        Go.println("bytes echoed: " + bytes);
        Go.println("connections served: " + clients);
        Go.println("latency p50=" + Latencies.micros(lat.percentile(50)) + " p99=" + Latencies.micros(lat.percentile(99))
                + " max=" + Latencies.micros(lat.max()));
        Go.report("echo.p50.ns", lat.percentile(50));
        Go.report("echo.p99.ns", lat.percentile(99));
        Go.report("echo.max.ns", lat.max());
    }

    /** The server goroutine: echo until the client closes; returns the bytes echoed. */
    private static long serve(Conn c, int size) {
        byte[] buf = new byte[Math.max(size, 4096)];
        long total = 0;
        for (int n; (n = c.read(buf)) > 0; ) {
            c.write(buf, 0, n);
            total += n;
        }
        c.close();
        return total;
    }

    /** One client: {@code requests} round trips; returns [verified, latency...]. */
    private static long[] client(String addr, int id, int requests, int size) {
        Conn c = Net.dial("tcp", addr);
        byte[] msg = new byte[size];
        byte[] back = new byte[size];
        long[] out = new long[1 + requests];
        for (int r = 0; r < requests; r++) {
            for (int i = 0; i < size; i++) {
                msg[i] = (byte) (id * 31 + r * 7 + i);
            }
            long t0 = System.nanoTime();
            c.write(msg);
            int n = c.readFull(back);
            out[1 + r] = System.nanoTime() - t0;
            if (n == size && java.util.Arrays.equals(msg, back)) {
                out[0]++;
            }
        }
        c.close();
        return out;
    }

    @Override
    public Check check(Params p, List<String> output) {
        long echoes = (long) p.intValue("clients") * p.intValue("requests");
        List<String> expected = List.of("echoes verified: " + echoes, "bytes echoed: " + echoes * p.intValue("size"),
                "connections served: " + p.intValue("clients"));
        Check c = Check.expectLines(expected, output.subList(0, Math.min(expected.size(), output.size())));
        if (!c.passed()) {
            return c;
        }
        // the latency line differs from run to run: only its shape is checked
        String latency = output.size() > 3 ? output.get(3) : "<no line>";
        if (!LATENCY_LINE.matcher(latency).matches()) {
            return Check.failed("line 4: expected 'latency p50=…us p99=…us max=…us', got '" + latency + "'");
        }
        return output.size() > 4 ? Check.failed("line 5: expected '<no line>', got '" + output.get(4) + "'") : Check.ok();
    }
}
