package org.gort.api;

import java.time.Duration;
import java.util.Objects;
import org.gort.kernel.NetFD;

/**
 * Go's {@code net} package for TCP and UDP on loopback: {@code net.Listen}, {@code net.Dial},
 * {@code net.DialTimeout} and {@code net.ListenPacket}.
 *
 * <pre>{@code
 * Listener ln = Net.listen("tcp", "127.0.0.1:0");      // ln, err := net.Listen("tcp", "127.0.0.1:0")
 * Go.go(() -> {
 *     Conn c = ln.accept();                             // c, err := ln.Accept()
 *     byte[] buf = new byte[512];
 *     for (int n; (n = c.read(buf)) > 0; ) {            // n, err := c.Read(buf); err == io.EOF ends it
 *         c.write(buf, 0, n);                           // c.Write(buf[:n])
 *     }
 *     c.close();
 * });
 * Conn c = Net.dial("tcp", ln.addr());                  // c, err := net.Dial("tcp", ln.Addr().String())
 * Conn d = Net.dialTimeout("tcp", ln.addr(), Duration.ofSeconds(1)); // d, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
 *
 * PacketConn pc = Net.listenPacket("udp", "127.0.0.1:0"); // pc, err := net.ListenPacket("udp", "127.0.0.1:0")
 * Go.go(() -> {
 *     byte[] buf = new byte[512];
 *     PacketConn.Received r = pc.readFrom(buf);         // n, addr, err := pc.ReadFrom(buf)
 *     pc.writeTo(buf, 0, r.n(), r.addr());              // pc.WriteTo(buf[:n], addr)
 * });
 * Conn u = Net.dial("udp", pc.localAddr());             // u, err := net.Dial("udp", pc.LocalAddr().String())
 * u.write(msg);                                         // u.Write(msg): one datagram
 * int n = u.read(buf);                                  // n, err := u.Read(buf): one datagram back
 * }</pre>
 *
 * <p>A goroutine that waits on a socket parks ({@code IO wait}) and its M runs other
 * goroutines; the runtime's network poller readies it when the socket is ready (see
 * docs/architecture.md). With the setting {@code net.poller=false} every socket operation is a
 * blocking system call instead, which holds an M for the whole wait. Errors are
 * {@link OpError}s with Go's messages; only loopback addresses are accepted, and every socket
 * a run opens is closed when the run ends.
 *
 * @since 1.18
 */
public final class Net {
    private Net() {
    }

    /**
     * {@code net.Listen(network, address)}: {@code network} is {@code tcp}, {@code tcp4} or
     * {@code tcp6} (a UDP network fails as in Go: {@code listen udp 127.0.0.1:0: address
     * 127.0.0.1:0: unexpected address type}; see {@link #listenPacket}).
     */
    public static Listener listen(String network, String address) {
        return new Listener(NetFD.listen(network, address));
    }

    /**
     * {@code net.Dial(network, address)}: with {@code tcp}, {@code tcp4} or {@code tcp6} a TCP
     * connection ({@code *net.TCPConn}); with {@code udp}, {@code udp4} or {@code udp6}
     * (since 1.26) a connected UDP socket ({@code *net.UDPConn}) whose {@link Conn#write}
     * sends one datagram to {@code address} and whose {@link Conn#read} takes one datagram
     * from it. Dialing UDP sends nothing, so it succeeds whether or not anything listens there;
     * a read or write after the system learned that nothing does fails with {@code read udp
     * L->R: read: connection refused}.
     */
    public static Conn dial(String network, String address) {
        return new Conn(NetFD.dial(network, address));
    }

    /**
     * {@code net.DialTimeout(network, address, timeout)}: {@link #dial}, giving up if the
     * connection is not made within {@code timeout} ({@code dial tcp 127.0.0.1:8080: i/o
     * timeout}, {@link OpError#timeout()}); the socket is closed. A zero timeout means none; a
     * negative one has already passed, so the dial fails at once, as Go's does.
     *
     * @since 1.25
     */
    public static Conn dialTimeout(String network, String address, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new Conn(NetFD.dial(network, address, timeout));
    }

    /**
     * {@code net.ListenPacket(network, address)}: {@code network} is {@code udp}, {@code udp4}
     * or {@code udp6}; a UDP socket bound to {@code address} (port 0: the system picks one),
     * for datagrams to and from any loopback address. A TCP network fails as in Go
     * ({@code listen tcp 127.0.0.1:0: address 127.0.0.1:0: unexpected address type}).
     *
     * @since 1.26
     */
    public static PacketConn listenPacket(String network, String address) {
        return new PacketConn(NetFD.listenPacket(network, address));
    }
}
