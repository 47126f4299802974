package org.gort.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Mutex;
import org.gort.api.OpError;
import org.gort.api.PacketConn;

/*
 * A network file descriptor (Go's net.netFD over internal/poll.FD): a TCP listener or
 * connection, or a UDP socket, on loopback, in one of two modes chosen per run by the setting
 * net.poller.
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
 * UDP (Go's netFD with sotype SOCK_DGRAM) is a DatagramChannel in the same two modes, with the
 * same locks, deadlines, close and tracking: net.ListenPacket gives an unconnected socket for
 * ReadFrom and WriteTo (fd.ReadFrom's recvfrom, fd.WriteTo's sendto), net.Dial("udp") a
 * connected one whose Read and Write are single datagrams from and to the peer (its connect
 * only records the peer, so it never waits). With the poller, a receive that returns no sender
 * and a send that sends 0 bytes are Go's EAGAIN: the goroutine waits for readability or
 * writability in Netpoll as for TCP, and the read and write deadlines are the same poller
 * timers. Without it, a read is the socket adaptor's blocking receive with the read deadline as
 * SO_TIMEOUT, and a write a blocking send. A datagram longer than the buffer fills it and the
 * rest is dropped, n being the buffer's length, as recvfrom(2) without MSG_TRUNC returns it to
 * Go; an empty datagram reads as 0 bytes, not EOF (a datagram socket's zero read is no EOF:
 * fd.eofError's ZeroReadIsEOF). One difference: java.nio sends no empty datagram, so a write of
 * 0 bytes returns 0 and sends nothing. An ICMP port unreachable on a connected socket fails the
 * next read or write with "connection refused", as in Go.
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
    /** Go's fd.net: {@code tcp}, or the UDP network the program named. */
    private final String net;
    private final ServerSocketChannel listener;
    private final SocketChannel conn;
    /** A UDP socket (Go's SOCK_DGRAM netFD): connected by a dial, else from listenPacket. */
    private final DatagramChannel dgram;
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
        this(rt, NET, listener, conn, null, pd);
    }

    private NetFD(RuntimeInstance rt, String net, ServerSocketChannel listener, SocketChannel conn, DatagramChannel dgram,
            Netpoll.PollDesc pd) throws IOException {
        this.rt = rt;
        this.net = net;
        this.listener = listener;
        this.conn = conn;
        this.dgram = dgram;
        this.pd = pd;
        if (listener != null) {
            this.laddr = format(listener.getLocalAddress());
            this.raddr = null;
        } else if (dgram != null) {
            this.laddr = format(dgram.getLocalAddress());
            this.raddr = dgram.isConnected() ? format(dgram.getRemoteAddress()) : null;
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
        if (isUDP(network)) {
            // ListenConfig.Listen: a UDP address is no listener's
            throw new OpError("listen", network, null, format(a), "address " + address + ": unexpected address type");
        }
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
            throw new OpError("dial", isUDP(network) ? network : NET, null, ra, OpError.TIMEOUT);
        }
        if (isUDP(network)) {
            return dialUDP(rt, network, a, ra);
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
     * {@code net.Dial("udp", address)}: Go's {@code internetSocket} with a remote address,
     * {@code socket} then {@code fd.dial}, whose connect of a datagram socket only records the
     * peer (no packet is sent, so there is nothing to wait for, and a dial's timeout only
     * matters if it has passed already, which dial checked). Reads then take datagrams from
     * that peer only, and writes go to it.
     */
    private static NetFD dialUDP(RuntimeInstance rt, String network, InetSocketAddress a, String ra) {
        DatagramChannel ch = null;
        Netpoll.PollDesc pd = null;
        try {
            ch = DatagramChannel.open();
            DatagramChannel c = ch;
            outOfLine(() -> c.connect(a));
            if (poller(rt)) {
                pd = rt.netpoll.open(ch);
            }
            NetFD fd = new NetFD(rt, network, null, null, ch, pd);
            fd.track();
            return fd;
        } catch (Exception e) {
            closeFailedDial(rt, ch, pd);
            throw new OpError("dial", network, null, ra, describe("connect", e));
        }
    }

    /**
     * {@code net.ListenPacket(network, address)} for {@code udp}, {@code udp4}, {@code udp6}
     * ({@code ListenConfig.ListenPacket}, {@code sysListener.listenUDP}): an unconnected
     * datagram socket bound to {@code address}, for {@link #readFrom} and {@link #writeTo}.
     */
    public static NetFD listenPacket(String network, String address) {
        G g = Current.g();
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        InetSocketAddress a = resolve("listen", network, address);
        if (!isUDP(network)) {
            // ListenConfig.ListenPacket: a TCP address is no packet listener's
            throw new OpError("listen", network, null, format(a), "address " + address + ": unexpected address type");
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open();
            ch.bind(a);
            Netpoll.PollDesc pd = poller(rt) ? rt.netpoll.open(ch) : null;
            NetFD fd = new NetFD(rt, network, null, null, ch, pd);
            fd.track();
            return fd;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new OpError("listen", network, null, address, describe("bind", e));
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
                    throw pollError(err, NET, "dial", null, ra);
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
    private static void closeFailedDial(RuntimeInstance rt, java.nio.channels.Channel ch, Netpoll.PollDesc pd) {
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
            throw new OpError("accept", net, null, laddr, "not a listener");
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

    /**
     * {@code (*conn).Read}: at least one byte, 0 only for an empty {@code len}, -1 at
     * {@code io.EOF}. On a dialed UDP socket, one datagram from the peer: its length, or
     * {@code len} if it was longer (the rest is dropped, as {@code read(2)} drops it for Go),
     * 0 for an empty one, never -1.
     */
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
            if (dgram != null) {
                return receive(g, b, off, len, "read", "read").n();
            }
            if (pd != null) {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                checkPd(true, "read", raddr);
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
                throw new OpError("read", net, laddr, raddr, OpError.TIMEOUT);
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

    /** {@code (*conn).Write}: writes all of it, or fails; on a dialed UDP socket, one datagram to the peer. */
    public int write(byte[] b, int off, int len) {
        G g = Current.g();
        rt.safepoint(g);
        requireConn("write");
        wio.lock();
        try {
            checkOpen("write", laddr, raddr);
            if (dgram != null) {
                return send(g, b, off, len, null, raddr, "write");
            }
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            if (pd != null) {
                checkPd(false, "write", raddr);
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
                throw new OpError("write", net, laddr, raddr, OpError.TIMEOUT);
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

    /**
     * {@code (*UDPConn).ReadFrom} ({@code fd.ReadFrom}: {@code recvfrom}, waiting on
     * {@code EAGAIN}): one datagram and its sender. A datagram longer than {@code len} fills
     * it and the rest is dropped: n is {@code len}, as {@code recvfrom(2)} without
     * {@code MSG_TRUNC} gives Go. An empty {@code len} takes (and drops) a datagram too.
     */
    public PacketConn.Received readFrom(byte[] b, int off, int len) {
        G g = Current.g();
        rt.safepoint(g);
        requireDatagram("read");
        rio.lock();
        try {
            checkOpen("read", laddr, raddr);
            return receive(g, b, off, len, "read", "recvfrom");
        } finally {
            rio.unlock();
        }
    }

    /**
     * {@code (*UDPConn).WriteTo} ({@code fd.WriteTo}: {@code sendto}, waiting on
     * {@code EAGAIN}): one datagram to {@code address}, a loopback {@code host:port}. Returns
     * {@code len}; a datagram the system will not send whole fails ({@code sendto: message too
     * long}). On a dialed socket it fails with Go's {@code ErrWriteToConnected}.
     */
    public int writeTo(byte[] b, int off, int len, String address) {
        G g = Current.g();
        rt.safepoint(g);
        requireDatagram("write");
        if (raddr != null) {
            throw new OpError("write", net, laddr, address, "use of WriteTo with pre-connected connection");
        }
        InetSocketAddress a;
        try {
            a = resolve("write", net, address);
        } catch (OpError e) {
            throw new OpError("write", net, laddr, address, e.err());
        }
        String ra = format(a);
        wio.lock();
        try {
            checkOpen("write", laddr, ra);
            return send(g, b, off, len, a, ra, "sendto");
        } finally {
            wio.unlock();
        }
    }

    /**
     * One datagram into {@code b[off:off+len]} (the caller holds {@code rio}): with the poller,
     * {@code receive} until one comes (null is Go's {@code EAGAIN}: wait for readability);
     * without it, the socket adaptor's blocking {@code receive} with the read deadline as
     * {@code SO_TIMEOUT}. Both drop what does not fit.
     */
    private PacketConn.Received receive(G g, byte[] b, int off, int len, String op, String syscall) {
        try {
            if (pd != null) {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                checkPd(true, op, raddr);
                for (;;) {
                    SocketAddress from = outOfLine(() -> dgram.receive(bb));
                    if (from != null) {
                        return new PacketConn.Received(bb.position() - off, format(from));
                    }
                    waitOrThrow(true, op, laddr, raddr);
                }
            }
            long d = rdeadline;
            if (d != 0 && d - System.nanoTime() <= 0) {
                throw new OpError(op, net, laddr, raddr, OpError.TIMEOUT);
            }
            DatagramPacket p = new DatagramPacket(b, off, len);
            rt.syscall(g, () -> {
                dgram.socket().setSoTimeout(timeoutMillis(d));
                dgram.socket().receive(p);
                return null;
            });
            return new PacketConn.Received(p.getLength(), format(p.getSocketAddress()));
        } catch (OpError e) {
            throw e;
        } catch (Exception e) {
            throw opError(op, laddr, raddr, syscall, e);
        }
    }

    /**
     * One datagram from {@code b[off:off+len]} to {@code to}, or to the connected peer if null
     * (the caller holds {@code wio}). A datagram is sent whole or not at all: with the poller
     * 0 bytes sent is Go's {@code EAGAIN} (wait for writability); without it a blocking
     * {@code send}. An empty one is not sent: java.nio sends no zero-length datagram (Go's
     * would), so it returns 0 at once. {@code ra} names the destination in errors.
     */
    private int send(G g, byte[] b, int off, int len, InetSocketAddress to, String ra, String syscall) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            if (pd != null) {
                checkPd(false, "write", ra);
                for (;;) {
                    int n = outOfLine(() -> to == null ? dgram.write(bb) : dgram.send(bb, to));
                    if (n > 0 || len == 0) {
                        return n;
                    }
                    waitOrThrow(false, "write", laddr, ra);
                }
            }
            long d = wdeadline;
            if (d != 0 && d - System.nanoTime() <= 0) {
                throw new OpError("write", net, laddr, ra, OpError.TIMEOUT);
            }
            if (len == 0) {
                return 0;
            }
            rt.syscall(g, () -> to == null ? dgram.write(bb) : dgram.send(bb, to));
            return len;
        } catch (OpError e) {
            throw e;
        } catch (Exception e) {
            throw opError("write", laddr, ra, syscall, e);
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
            throw new OpError("close", net, listener != null ? null : laddr, listener != null ? laddr : raddr, OpError.CLOSED);
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
        return listener != null ? listener : conn != null ? conn : dgram;
    }

    private void track() {
        rt.netpoll.socketsOpened.increment();
        rt.netpoll.open.add(this);
        if (rt.shuttingDown) {
            closeAtExit();
        }
    }

    private void requireConn(String op) {
        if (conn == null && (dgram == null || raddr == null)) {
            throw new OpError(op, net, null, laddr, "not a connection");
        }
    }

    private void requireDatagram(String op) {
        if (dgram == null) {
            throw new OpError(op, net, null, laddr, "not a packet connection");
        }
    }

    private void checkOpen(String op, String source, String addr) {
        if (closed.get()) {
            throw new OpError(op, net, source, addr, OpError.CLOSED);
        }
    }

    /** {@code fd.pd.prepareRead} / {@code prepareWrite}. */
    private void checkPd(boolean read, String op, String addr) {
        int err = Netpoll.netpollcheckerr(pd, read);
        if (err != Netpoll.POLL_NO_ERROR) {
            throw pollError(err, net, op, laddr, addr);
        }
    }

    private void waitOrThrow(boolean read, String op, String source, String addr) {
        int err = rt.netpoll.pollWait(pd, read);
        if (err != Netpoll.POLL_NO_ERROR) {
            throw pollError(err, net, op, source, addr);
        }
    }

    /** {@code convertErr}: pollErrClosing is ErrNetClosing, pollErrTimeout is ErrDeadlineExceeded. */
    private static OpError pollError(int err, String net, String op, String source, String addr) {
        return new OpError(op, net, source, addr, err == Netpoll.POLL_ERR_TIMEOUT ? OpError.TIMEOUT : OpError.CLOSED);
    }

    private OpError opError(String op, String source, String addr, String syscall, Exception e) {
        if (closed.get() || e instanceof ClosedChannelException) {
            return new OpError(op, net, source, addr, OpError.CLOSED);
        }
        if (e instanceof SocketTimeoutException) {
            return new OpError(op, net, source, addr, OpError.TIMEOUT);
        }
        return new OpError(op, net, source, addr, describe(syscall, e));
    }

    /** An exception's text as Go's {@code os.SyscallError} prints an errno: {@code connect: connection refused}. */
    private static String describe(String syscall, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException || e instanceof PortUnreachableException || msg.startsWith("connection refused")) {
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
        if (!isTCP(network) && !isUDP(network)) {
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

    /** Go's {@code parseNetwork}: the TCP networks. */
    private static boolean isTCP(String network) {
        return network.equals("tcp") || network.equals("tcp4") || network.equals("tcp6");
    }

    /** The UDP networks. */
    private static boolean isUDP(String network) {
        return network.equals("udp") || network.equals("udp4") || network.equals("udp6");
    }

    /** {@code net} ({@code tcp}, {@code udp} ...), as errors name it. */
    public String network() {
        return net;
    }

    /** Go's {@code TCPAddr.String} and {@code UDPAddr.String}: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
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
