package org.gort.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Mutex;
import org.gort.api.OpError;

/*
 * A network file descriptor (Go's net.netFD over internal/poll.FD): a TCP listener or
 * connection on loopback, in one of two modes chosen per run by the setting net.poller.
 *
 *   net.poller=true (default): the channel is non-blocking and registered with the run's
 *     Netpoll. An operation tries the channel; when it would block (0 bytes, no connection
 *     yet) the goroutine waits in Netpoll.pollWait ("IO wait"), holding no M, and tries again
 *     (Go's fd.Read loop: syscall.Read, EAGAIN, fd.pd.waitRead).
 *   net.poller=false: the channel blocks, and each operation is a blocking system call
 *     (Go.syscall: entersyscall ... exitsyscall), so a goroutine waiting for data holds its M
 *     for the whole wait, as network I/O did before any poller. Deadlines become the
 *     socket's SO_TIMEOUT, computed when the call starts (a deadline changed during a
 *     blocked read applies from the next call).
 *
 * A dial with a timeout (Go's Dialer.Timeout, net.DialTimeout) has a deadline taken when the
 * dial starts (Dialer.deadline; a negative timeout is one already past, so the dial fails at
 * once, as Go's does "for historical reasons"). With the poller, the connect waits as Go's
 * fd.connect does: the deadline is the descriptor's write deadline while the connect is in
 * progress (fd.pfd.SetWriteDeadline(deadline), cleared after), so the poller's timer wakes
 * the waiting goroutine with pollErrTimeout. With blocking syscalls, the same syscall is a
 * connect with a timeout (the socket's connect(address, ms)). Either way the failure is
 * "dial tcp ADDR: i/o timeout" and the socket is closed.
 *
 * Go's fdMutex is two goroutine mutexes here (rio, wio): one reader and one writer at a time,
 * so that a semaphore never has two waiters. Close is not serialised with them: it marks the
 * descriptor closing, which wakes the waiters with ErrNetClosing, then closes the channel.
 *
 * Addresses are loopback only (127.0.0.0/8, ::1, localhost): anything else is refused with
 * one line, so no run reaches beyond the machine.
 *
 * Every JDK channel call goes through Syscalls.outOfLine: the channel takes a thread-owned
 * lock, which compiled goroutine code spanning a park could otherwise key on the wrong
 * carrier (see Current).
 */
public final class NetFD {
    private static final String NET = "tcp";

    private final RuntimeInstance rt;
    private final ServerSocketChannel listener;
    private final SocketChannel conn;
    /** The poller's descriptor, or null in blocking mode. */
    private final Netpoll.PollDesc pd;
    private final String laddr;
    private final String raddr;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Mutex rio = new Mutex();
    private final Mutex wio = new Mutex();
    /** Blocking mode's deadlines, in nanoTime; 0 none. */
    private volatile long rdeadline;
    private volatile long wdeadline;

    private NetFD(RuntimeInstance rt, ServerSocketChannel listener, SocketChannel conn, Netpoll.PollDesc pd) throws IOException {
        this.rt = rt;
        this.listener = listener;
        this.conn = conn;
        this.pd = pd;
        if (listener != null) {
            this.laddr = format(listener.getLocalAddress());
            this.raddr = null;
        } else {
            this.laddr = format(conn.getLocalAddress());
            this.raddr = format(conn.getRemoteAddress());
        }
    }

    private static boolean poller(RuntimeInstance rt) {
        return rt.netpoll.enabled;
    }

    // ------------------------------------------------------------------ listen, dial, accept

    /** {@code net.Listen(network, address)}. */
    public static NetFD listen(String network, String address) {
        G g = Current.g();
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        InetSocketAddress a = resolve("listen", network, address);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.bind(a, listenerBacklog());
            Netpoll.PollDesc pd = poller(rt) ? rt.netpoll.open(ch) : null;
            NetFD fd = new NetFD(rt, ch, null, pd);
            fd.track();
            return fd;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new OpError("listen", NET, null, address, describe("bind", e));
        }
    }

    /** {@code net.Dial(network, address)}. */
    public static NetFD dial(String network, String address) {
        return dial(network, address, Duration.ZERO);
    }

    /**
     * {@code net.DialTimeout(network, address, timeout)}: Go's {@code Dialer} with
     * {@code Timeout} set. Zero means no timeout; a negative timeout has already passed.
     */
    public static NetFD dial(String network, String address, Duration timeout) {
        G g = Current.g();
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        long deadline = dialDeadline(timeout);
        InetSocketAddress a = resolve("dial", network, address);
        String ra = format(a);
        if (deadline != 0 && deadline - System.nanoTime() <= 0) {
            // dialSerial: the context is done before the address is tried (mapErr: errTimeout)
            throw new OpError("dial", NET, null, ra, OpError.TIMEOUT);
        }
        SocketChannel ch = null;
        Netpoll.PollDesc pd = null;
        try {
            ch = SocketChannel.open();
            SocketChannel opened = ch;
            outOfLine(() -> opened.setOption(StandardSocketOptions.TCP_NODELAY, true)); // Go's default
            if (poller(rt)) {
                pd = rt.netpoll.open(ch);
                SocketChannel c = ch;
                pd.connecting = true;
                boolean done = outOfLine(() -> c.connect(a));
                if (!done) {
                    awaitConnect(rt, pd, c, deadline, ra);
                }
                pd.connecting = false;
                NetFD fd = new NetFD(rt, null, ch, pd);
                fd.track();
                return fd;
            }
            SocketChannel c = ch;
            rt.syscall(g, () -> {
                if (deadline == 0) {
                    c.connect(a);
                } else {
                    c.socket().connect(a, timeoutMillis(deadline)); // closes the channel if it times out
                }
                return null;
            });
            NetFD fd = new NetFD(rt, null, ch, null);
            fd.track();
            return fd;
        } catch (OpError e) {
            closeFailedDial(rt, ch, pd);
            throw e;
        } catch (Exception e) {
            closeFailedDial(rt, ch, pd);
            if (e instanceof SocketTimeoutException) {
                throw new OpError("dial", NET, null, ra, OpError.TIMEOUT);
            }
            throw new OpError("dial", NET, null, ra, describe("connect", e));
        }
    }

    /**
     * {@code (*netFD).connect} after {@code EINPROGRESS}: waits for the socket to be writable,
     * with the dial's deadline as the write deadline meanwhile ({@code fd.pfd.SetWriteDeadline
     * (deadline)}, and {@code SetWriteDeadline(noDeadline)} after), then asks whether the
     * connect completed (Go's {@code SO_ERROR} and {@code Getpeername}; a wake-up before it
     * did waits again). A refused connect throws from {@code finishConnect}.
     */
    private static void awaitConnect(RuntimeInstance rt, Netpoll.PollDesc pd, SocketChannel c, long deadline, String ra) throws Exception {
        if (deadline != 0) {
            rt.netpoll.setDeadline(pd, deadline, false, true);
        }
        try {
            for (;;) {
                int err = rt.netpoll.pollWait(pd, false);
                if (err != Netpoll.POLL_NO_ERROR) {
                    throw pollError(err, "dial", null, ra);
                }
                if (outOfLine(c::finishConnect)) {
                    return;
                }
            }
        } finally {
            if (deadline != 0) {
                rt.netpoll.setDeadline(pd, 0, false, true);
            }
        }
    }

    /**
     * A failed dial's socket, closed as {@link #close} closes one: a channel registered with
     * the Selector is only released by its next select, so the close flushes it (a connect
     * still in progress would otherwise linger until some later poll).
     */
    private static void closeFailedDial(RuntimeInstance rt, SocketChannel ch, Netpoll.PollDesc pd) {
        if (pd != null) {
            rt.netpoll.evict(pd);
        }
        if (ch != null) {
            try {
                outOfLine(() -> {
                    ch.close();
                    return null;
                });
            } catch (Exception e) {
                // closing released the descriptor anyway
            }
        }
        if (pd != null) {
            rt.netpoll.flush();
        }
    }

    /**
     * {@code (*Dialer).deadline}: now plus {@code timeout} in nanoTime, 0 for a zero timeout
     * (none); a negative one is a deadline already past ("including negative, for historical
     * reasons").
     */
    private static long dialDeadline(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? -1 : Long.MAX_VALUE / 4;
        }
        long when = System.nanoTime() + Math.max(-1, Math.min(nanos, Long.MAX_VALUE / 4));
        return when == 0 ? 1 : when;
    }

    /** {@code (*TCPListener).Accept}. */
    public NetFD accept() {
        G g = Current.g();
        rt.safepoint(g);
        if (listener == null) {
            throw new OpError("accept", NET, null, laddr, "not a listener");
        }
        rio.lock();
        try {
            checkOpen("accept", null, laddr);
            SocketChannel c;
            if (pd != null) {
                for (;;) {
                    c = outOfLine(listener::accept);
                    if (c != null) {
                        break;
                    }
                    waitOrThrow(true, "accept", null, laddr);
                }
                SocketChannel accepted = c;
                outOfLine(() -> accepted.setOption(StandardSocketOptions.TCP_NODELAY, true));
                Netpoll.PollDesc cpd = rt.netpoll.open(c);
                NetFD fd = new NetFD(rt, null, c, cpd);
                fd.track();
                return fd;
            }
            long d = rdeadline;
            c = rt.syscall(g, () -> {
                listener.socket().setSoTimeout(timeoutMillis(d));
                return listener.socket().accept().getChannel();
            });
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NetFD fd = new NetFD(rt, null, c, null);
            fd.track();
            return fd;
        } catch (OpError e) {
            throw e;
        } catch (Exception e) {
            throw opError("accept", null, laddr, "accept", e);
        } finally {
            rio.unlock();
        }
    }

    // ------------------------------------------------------------------ read, write

    /** {@code (*conn).Read}: at least one byte, 0 only for an empty {@code len}, -1 at {@code io.EOF}. */
    public int read(byte[] b, int off, int len) {
        G g = Current.g();
        rt.safepoint(g);
        requireConn("read");
        rio.lock();
        try {
            checkOpen("read", laddr, raddr);
            if (len == 0) {
                return 0;
            }
            if (pd != null) {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                checkPd(true, "read");
                for (;;) {
                    int n = outOfLine(() -> conn.read(bb));
                    if (n != 0) {
                        return n;
                    }
                    waitOrThrow(true, "read", laddr, raddr);
                }
            }
            long d = rdeadline;
            if (d != 0 && d - System.nanoTime() <= 0) {
                throw new OpError("read", NET, laddr, raddr, OpError.TIMEOUT);
            }
            return rt.syscall(g, () -> {
                conn.socket().setSoTimeout(timeoutMillis(d));
                InputStream in = conn.socket().getInputStream();
                return in.read(b, off, len);
            });
        } catch (OpError e) {
            throw e;
        } catch (Exception e) {
            throw opError("read", laddr, raddr, "read", e);
        } finally {
            rio.unlock();
        }
    }

    /** {@code (*conn).Write}: writes all of it, or fails. */
    public int write(byte[] b, int off, int len) {
        G g = Current.g();
        rt.safepoint(g);
        requireConn("write");
        wio.lock();
        try {
            checkOpen("write", laddr, raddr);
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            if (pd != null) {
                checkPd(false, "write");
                while (bb.hasRemaining()) {
                    int n = outOfLine(() -> conn.write(bb));
                    if (n == 0) {
                        waitOrThrow(false, "write", laddr, raddr);
                    }
                }
                return len;
            }
            long d = wdeadline;
            if (d != 0 && d - System.nanoTime() <= 0) {
                throw new OpError("write", NET, laddr, raddr, OpError.TIMEOUT);
            }
            rt.syscall(g, () -> {
                while (bb.hasRemaining()) {
                    conn.write(bb);
                }
                return null;
            });
            return len;
        } catch (OpError e) {
            throw e;
        } catch (Exception e) {
            throw opError("write", laddr, raddr, "write", e);
        } finally {
            wio.unlock();
        }
    }

    // ------------------------------------------------------------------ deadlines, close

    /**
     * {@code SetDeadline}, {@code SetReadDeadline}, {@code SetWriteDeadline}: {@code t} null
     * means no deadline (Go's zero {@code time.Time}); a time in the past makes pending and
     * future calls fail with {@code i/o timeout}.
     */
    public void setDeadline(Instant t, boolean read, boolean write) {
        G g = Current.g();
        rt.safepoint(g);
        checkOpen("set", laddr, raddr);
        long when = 0;
        if (t != null) {
            long nanos;
            try {
                nanos = Duration.between(Instant.now(), t).toNanos();
            } catch (ArithmeticException e) {
                nanos = t.isBefore(Instant.now()) ? -1 : Long.MAX_VALUE / 4;
            }
            when = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
            if (when == 0) {
                when = 1;
            }
        }
        if (pd != null) {
            rt.netpoll.setDeadline(pd, when, read, write);
            return;
        }
        if (read) {
            rdeadline = when;
        }
        if (write) {
            wdeadline = when;
        }
    }

    /** {@code Close}: wakes this descriptor's waiters with {@code use of closed network connection}. */
    public void close() {
        G g = Current.g();
        rt.safepoint(g);
        if (!closed.compareAndSet(false, true)) {
            throw new OpError("close", NET, listener != null ? null : laddr, listener != null ? laddr : raddr, OpError.CLOSED);
        }
        if (pd != null) {
            rt.netpoll.evict(pd);
        }
        try {
            outOfLine(() -> {
                channel().close();
                return null;
            });
        } catch (Exception e) {
            // closing released the descriptor anyway
        } finally {
            rt.netpoll.open.remove(this);
        }
        if (pd != null) {
            rt.netpoll.flush();
        }
    }

    /** At the end of the run: closes the channel if the program did not; true if it had to. */
    boolean closeAtExit() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        closeQuietly(channel());
        rt.netpoll.open.remove(this);
        rt.netpoll.closedAtExit.increment();
        return true;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** {@code LocalAddr().String()}; a listener's {@code Addr()}. */
    public String localAddr() {
        return laddr;
    }

    /** {@code RemoteAddr().String()}; null for a listener. */
    public String remoteAddr() {
        return raddr;
    }

    // ------------------------------------------------------------------ helpers

    private java.nio.channels.Channel channel() {
        return listener != null ? listener : conn;
    }

    private void track() {
        rt.netpoll.socketsOpened.increment();
        rt.netpoll.open.add(this);
        if (rt.shuttingDown) {
            closeAtExit();
        }
    }

    private void requireConn(String op) {
        if (conn == null) {
            throw new OpError(op, NET, null, laddr, "not a connection");
        }
    }

    private void checkOpen(String op, String source, String addr) {
        if (closed.get()) {
            throw new OpError(op, NET, source, addr, OpError.CLOSED);
        }
    }

    /** {@code fd.pd.prepareRead} / {@code prepareWrite}. */
    private void checkPd(boolean read, String op) {
        int err = Netpoll.netpollcheckerr(pd, read);
        if (err != Netpoll.POLL_NO_ERROR) {
            throw pollError(err, op, laddr, raddr);
        }
    }

    private void waitOrThrow(boolean read, String op, String source, String addr) {
        int err = rt.netpoll.pollWait(pd, read);
        if (err != Netpoll.POLL_NO_ERROR) {
            throw pollError(err, op, source, addr);
        }
    }

    /** {@code convertErr}: pollErrClosing is ErrNetClosing, pollErrTimeout is ErrDeadlineExceeded. */
    private static OpError pollError(int err, String op, String source, String addr) {
        return new OpError(op, NET, source, addr, err == Netpoll.POLL_ERR_TIMEOUT ? OpError.TIMEOUT : OpError.CLOSED);
    }

    private OpError opError(String op, String source, String addr, String syscall, Exception e) {
        if (closed.get() || e instanceof ClosedChannelException) {
            return new OpError(op, NET, source, addr, OpError.CLOSED);
        }
        if (e instanceof SocketTimeoutException) {
            return new OpError(op, NET, source, addr, OpError.TIMEOUT);
        }
        return new OpError(op, NET, source, addr, describe(syscall, e));
    }

    /** An exception's text as Go's {@code os.SyscallError} prints an errno: {@code connect: connection refused}. */
    private static String describe(String syscall, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException || msg.startsWith("connection refused")) {
            msg = "connection refused";
        } else if (msg.startsWith("connection reset")) {
            msg = "connection reset by peer";
        } else if (msg.startsWith("address already in use")) {
            msg = "address already in use";
        }
        return syscall + ": " + msg;
    }

    /** Milliseconds of SO_TIMEOUT (or of a connect's timeout) left until {@code deadline} (nanoTime; 0 none), at least 1. */
    private static int timeoutMillis(long deadline) throws SocketTimeoutException {
        if (deadline == 0) {
            return 0;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }

    /** Go's {@code listenerBacklog}: the system's {@code somaxconn}, else 128 ({@code syscall.SOMAXCONN}). */
    private static int listenerBacklog() {
        try {
            // readAllLines, not readString: /proc files report size 0, and readString trusts the size
            return Integer.parseInt(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 128;
        }
    }

    private static <T> T outOfLine(Callable<T> call) throws Exception {
        return Syscalls.outOfLine(call);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    // ------------------------------------------------------------------ addresses

    /**
     * {@code host:port} on loopback, or an {@link OpError} in one line: Go's message for an
     * unknown network or a malformed address, gort's for a host that is not loopback.
     */
    static InetSocketAddress resolve(String op, String network, String address) {
        if (!network.equals("tcp") && !network.equals("tcp4") && !network.equals("tcp6")) {
            throw new OpError(op, network, null, null, "unknown network " + network);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new OpError(op, network, null, null, "address " + address + ": missing port in address");
        }
        String host = address.substring(0, colon);
        String portText = address.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new OpError(op, network, null, null, "address " + address + ": invalid port");
        }
        InetAddress ip = null;
        if (host.equals("localhost")) {
            ip = InetAddress.getLoopbackAddress();
        } else if (!host.isEmpty()) {
            try {
                ip = InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                ip = null;
            }
        }
        if (ip == null || !ip.isLoopbackAddress()) {
            throw new OpError(op, network, null, address,
                    "gort's net uses loopback only; give 127.0.0.1:PORT, [::1]:PORT or localhost:PORT (port 0 picks a free one)");
        }
        return new InetSocketAddress(ip, port);
    }

    /** Go's {@code TCPAddr.String}: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
    static String format(SocketAddress a) {
        if (!(a instanceof InetSocketAddress i) || i.getAddress() == null) {
            return String.valueOf(a);
        }
        String host = i.getAddress().getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0) {
            host = host.substring(0, pct);
        }
        if (i.getAddress() instanceof Inet6Address) {
            host = "[" + host.replaceAll("(^|:)0(:0)+(:|$)", "::").replace(":::", "::") + "]";
        }
        return host + ":" + i.getPort();
    }
}
