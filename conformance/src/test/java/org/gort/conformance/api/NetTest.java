package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.gort.api.Chan;
import org.gort.api.Conn;
import org.gort.api.Go;
import org.gort.api.Listener;
import org.gort.api.Net;
import org.gort.api.OpError;
import org.gort.api.PacketConn;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Select;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code net} API on loopback under both schedulers, with the network poller and with
 * blocking syscalls ({@code net.poller=false}): accept, dial, read, write, EOF, deadlines,
 * close and its errors in Go's words, the sockets a run leaves open, and what a goroutine
 * waiting on a socket costs in threads, and dials with a timeout; and UDP: datagrams through
 * {@code net.ListenPacket}'s PacketConn and a dialed UDP Conn, with the same deadlines, close
 * and end-of-run cleanup. No assertion depends on
 * tight timing: deadlines are only ever expected to pass, and a dial's timeout to end it well
 * within a generous bound.
 */
class NetTest {
    private static final String ADDR = "127\\.0\\.0\\.1:\\d+";

    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of("gmp", true), Arguments.of("gmp", false),
                Arguments.of("legacy-gm", true), Arguments.of("legacy-gm", false));
    }

    private static RunResult run(String sched, boolean poller, Runnable main) {
        return Kit.run(Kit.config(sched, 2).property("net.poller", Boolean.toString(poller)).build(), main);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void echoOverLoopbackThenEofWhenThePeerCloses(String sched, boolean poller) {
        AtomicReference<String> seen = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<String> server = Chan.make(1);
            Go.go(() -> {
                Conn c = ln.accept();
                byte[] buf = new byte[64];
                int total = 0;
                for (int n; (n = c.read(buf)) > 0; ) {
                    c.write(buf, 0, n);
                    total += n;
                }
                String from = c.remoteAddr();
                c.close();
                server.send("eof after " + total + " bytes from " + from);
            });
            Conn c = Net.dial("tcp", ln.addr());
            assertEquals(ln.addr(), c.remoteAddr());
            StringBuilder got = new StringBuilder();
            for (String word : new String[] {"hello", "gopher", "x".repeat(3000)}) {
                c.write(bytes(word));
                byte[] back = new byte[word.length()];
                assertEquals(back.length, c.readFull(back));
                assertArrayEquals(bytes(word), back);
                got.append(word.length()).append(' ');
            }
            String local = c.localAddr();
            c.close();
            String s = server.recv();
            assertEquals("eof after 3011 bytes from " + local, s);
            ln.close();
            seen.set(got.toString().trim() + " | " + ln.addr());
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(seen.get().matches("5 6 3000 \\| " + ADDR), seen.get());
        assertEquals(3, r.metrics().count("net.sockets.opened"));
        assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
    }

    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aReadDeadlineFailsWithIoTimeoutAndTheConnectionStaysUsable(String sched, boolean poller) {
        AtomicReference<String> msg = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<Conn> accepted = Chan.make(1);
            Go.go(() -> accepted.send(ln.accept()));
            Conn c = Net.dial("tcp", ln.addr());
            Conn s = accepted.recv();
            c.setReadDeadline(Instant.now().plusMillis(30));
            OpError e = assertThrows(OpError.class, () -> c.read(new byte[8]));
            assertTrue(e.timeout(), e.getMessage());
            msg.set(e.getMessage());
            // still failing while the deadline stands; after it is cleared, data flows again
            assertTrue(assertThrows(OpError.class, () -> c.read(new byte[8])).timeout());
            c.setReadDeadline(null);
            s.write(bytes("late"));
            byte[] back = new byte[4];
            assertEquals(4, c.readFull(back));
            assertArrayEquals(bytes("late"), back);
            // a write deadline in the past fails the next write
            c.setWriteDeadline(Instant.now().minusSeconds(1));
            assertTrue(assertThrows(OpError.class, () -> c.write(bytes("no"))).timeout());
            c.close();
            s.close();
            ln.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(msg.get().matches("read tcp " + ADDR + "->" + ADDR + ": i/o timeout"), msg.get());
    }

    /** Go's deadline semantics for a read already waiting: setting a past deadline wakes it (poller only). */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aPastDeadlineWakesAReadThatIsWaiting(String sched, boolean poller) {
        assumeTrue(poller, "a blocking read takes its deadline when the call starts");
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<Conn> accepted = Chan.make(1);
            Go.go(() -> accepted.send(ln.accept()));
            Conn c = Net.dial("tcp", ln.addr());
            Conn s = accepted.recv();
            Chan<String> result = Chan.make(1);
            Go.go(() -> {
                try {
                    c.read(new byte[8]);
                    result.send("read returned");
                } catch (OpError e) {
                    result.send(e.err());
                }
            });
            Go.sleep(Duration.ofMillis(20)); // usually the reader waits by now; if not, it fails at once
            c.setReadDeadline(Instant.now().minusSeconds(1));
            assertEquals(OpError.TIMEOUT, result.recv());
            c.close();
            s.close();
            ln.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void closeWakesReaderAndAcceptWithTheClosedConnectionError(String sched, boolean poller) {
        AtomicReference<String> readErr = new AtomicReference<>();
        AtomicReference<String> acceptErr = new AtomicReference<>();
        AtomicReference<String> closeErr = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<Conn> accepted = Chan.make(1);
            Go.go(() -> accepted.send(ln.accept()));
            Conn c = Net.dial("tcp", ln.addr());
            Conn s = accepted.recv();
            Chan<String> reader = Chan.make(1);
            Go.go(() -> {
                try {
                    c.read(new byte[8]);
                    reader.send("read returned");
                } catch (OpError e) {
                    reader.send(e.getMessage());
                }
            });
            Chan<String> acceptor = Chan.make(1);
            Go.go(() -> {
                try {
                    ln.accept();
                    acceptor.send("accept returned");
                } catch (OpError e) {
                    acceptor.send(e.getMessage());
                }
            });
            Go.sleep(Duration.ofMillis(20)); // usually both wait by now; if not, they fail at once
            c.close();
            ln.close();
            readErr.set(reader.recv());
            acceptErr.set(acceptor.recv());
            OpError again = assertThrows(OpError.class, c::close);
            assertTrue(again.closed());
            closeErr.set(again.getMessage());
            assertTrue(assertThrows(OpError.class, () -> c.write(bytes("x"))).closed());
            // the peer sees the end of the stream
            assertEquals(-1, s.read(new byte[8]));
            s.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(readErr.get().matches("read tcp " + ADDR + "->" + ADDR + ": use of closed network connection"), readErr.get());
        assertTrue(acceptErr.get().matches("accept tcp " + ADDR + ": use of closed network connection"), acceptErr.get());
        assertTrue(closeErr.get().matches("close tcp " + ADDR + "->" + ADDR + ": use of closed network connection"), closeErr.get());
    }

    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void theSocketsARunLeavesOpenAreClosedWhenItEnds(String sched, boolean poller) throws Exception {
        AtomicReference<String> addr = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            addr.set(ln.addr());
            Chan<Conn> accepted = Chan.make(1);
            Go.go(() -> accepted.send(ln.accept()));
            Net.dial("tcp", ln.addr()).write(bytes("left open"));
            accepted.recv();
            // a goroutine still waiting on a socket when main returns
            Chan<Boolean> dialed = Chan.make(1);
            Go.go(() -> {
                Conn c = Net.dial("tcp", ln.addr());
                dialed.send(true);
                c.read(new byte[1]);
            });
            dialed.recv();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        // the listener, two dialed connections, the accepted one (the second dial is in the backlog)
        assertEquals(4, r.metrics().count("net.sockets.opened"));
        assertEquals(4, r.metrics().count("net.sockets.closed.atexit"));
        int port = Integer.parseInt(addr.get().substring(addr.get().lastIndexOf(':') + 1));
        try (Socket probe = new Socket()) {
            assertThrows(ConnectException.class, () -> probe.connect(new InetSocketAddress("127.0.0.1", port), 2000),
                    "the run's listener still accepts connections");
        }
    }

    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void onlyLoopbackAndTcpAreAccepted(String sched, boolean poller) {
        AtomicReference<String> remote = new AtomicReference<>();
        AtomicReference<String> network = new AtomicReference<>();
        AtomicReference<String> refused = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            remote.set(assertThrows(OpError.class, () -> Net.dial("tcp", "192.0.2.1:80")).getMessage());
            network.set(assertThrows(OpError.class, () -> Net.listen("sctp", "127.0.0.1:0")).getMessage());
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String a = ln.addr();
            ln.close();
            refused.set(assertThrows(OpError.class, () -> Net.dial("tcp", a)).getMessage());
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(remote.get().startsWith("dial tcp 192.0.2.1:80: gort's net uses loopback only"), remote.get());
        assertEquals("listen sctp: unknown network sctp", network.get());
        assertTrue(refused.get().matches("dial tcp " + ADDR + ": connect: connection refused"), refused.get());
    }

    /**
     * {@code net.DialTimeout} to a listening port: the connection works, and the dial's
     * deadline (the write deadline while the connect waits, in Go's fd.connect) no longer
     * applies once it is made. A zero timeout is none; a negative one has passed already.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aDialWithATimeoutToAListenerConnectsAndTheTimeoutEndsWithTheDial(String sched, boolean poller) {
        AtomicReference<String> negative = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<Conn> accepted = Chan.make(2);
            Go.go(() -> {
                accepted.send(ln.accept());
                accepted.send(ln.accept());
            });
            Conn c = Net.dialTimeout("tcp", ln.addr(), Duration.ofMillis(250));
            assertEquals(ln.addr(), c.remoteAddr());
            Conn s = accepted.recv();
            assertEquals(c.localAddr(), s.remoteAddr());
            Go.sleep(Duration.ofMillis(350)); // past the dial's timeout
            c.write(bytes("ping"));
            byte[] got = new byte[4];
            assertEquals(4, s.readFull(got));
            assertArrayEquals(bytes("ping"), got);
            s.write(bytes("pong"));
            assertEquals(4, c.readFull(got));
            assertArrayEquals(bytes("pong"), got);

            Conn z = Net.dialTimeout("tcp", ln.addr(), Duration.ZERO);
            Conn zs = accepted.recv();
            z.write(bytes("zero"));
            assertEquals(4, zs.readFull(got));
            assertArrayEquals(bytes("zero"), got);

            negative.set(assertThrows(OpError.class, () -> Net.dialTimeout("tcp", ln.addr(), Duration.ofMillis(-1))).getMessage());
            for (Conn x : new Conn[] {c, s, z, zs}) {
                x.close();
            }
            ln.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(negative.get().matches("dial tcp " + ADDR + ": i/o timeout"), negative.get());
        // the listener, two dialed connections and two accepted: the negative timeout opened none
        assertEquals(5, r.metrics().count("net.sockets.opened"));
        assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
    }

    /**
     * A dial that cannot complete: the listener's accept queue is full, so the kernel drops
     * the SYN and the connect stays in progress. The dialing goroutine gets Go's error within
     * a bound, its socket is closed, and the run goes on (a later dial works, the run ends OK).
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aDialThatCannotCompleteTimesOutAndClosesItsSocket(String sched, boolean poller) throws Exception {
        try (FullBacklog full = FullBacklog.open()) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicLong tookMs = new AtomicLong();
            AtomicInteger pendingBefore = new AtomicInteger();
            AtomicInteger pendingAfter = new AtomicInteger();
            RunResult r = run(sched, poller, () -> {
                pendingBefore.set(synSent(full.port()));
                Chan<Object> result = Chan.make(1);
                long t0 = System.nanoTime();
                Go.go(() -> {
                    try {
                        Conn c = Net.dialTimeout("tcp", full.addr(), Duration.ofMillis(200));
                        c.close();
                        result.send("the dial connected");
                    } catch (OpError e) {
                        result.send(e);
                    }
                });
                // a bounded wait: a dial that does not time out fails the test rather than hang it
                Select.create()
                        .recv(result, (v, ok) -> outcome.set(v))
                        .recv(Go.after(Duration.ofSeconds(10)), (v, ok) -> outcome.set("no result 10 s into a dial with a 200 ms timeout"))
                        .run();
                tookMs.set((System.nanoTime() - t0) / 1_000_000);
                // its socket is gone (a leaked one would stay SYN_SENT for minutes)
                for (int i = 0; i < 200 && synSent(full.port()) > pendingBefore.get(); i++) {
                    Go.sleep(Duration.ofMillis(10));
                }
                pendingAfter.set(synSent(full.port()));
                // the runtime is still well: a dial to a listener of the run works
                Listener ln = Net.listen("tcp", "127.0.0.1:0");
                Chan<Conn> accepted = Chan.make(1);
                Go.go(() -> accepted.send(ln.accept()));
                Conn c = Net.dialTimeout("tcp", ln.addr(), Duration.ofSeconds(10));
                Conn s = accepted.recv();
                c.write(bytes("ok"));
                byte[] b = new byte[2];
                assertEquals(2, s.readFull(b));
                c.close();
                s.close();
                ln.close();
            });
            assertEquals(RunStatus.OK, r.status(), r.failure());
            Object o = outcome.get();
            if (!(o instanceof OpError e)) {
                throw new AssertionError(String.valueOf(o));
            }
            assertEquals("dial tcp " + full.addr() + ": i/o timeout", e.getMessage());
            assertTrue(e.timeout(), "Timeout() of " + e.getMessage());
            assertEquals("dial", e.op());
            assertTrue(tookMs.get() >= 190, "timed out after " + tookMs.get() + " ms, before its 200 ms");
            if (pendingBefore.get() >= 0) {
                assertTrue(pendingBefore.get() >= 1, "the connect left in progress by FullBacklog.open is not seen as SYN_SENT");
                assertEquals(pendingBefore.get(), pendingAfter.get(), "SYN_SENT sockets to the full listener before and after the dial");
            }
            // the socket that timed out was never the program's: nothing left for the end of the run
            assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
        }
    }

    /** A timeout does not change how a refused dial fails: Go's connection refused, not a timeout. */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aDialWithATimeoutToAClosedPortIsRefused(String sched, boolean poller) {
        AtomicReference<OpError> refused = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String a = ln.addr();
            ln.close();
            refused.set(assertThrows(OpError.class, () -> Net.dialTimeout("tcp", a, Duration.ofSeconds(5))));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        OpError e = refused.get();
        assertTrue(e.getMessage().matches("dial tcp " + ADDR + ": connect: connection refused"), e.getMessage());
        assertTrue(!e.timeout(), "a refused dial is not a timeout");
    }

    /**
     * A listener (outside any run) that never accepts and whose accept queue is full. On Linux
     * a listener with backlog 1 completes two connections (the queue holds backlog + 1) and
     * then drops every SYN, so a further connect stays in progress (SYN_SENT, the SYN resent
     * at 1 s, 3 s, 7 s ...) for as long as the queue stays full. The queue is filled with
     * non-blocking connects until one is still in progress after 200 ms.
     */
    private record FullBacklog(ServerSocketChannel listener, List<SocketChannel> fillers) implements AutoCloseable {
        static FullBacklog open() throws IOException {
            ServerSocketChannel ln = ServerSocketChannel.open();
            List<SocketChannel> fillers = new ArrayList<>();
            FullBacklog full = new FullBacklog(ln, fillers);
            boolean pending = false;
            try {
                ln.bind(new InetSocketAddress("127.0.0.1", 0), 1);
                for (int i = 0; i < 16 && !pending; i++) {
                    SocketChannel c = SocketChannel.open();
                    fillers.add(c);
                    c.configureBlocking(false);
                    if (c.connect(ln.getLocalAddress())) {
                        continue;
                    }
                    try (Selector sel = Selector.open()) {
                        c.register(sel, SelectionKey.OP_CONNECT);
                        if (sel.select(200) == 0) {
                            pending = true;
                        } else {
                            c.finishConnect();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                full.close();
                throw e;
            }
            if (!pending) {
                full.close();
            }
            assumeTrue(pending, "this system completed 16 connects to a listener with backlog 1 that never accepts");
            return full;
        }

        String addr() {
            return "127.0.0.1:" + port();
        }

        int port() {
            return listener.socket().getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : fillers) {
                c.close();
            }
            listener.close();
        }
    }

    /**
     * The sockets on this machine connecting to 127.0.0.1:{@code port} (state SYN_SENT in
     * /proc/net/tcp, or in /proc/net/tcp6 as ::ffff:127.0.0.1 for a dual-stack socket), or -1
     * where there is no /proc/net/tcp.
     */
    private static int synSent(int port) {
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            return -1;
        }
        String remote = String.format(Locale.ROOT, "0100007F:%04X", port);
        int n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[2].endsWith(remote) && f[3].equals("02")) {
                        n++;
                    }
                }
            } catch (IOException e) {
                // no IPv6 on this machine
            }
        }
        return n;
    }

    /**
     * The poller's point: goroutines waiting on sockets hold no M. Twenty readers wait at once;
     * with the poller the run needs about GOMAXPROCS threads (plus the poll server or the M
     * blocked in the poller), with blocking syscalls one thread per waiting reader.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void waitingReadersHoldAnMOnlyWithoutThePoller(String sched, boolean poller) {
        int readers = 20;
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Chan<Conn> accepted = Chan.make(readers);
            Go.go(() -> {
                for (int i = 0; i < readers; i++) {
                    accepted.send(ln.accept());
                }
            });
            Chan<Integer> done = Chan.make(readers);
            AtomicInteger waiting = new AtomicInteger();
            Conn[] clients = new Conn[readers];
            for (int i = 0; i < readers; i++) {
                Conn c = Net.dial("tcp", ln.addr());
                clients[i] = c;
                Go.go(() -> {
                    waiting.incrementAndGet();
                    byte[] b = new byte[1];
                    done.send(c.read(b) == 1 ? (int) b[0] : -1);
                });
            }
            Conn[] servers = new Conn[readers];
            for (int i = 0; i < readers; i++) {
                servers[i] = accepted.recv();
            }
            while (waiting.get() < readers) {
                Go.sleep(Duration.ofMillis(1));
            }
            Go.sleep(Duration.ofMillis(50)); // let the readers reach their wait
            for (Conn s : servers) {
                s.write(new byte[] {7});
            }
            for (int i = 0; i < readers; i++) {
                assertEquals(7, done.recv());
            }
            for (int i = 0; i < readers; i++) {
                clients[i].close();
                servers[i].close();
            }
            ln.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        long ms = r.metrics().count("sched.ms.created");
        if (poller) {
            assertTrue(ms <= 6, "with the poller, " + ms + " Ms for " + readers + " waiting readers");
            if (sched.equals("gmp")) {
                assertEquals(0, r.metrics().count("sched.syscalls"), "gmp polls without a syscall");
            }
        } else {
            // each reader blocked in its read holds an M (half of them at least, should some
            // reader on a slow machine not have reached its read when the data came)
            assertTrue(ms >= readers / 2 + 2, "with blocking reads, " + ms + " Ms for " + readers + " waiting readers");
        }
    }

    /**
     * Goroutines that wait only on sockets are not deadlocked (Go's checkdead): here main waits
     * for bytes that a thread outside the run writes later, with every P idle, no timer and no
     * syscall pending.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void waitingOnlyOnASocketIsNotADeadlock(String sched, boolean poller) throws Exception {
        AtomicReference<Thread> outside = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String a = ln.addr();
            int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
            Thread t = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    Thread.sleep(200);
                    OutputStream out = s.getOutputStream();
                    out.write(bytes("hi"));
                    out.flush();
                    Thread.sleep(200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            outside.set(t);
            Conn c = ln.accept();
            byte[] b = new byte[2];
            assertEquals(2, c.readFull(b));
            assertArrayEquals(bytes("hi"), b);
            c.close();
            ln.close();
        });
        outside.get().join(10_000);
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    // ------------------------------------------------------------------ UDP

    /**
     * Go's UDP echo: a PacketConn (net.ListenPacket) answers each datagram to its sender
     * (ReadFrom, WriteTo); a dialed UDP Conn writes and reads single datagrams. ReadFrom
     * reports the dialed socket's address; datagram boundaries hold; a datagram longer than
     * the buffer fills it and the rest is lost.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void udpEchoBetweenTwoGoroutinesAndReadFromReportsTheSender(String sched, boolean poller) {
        AtomicReference<String> senders = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0");
            assertTrue(pc.localAddr().matches(ADDR), pc.localAddr());
            Chan<String> from = Chan.make(16);
            Chan<Boolean> done = Chan.make(1);
            Go.go(() -> {
                byte[] buf = new byte[64];
                for (;;) {
                    PacketConn.Received got = pc.readFrom(buf);
                    from.send(got.addr());
                    if (got.n() == 3 && buf[0] == 'e' && buf[1] == 'n' && buf[2] == 'd') {
                        break;
                    }
                    pc.writeTo(buf, 0, got.n(), got.addr());
                }
                done.send(true);
            });
            Conn c = Net.dial("udp", pc.localAddr());
            assertEquals(pc.localAddr(), c.remoteAddr());
            byte[] back = new byte[64];
            for (String word : new String[] {"hello", "gopher", "x".repeat(1000)}) {
                assertEquals(word.length(), c.write(bytes(word)));
                int n = c.read(back); // the server read 64 bytes of the long one, and sent those back
                assertEquals(Math.min(64, word.length()), n);
                assertEquals(word.length() > 64 ? "x".repeat(64) : word, new String(back, 0, n, StandardCharsets.US_ASCII));
            }
            // two datagrams stay two: the first, longer than the buffer, is cut to it
            c.write(bytes("0123456789"));
            c.write(bytes("ab"));
            byte[] small = new byte[4];
            assertEquals(4, c.read(small));
            assertArrayEquals(bytes("0123"), small);
            assertEquals(2, c.read(small));
            assertEquals('a', small[0]);
            // a second socket of the program, PacketConn to PacketConn
            PacketConn other = Net.listenPacket("udp4", "127.0.0.1:0");
            assertEquals(4, other.writeTo(bytes("ping"), pc.localAddr()));
            PacketConn.Received got = other.readFrom(back);
            assertEquals(4, got.n());
            assertEquals(pc.localAddr(), got.addr());
            c.write(bytes("end"));
            done.recv();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                String a = from.recv();
                s.append(a.equals(c.localAddr()) ? "c" : a.equals(other.localAddr()) ? "o" : a).append(' ');
            }
            senders.set(s.toString().trim());
            c.close();
            other.close();
            pc.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals("c c c c c o c", senders.get());
        assertEquals(3, r.metrics().count("net.sockets.opened"));
        assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
    }

    /**
     * A read deadline on a PacketConn and on a dialed UDP Conn fails with Go's {@code read udp
     * ...: i/o timeout}, keeps failing while it stands, and once cleared the socket reads
     * again; a write deadline in the past fails the next write.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void aUdpReadDeadlineFailsWithIoTimeoutAndTheSocketStaysUsable(String sched, boolean poller) {
        AtomicReference<String> packetMsg = new AtomicReference<>();
        AtomicReference<String> connMsg = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0");
            Conn c = Net.dial("udp", pc.localAddr());
            pc.setReadDeadline(Instant.now().plusMillis(30));
            OpError e = assertThrows(OpError.class, () -> pc.readFrom(new byte[8]));
            assertTrue(e.timeout(), e.getMessage());
            packetMsg.set(e.getMessage());
            assertTrue(assertThrows(OpError.class, () -> pc.readFrom(new byte[8])).timeout());
            pc.setReadDeadline(null);
            c.write(bytes("late"));
            byte[] b = new byte[8];
            PacketConn.Received got = pc.readFrom(b);
            assertEquals(new PacketConn.Received(4, c.localAddr()), got);

            c.setReadDeadline(Instant.now().plusMillis(30));
            OpError ce = assertThrows(OpError.class, () -> c.read(new byte[8]));
            assertTrue(ce.timeout(), ce.getMessage());
            connMsg.set(ce.getMessage());
            c.setDeadline(null);
            pc.writeTo(bytes("back"), c.localAddr());
            assertEquals(4, c.read(b));

            pc.setWriteDeadline(Instant.now().minusSeconds(1));
            OpError we = assertThrows(OpError.class, () -> pc.writeTo(bytes("no"), c.localAddr()));
            assertTrue(we.timeout(), we.getMessage());
            assertEquals("write udp " + pc.localAddr() + "->" + c.localAddr() + ": i/o timeout", we.getMessage());
            c.close();
            pc.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(packetMsg.get().matches("read udp " + ADDR + ": i/o timeout"), packetMsg.get());
        assertTrue(connMsg.get().matches("read udp " + ADDR + "->" + ADDR + ": i/o timeout"), connMsg.get());
    }

    /** Close wakes a goroutine blocked in ReadFrom (and in a dialed UDP Conn's Read) with Go's closed-connection error. */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void closeWakesABlockedReadFromWithTheClosedConnectionError(String sched, boolean poller) {
        AtomicReference<String> readFromErr = new AtomicReference<>();
        AtomicReference<String> readErr = new AtomicReference<>();
        AtomicReference<String> closeErr = new AtomicReference<>();
        AtomicReference<String> addr = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0");
            addr.set(pc.localAddr());
            Conn c = Net.dial("udp", pc.localAddr());
            Chan<String> errs = Chan.make(2);
            Go.go(() -> {
                try {
                    pc.readFrom(new byte[8]);
                    errs.send("readFrom returned");
                } catch (OpError e) {
                    errs.send(e.getMessage());
                }
            });
            Go.go(() -> {
                try {
                    c.read(new byte[8]);
                    errs.send("read returned");
                } catch (OpError e) {
                    errs.send(e.getMessage());
                }
            });
            Go.sleep(Duration.ofMillis(20)); // usually both wait by now; if not, they fail at once
            pc.close();
            String first = errs.recv();
            readFromErr.set(first);
            c.close();
            readErr.set(errs.recv());
            OpError again = assertThrows(OpError.class, pc::close);
            assertTrue(again.closed());
            closeErr.set(again.getMessage());
            assertTrue(assertThrows(OpError.class, () -> pc.writeTo(bytes("x"), c.remoteAddr())).closed());
            assertTrue(assertThrows(OpError.class, () -> c.write(bytes("x"))).closed());
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals("read udp " + addr.get() + ": use of closed network connection", readFromErr.get());
        assertTrue(readErr.get().matches("read udp " + ADDR + "->" + ADDR + ": use of closed network connection"), readErr.get());
        assertEquals("close udp " + addr.get() + ": use of closed network connection", closeErr.get());
        assertEquals(2, r.metrics().count("net.sockets.opened"));
        assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
    }

    /**
     * Many goroutines exchange datagrams at once: 8 clients, each on its own dialed UDP Conn,
     * send 25 numbered datagrams each to one PacketConn served by two goroutines reading it
     * together, and wait for each echo before the next, so that at most 8 datagrams are in
     * flight (loopback's buffers never drop them; a loss would end in a 10 s read deadline,
     * failing the test, not hang it). Every datagram is echoed to its own sender.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void manyGoroutinesExchangeDatagramsAndNoneIsLost(String sched, boolean poller) {
        int clients = 8;
        int each = 25;
        AtomicInteger served = new AtomicInteger();
        RunResult r = run(sched, poller, () -> {
            PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0");
            Chan<Boolean> serversDone = Chan.make(2);
            for (int s = 0; s < 2; s++) {
                Go.go(() -> {
                    byte[] buf = new byte[16];
                    try {
                        for (;;) {
                            PacketConn.Received got = pc.readFrom(buf);
                            served.incrementAndGet();
                            pc.writeTo(buf, 0, got.n(), got.addr());
                        }
                    } catch (OpError e) {
                        assertTrue(e.closed(), e.getMessage());
                    }
                    serversDone.send(true);
                });
            }
            Chan<String> results = Chan.make(clients);
            for (int i = 0; i < clients; i++) {
                int id = i;
                Go.go(() -> {
                    Conn c = Net.dial("udp", pc.localAddr());
                    c.setReadDeadline(Instant.now().plusSeconds(10));
                    byte[] back = new byte[16];
                    int ok = 0;
                    String result;
                    try {
                        for (int k = 0; k < each; k++) {
                            byte[] msg = bytes(id + ":" + k);
                            c.write(msg);
                            int n = c.read(back);
                            if (new String(back, 0, n, StandardCharsets.US_ASCII).equals(id + ":" + k)) {
                                ok++;
                            }
                        }
                        result = id + " " + ok;
                    } catch (OpError e) {
                        result = id + " " + e.getMessage();
                    }
                    c.close(); // before main hears of it: main's return ends the run
                    results.send(result);
                });
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                got.add(results.recv());
            }
            got.sort(null);
            List<String> want = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                want.add(i + " " + each);
            }
            assertEquals(want, got);
            pc.close();
            serversDone.recv();
            serversDone.recv();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(clients * each, served.get());
        assertEquals(1 + clients, r.metrics().count("net.sockets.opened"));
        assertEquals(0, r.metrics().count("net.sockets.closed.atexit"));
    }

    /**
     * UDP sockets a run leaves open, one with a goroutine still blocked in ReadFrom, are
     * closed when it ends: their ports can be bound again at once.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void theUdpSocketsARunLeavesOpenAreClosedWhenItEnds(String sched, boolean poller) throws Exception {
        List<String> addrs = new ArrayList<>();
        RunResult r = run(sched, poller, () -> {
            PacketConn idle = Net.listenPacket("udp", "127.0.0.1:0");
            PacketConn waiting = Net.listenPacket("udp", "127.0.0.1:0");
            Conn c = Net.dial("udp", idle.localAddr());
            c.write(bytes("left unread"));
            addrs.add(idle.localAddr());
            addrs.add(waiting.localAddr());
            addrs.add(c.localAddr());
            Chan<Boolean> started = Chan.make(1);
            Go.go(() -> {
                started.send(true);
                waiting.readFrom(new byte[8]);
            });
            started.recv();
            Go.sleep(Duration.ofMillis(20));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(3, r.metrics().count("net.sockets.opened"));
        assertEquals(3, r.metrics().count("net.sockets.closed.atexit"));
        for (String a : addrs) {
            int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                assertEquals(port, probe.getLocalPort(), "the run's socket still holds " + a);
            }
        }
    }

    /**
     * UDP's errors in Go's words: loopback only, for ListenPacket and for WriteTo; a TCP
     * network for ListenPacket (and a UDP one for Listen) is an unexpected address type; a
     * dialed socket whose peer does not exist learns it from the system (ICMP port
     * unreachable) and its next read fails with connection refused.
     */
    @ParameterizedTest(name = "{0} poller={1}")
    @MethodSource("modes")
    void udpErrorsInGosWords(String sched, boolean poller) {
        List<String> msgs = new ArrayList<>();
        AtomicReference<String> refused = new AtomicReference<>();
        AtomicReference<String> local = new AtomicReference<>();
        RunResult r = run(sched, poller, () -> {
            msgs.add(assertThrows(OpError.class, () -> Net.listenPacket("udp", "192.0.2.1:0")).getMessage());
            msgs.add(assertThrows(OpError.class, () -> Net.listenPacket("tcp", "127.0.0.1:0")).getMessage());
            msgs.add(assertThrows(OpError.class, () -> Net.listen("udp", "127.0.0.1:0")).getMessage());
            msgs.add(assertThrows(OpError.class, () -> Net.dial("udp", "192.0.2.1:53")).getMessage());
            PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0");
            local.set(pc.localAddr());
            msgs.add(assertThrows(OpError.class, () -> pc.writeTo(bytes("x"), "192.0.2.1:53")).getMessage());
            PacketConn gone = Net.listenPacket("udp", "127.0.0.1:0");
            String goneAddr = gone.localAddr();
            gone.close();
            Conn c = Net.dial("udp", goneAddr);
            c.setReadDeadline(Instant.now().plusSeconds(10));
            c.write(bytes("anyone?"));
            refused.set(assertThrows(OpError.class, () -> c.read(new byte[8])).getMessage());
            c.close();
            pc.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(msgs.get(0).startsWith("listen udp 192.0.2.1:0: gort's net uses loopback only"), msgs.get(0));
        assertEquals("listen tcp 127.0.0.1:0: address 127.0.0.1:0: unexpected address type", msgs.get(1));
        assertEquals("listen udp 127.0.0.1:0: address 127.0.0.1:0: unexpected address type", msgs.get(2));
        assertTrue(msgs.get(3).startsWith("dial udp 192.0.2.1:53: gort's net uses loopback only"), msgs.get(3));
        assertTrue(msgs.get(4).startsWith("write udp " + local.get() + "->192.0.2.1:53: gort's net uses loopback only"), msgs.get(4));
        assertTrue(refused.get().matches("read udp " + ADDR + "->" + ADDR + ": read: connection refused"), refused.get());
    }
}
