package org.gort.api;

import java.time.Duration;
import java.util.Objects;
import org.gort.kernel.NetFD;

/**
 * Go's {@code net} package for TCP on loopback: {@code net.Listen}, {@code net.Dial} and
 * {@code net.DialTimeout}.
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

    /** {@code net.Listen(network, address)}: {@code network} is {@code tcp}, {@code tcp4} or {@code tcp6}. */
    public static Listener listen(String network, String address) {
        return new Listener(NetFD.listen(network, address));
    }

    /** {@code net.Dial(network, address)}. */
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
}
