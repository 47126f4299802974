package org.gort.api;

import org.gort.kernel.NetFD;

/**
 * Go's {@code net} package for TCP on loopback: {@code net.Listen} and {@code net.Dial}.
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
}
